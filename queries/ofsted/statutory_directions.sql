-- Purpose: DfE statutory directions to councils (issued, revised, lifted), for the intervention
--          timeline: the statutory-direction events of the intervention register, in the columns
--          the timeline reads (action = issued, revised or lifted).
-- Grain: one row per direction event (intervention_event of a 'statutory direction ...' kind).
-- Parameters: none.
SELECT
    e.event_id AS direction_id, e.ons_code, a.authority_name, e.event_date AS direction_date,
    substr(CAST(e.kind AS VARCHAR), length('statutory direction ') + 1) AS action,
    e.summary, e.document_url, e.source
FROM intervention_event AS e
JOIN authority AS a USING (ons_code)
WHERE starts_with(CAST(e.kind AS VARCHAR), 'statutory direction ')
ORDER BY e.ons_code, e.event_date, e.event_id
