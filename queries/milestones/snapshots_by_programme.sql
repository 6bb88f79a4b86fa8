-- Purpose: the status and forecast date of each milestone of one programme as reported at each
--          reporting date (Action plan: what changed since the previous report, milestone trend).
-- Grain: one row per milestone and reporting date (a missing quarter is simply absent).
-- Parameters: $programme_id (programme.programme_id).
SELECT
    s.milestone_id, s.reporting_date, CAST(s.status AS VARCHAR) AS status, s.forecast_due_date, s.source
FROM milestone_snapshot AS s
WHERE s.milestone_id IN (SELECT m.milestone_id FROM milestone AS m WHERE m.programme_id = $programme_id)
ORDER BY s.milestone_id, s.reporting_date
