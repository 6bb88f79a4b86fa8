-- Purpose: DfE statutory directions to a programme's supported council(s): issued, revised, lifted
--          (the statutory-direction events of the intervention register).
-- Grain: one row per direction event.
-- Parameters: $programme_id (programme.programme_id).
SELECT
    e.event_id AS direction_id, e.ons_code, a.authority_name, e.event_date AS direction_date,
    substr(CAST(e.kind AS VARCHAR), length('statutory direction ') + 1) AS action,
    e.summary, e.document_url, e.source
FROM programme_party AS pp
JOIN authority AS a USING (ons_code)
JOIN intervention_event AS e ON e.ons_code = pp.ons_code
WHERE pp.programme_id = $programme_id
  AND pp.role = 'supported council'
  AND starts_with(CAST(e.kind AS VARCHAR), 'statutory direction ')
ORDER BY e.event_date, e.event_id
