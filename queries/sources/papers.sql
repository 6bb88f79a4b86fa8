-- Purpose: the seed papers the reader can open, with their title, publisher and date.
-- Grain: one row per paper (paper).
-- Parameters: none.
SELECT p.paper, d.source_file, d.publisher, d.title, d.published_date, d.licence, d.source_url,
       (SELECT count(*) FROM paper_passage AS pp WHERE pp.paper = p.paper) AS passages
FROM paper AS p
JOIN data_source AS d USING (source_file)
ORDER BY p.paper
