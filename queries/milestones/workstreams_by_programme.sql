-- Purpose: the work streams of one programme, including any with no milestones yet (Action plan filter).
-- Grain: one row per work stream of the programme.
-- Parameters: $programme_id (programme.programme_id).
SELECT
    w.workstream_id, w.workstream_name, w.is_primary, w.board, a.authority_name AS lead_council, w.source
FROM workstream AS w
LEFT JOIN authority AS a ON a.ons_code = w.lead_ons_code
WHERE w.programme_id = $programme_id
ORDER BY NOT w.is_primary, w.workstream_name
