-- Purpose: how many rows of each table rest on each source, so the About page can count the four
--          provenance words per table with the same rule the pages' notices use (Python's
--          monitor.sources.citation.provenance, applied to these distinct sources).
-- Grain: one row per table per distinct source.
-- Parameters: none.
SELECT table_name, source, row_count
FROM source_counts()
ORDER BY table_name, source
