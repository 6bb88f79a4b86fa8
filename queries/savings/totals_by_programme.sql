-- Purpose: savings planned, forecast and delivered per programme; "planned to date" counts only
--          the years for which a delivered figure has been reported, so the two compare like for like.
-- Grain: one row per programme with savings.
-- Parameters: none.
SELECT
    programme_id,
    sum(planned_gbp) AS planned_gbp,
    sum(forecast_gbp) AS forecast_gbp,
    sum(delivered_gbp) AS delivered_gbp,
    sum(planned_gbp) FILTER (WHERE delivered_gbp IS NOT NULL) AS planned_to_date_gbp,
    count(*) FILTER (WHERE source = 'illustrative') AS illustrative_rows,
    count(*) AS saving_rows
FROM saving
GROUP BY programme_id
ORDER BY programme_id
