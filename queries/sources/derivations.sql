-- Purpose: the rules that derive figures from a passage, with how many rows use each and one
--          source that cites it (to open its passage).
-- Grain: one row per rule (derivation).
-- Parameters: none.
SELECT d.derivation_id, d.figure, d.rule, count(s.source) AS rows_using, min(s.source) AS example_source
FROM derivation AS d
-- (the sources that cite any rule first: one pass over every source rather than one per rule)
LEFT JOIN (SELECT source FROM all_sources() WHERE source LIKE '%(derived: %') AS s
  ON s.source LIKE '%(derived: ' || d.derivation_id || ')'
GROUP BY d.derivation_id, d.figure, d.rule
ORDER BY d.derivation_id
