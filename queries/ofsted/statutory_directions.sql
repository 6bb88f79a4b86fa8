-- Purpose: DfE statutory directions to councils (issued, revised, lifted), for the intervention
--          timeline.
-- Grain: one row per direction action (statutory_direction).
-- Parameters: none.
SELECT
    d.direction_id, d.ons_code, a.authority_name, d.direction_date, CAST(d.action AS VARCHAR) AS action,
    d.summary, d.source
FROM statutory_direction AS d
JOIN authority AS a USING (ons_code)
ORDER BY d.ons_code, d.direction_date, d.direction_id
