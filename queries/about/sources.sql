-- Purpose: every file the database was built from, as About lists them in one read: official
--          statistics with their release facts (publication date to the precision known, period
--          covered, how the date is known), and the seed papers with their number and how many
--          passages each holds. The columns of about/data_sources, so the link function reads these
--          rows as it reads those (monitor.sources.links.reference_maps).
-- Grain: one row per source file (a paper's file: its paper and passages; any other: NULL and 0).
-- Parameters: none.
SELECT d.source_file, d.publisher, d.title, d.published_date, d.licence, d.source_url, d.loaded_into, d.row_count,
       d.loaded_at, r.published_date AS release_date, r.date_precision, r.period_covered, r.date_basis,
       p.paper, coalesce(n.passages, 0) AS passages
FROM data_source AS d
LEFT JOIN source_release AS r USING (source_file)
LEFT JOIN paper AS p USING (source_file)
LEFT JOIN (SELECT paper, count(*) AS passages FROM paper_passage GROUP BY paper) AS n USING (paper)
-- Official files by publisher, then the papers by number (as sources/papers lists them).
ORDER BY d.licence = 'Public council paper', p.paper, d.publisher, d.source_file
