-- Purpose: one council's savings and income rows in a programme (among them the income that
--          recovers what the partnership cost it), for the financial no-detriment check.
-- Grain: one row per saving (programme × work stream × council × financial year × category).
-- Parameters: $programme_id (programme.programme_id), $ons_code (authority.ons_code of the council).
SELECT
    s.saving_id, s.financial_year, s.category,
    CAST(s.planned_gbp AS DOUBLE) AS planned_gbp,
    CAST(s.forecast_gbp AS DOUBLE) AS forecast_gbp,
    CAST(s.delivered_gbp AS DOUBLE) AS delivered_gbp,
    s.source
FROM saving AS s
WHERE s.programme_id = $programme_id AND s.ons_code = $ons_code
ORDER BY s.financial_year, s.saving_id
