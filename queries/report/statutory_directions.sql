-- Purpose: DfE statutory directions to a programme's supported council(s): issued, revised, lifted.
-- Grain: one row per direction.
-- Parameters: $programme_id (programme.programme_id).
SELECT
    d.direction_id, d.ons_code, a.authority_name, d.direction_date, CAST(d.action AS VARCHAR) AS action,
    d.summary, d.source
FROM programme_party AS pp
JOIN authority AS a USING (ons_code)
JOIN statutory_direction AS d ON d.ons_code = pp.ons_code
WHERE pp.programme_id = $programme_id
  AND pp.role = 'supported council'
ORDER BY d.direction_date, d.direction_id
