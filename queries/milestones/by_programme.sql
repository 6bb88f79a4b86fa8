-- Purpose: the milestones of one programme as the plan stands now, with their work stream (Action plan).
-- Grain: one row per milestone of the programme.
-- Parameters: $programme_id (programme.programme_id).
SELECT
    m.milestone_id, m.programme_id, m.workstream_id, w.workstream_name, m.milestone_title, m.owner,
    m.baseline_due_date, m.forecast_due_date, m.completed_date, CAST(m.status AS VARCHAR) AS status,
    m.evidence, m.source
FROM milestone AS m
JOIN workstream AS w USING (workstream_id)
WHERE m.programme_id = $programme_id
ORDER BY w.workstream_name, m.baseline_due_date, m.milestone_id
