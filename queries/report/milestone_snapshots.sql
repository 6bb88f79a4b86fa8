-- Purpose: the status and forecast date of each of a programme's milestones as reported at each
--          reporting date: what was complete, slipped or due as the report for a quarter saw it.
-- Grain: one row per milestone per reporting date.
-- Parameters: $programme_id (programme.programme_id).
SELECT
    s.milestone_id, s.reporting_date, CAST(s.status AS VARCHAR) AS status, s.forecast_due_date, s.source
FROM milestone_snapshot AS s
JOIN milestone AS m USING (milestone_id)
WHERE m.programme_id = $programme_id
ORDER BY s.reporting_date, s.milestone_id
