-- Purpose: the seed papers the reader can open, with their title, publisher and date.
-- Grain: one row per paper (paper).
-- Parameters: none.
SELECT p.paper, d.source_file, d.publisher, d.title, d.published_date, d.licence, d.source_url,
       coalesce(n.passages, 0) AS passages
FROM paper AS p
JOIN data_source AS d USING (source_file)
LEFT JOIN (SELECT paper, count(*) AS passages FROM paper_passage GROUP BY paper) AS n USING (paper)
ORDER BY p.paper
