-- Purpose: the rules that derive figures from a passage, with how many rows use each and one
--          source that cites it (to open its passage).
-- Grain: one row per rule (derivation).
-- Parameters: none.
SELECT d.derivation_id, d.figure, d.rule, count(s.source) AS rows_using, min(s.source) AS example_source
FROM derivation AS d
LEFT JOIN all_sources() AS s ON s.source LIKE '%(derived: ' || d.derivation_id || ')'
GROUP BY d.derivation_id, d.figure, d.rule
ORDER BY d.derivation_id
