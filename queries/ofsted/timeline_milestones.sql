-- Purpose: the key milestones of one programme (those of its primary workstreams), for the
--          intervention timeline.
-- Grain: one row per milestone of a primary workstream.
-- Parameters: $programme_id (programme.programme_id).
SELECT
    m.milestone_id, m.programme_id, w.workstream_name, m.milestone_title, m.baseline_due_date,
    m.forecast_due_date, m.completed_date, CAST(m.status AS VARCHAR) AS status, m.source
FROM milestone AS m
JOIN workstream AS w USING (workstream_id)
WHERE m.programme_id = $programme_id
  AND w.is_primary
ORDER BY coalesce(m.completed_date, m.forecast_due_date, m.baseline_due_date), m.milestone_id
