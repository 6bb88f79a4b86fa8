-- Purpose: a programme's savings planned, forecast and delivered per financial year, for
--          "savings against plan" in the quarterly report.
-- Grain: one row per financial year.
-- Parameters: $programme_id (programme.programme_id).
SELECT
    financial_year,
    sum(planned_gbp) AS planned_gbp,
    sum(forecast_gbp) AS forecast_gbp,
    sum(delivered_gbp) AS delivered_gbp,
    count(*) FILTER (WHERE delivered_gbp IS NOT NULL) AS delivered_rows,
    count(*) AS saving_rows,
    string_agg(DISTINCT source, '; ' ORDER BY source) AS sources
FROM saving
WHERE programme_id = $programme_id
GROUP BY financial_year
ORDER BY financial_year
