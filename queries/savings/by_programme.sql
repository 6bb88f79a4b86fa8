-- Purpose: the savings ledger of one programme: planned, forecast and delivered savings with the
--          work stream and council they belong to and the source of every figure.
-- Grain: one row per saving (programme × work stream × council × financial year × category).
-- Parameters: $programme_id (programme.programme_id).
SELECT
    s.saving_id,
    s.programme_id,
    s.workstream_id,
    w.workstream_name,
    s.ons_code,
    a.authority_name AS council_name,
    s.financial_year,
    s.category,
    s.is_cashable,
    s.is_recurring,
    CAST(s.planned_gbp AS DOUBLE PRECISION) AS planned_gbp,
    CAST(s.forecast_gbp AS DOUBLE PRECISION) AS forecast_gbp,
    CAST(s.delivered_gbp AS DOUBLE PRECISION) AS delivered_gbp,
    s.source
FROM saving AS s
JOIN authority AS a ON a.ons_code = s.ons_code
LEFT JOIN workstream AS w ON w.workstream_id = s.workstream_id
WHERE s.programme_id = $programme_id
ORDER BY s.financial_year, w.workstream_name NULLS LAST, a.authority_name, s.category, s.saving_id
