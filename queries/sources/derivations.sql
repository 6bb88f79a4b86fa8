-- Purpose: the rules that derive figures from a passage (how many rows cite each, and one source
--          that does: monitor.sources.citation.derivation_use on about/source_usage's rows, by the
--          citation grammar every page reads sources with).
-- Grain: one row per rule (derivation).
-- Parameters: none.
SELECT derivation_id, figure, rule
FROM derivation
ORDER BY derivation_id
