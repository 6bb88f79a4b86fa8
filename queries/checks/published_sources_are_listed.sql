-- A published source is listed where About shows it: an official file in data_source, a GOV.UK
-- document in published_document. (The project's own reference files under data/reference/ name
-- their legal source on each row.)
-- Column: source
SELECT s.table_name, s.row_key, s.source
FROM all_sources() AS s
WHERE provenance(s.source) IN ('published', 'illustrative')
  AND NOT starts_with(source_base(s.source), 'data/reference/')
  AND (regexp_full_match(source_base(s.source), '[A-Za-z0-9_.-]+\.(csv|xlsx)')
       AND source_base(s.source) NOT IN (SELECT source_file FROM data_source)
    OR starts_with(source_base(s.source), 'https://')
       AND source_base(s.source) NOT IN (SELECT url FROM published_document))
