-- Purpose: every programme's savings and income rows with what the headline facts need (planned and
--          delivered pounds by financial year, kind), for the Overview and the headline figures.
-- Grain: one row per saving (programme × work stream × council × financial year × category).
-- Parameters: $programme_id (optional: one programme's rows; left out or NULL, every programme's).
SELECT
    s.saving_id, s.programme_id, s.financial_year, s.category,
    CAST(s.planned_gbp AS DOUBLE PRECISION) AS planned_gbp,
    CAST(s.forecast_gbp AS DOUBLE PRECISION) AS forecast_gbp,
    CAST(s.delivered_gbp AS DOUBLE PRECISION) AS delivered_gbp,
    s.source
FROM saving AS s
WHERE (CAST($programme_id AS VARCHAR) IS NULL OR s.programme_id = $programme_id)
ORDER BY s.programme_id, s.financial_year, s.saving_id
