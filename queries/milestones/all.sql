-- Purpose: the milestones of every programme (the Overview's headline facts) or of one (the Action
--          plan, and that programme's headline), as the plan stands now, with their work stream.
--          The owning council (the work stream's lead council), its abolition date and successor, and
--          whether the successor is a party too: what becomes of a milestone of a council that ends
--          (monitor.milestones.facts).
-- Grain: one row per milestone (of the programme, when one is given).
-- Parameters: $programme_id (optional: one programme's rows; left out or NULL, every programme's).
SELECT
    m.milestone_id, m.programme_id, m.workstream_id, w.workstream_name, m.milestone_title, m.owner,
    m.baseline_due_date, m.forecast_due_date, m.completed_date, CAST(m.status AS VARCHAR) AS status,
    m.evidence, m.source,
    w.lead_ons_code AS owner_ons_code, oa.authority_name AS owner_council, oa.abolished_date AS owner_abolished_date,
    sa.authority_name AS owner_successor,
    sp.programme_id IS NOT NULL AS successor_in_programme
FROM milestone AS m
JOIN workstream AS w USING (workstream_id)
LEFT JOIN authority AS oa ON oa.ons_code = w.lead_ons_code
LEFT JOIN authority AS sa ON sa.ons_code = oa.successor_ons_code
LEFT JOIN (SELECT DISTINCT programme_id, ons_code FROM programme_party) AS sp
    ON sp.programme_id = m.programme_id AND sp.ons_code = oa.successor_ons_code
WHERE (CAST($programme_id AS VARCHAR) IS NULL OR m.programme_id = $programme_id)
ORDER BY m.programme_id, w.workstream_name, m.baseline_due_date, m.milestone_id
