-- Purpose: a programme's milestones as they stand now (titles, owners, baseline dates), for the
--          quarterly report's milestone section.
-- Grain: one row per milestone.
-- Parameters: $programme_id (programme.programme_id).
SELECT
    m.milestone_id, m.workstream_id, w.workstream_name, m.milestone_title, m.owner,
    m.baseline_due_date, m.forecast_due_date, m.completed_date, CAST(m.status AS VARCHAR) AS status, m.source
FROM milestone AS m
JOIN workstream AS w USING (workstream_id)
WHERE m.programme_id = $programme_id
ORDER BY w.workstream_name, m.baseline_due_date, m.milestone_id
