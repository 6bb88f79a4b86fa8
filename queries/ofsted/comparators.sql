-- Purpose: the councils each programme's Ofsted view sets beside its supported council (beyond DfE's
--          statistical neighbours), with why and the source that says so.
-- Grain: one row per programme per comparator council (programme_comparator).
-- Parameters: none.
SELECT c.programme_id, c.ons_code, a.authority_name, c.reason, c.source
FROM programme_comparator AS c
JOIN authority AS a ON a.ons_code = c.ons_code
ORDER BY c.programme_id, a.authority_name
