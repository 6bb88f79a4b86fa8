-- A figure derived from a paper names its rule, and the rule is written down (derivation).
-- Column: source
SELECT s.table_name, s.row_key, s.source
FROM all_sources() AS s
LEFT JOIN derivation AS d ON s.source LIKE '%(derived: ' || d.derivation_id || ')'
WHERE provenance(s.source) = 'derived from a paper' AND d.derivation_id IS NULL
