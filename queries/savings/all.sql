-- Purpose: every programme's savings and income rows with what the headline facts need (planned and
--          delivered pounds by financial year, kind), for the Overview and the headline figures.
-- Grain: one row per saving (programme × work stream × council × financial year × category).
-- Parameters: none.
SELECT
    s.saving_id, s.programme_id, s.financial_year, s.category,
    CAST(s.planned_gbp AS DOUBLE PRECISION) AS planned_gbp,
    CAST(s.forecast_gbp AS DOUBLE PRECISION) AS forecast_gbp,
    CAST(s.delivered_gbp AS DOUBLE PRECISION) AS delivered_gbp,
    s.source
FROM saving AS s
ORDER BY s.programme_id, s.financial_year, s.saving_id
