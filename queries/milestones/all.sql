-- Purpose: every milestone of every programme, for counts across programmes (Overview).
-- Grain: one row per milestone.
-- Parameters: none.
SELECT
    m.milestone_id, m.programme_id, m.workstream_id, w.workstream_name, m.milestone_title, m.owner,
    m.baseline_due_date, m.forecast_due_date, m.completed_date, CAST(m.status AS VARCHAR) AS status,
    m.evidence, m.source
FROM milestone AS m
JOIN workstream AS w USING (workstream_id)
ORDER BY m.programme_id, w.workstream_name, m.baseline_due_date, m.milestone_id
