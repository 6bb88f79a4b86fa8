-- Every citation of a seed paper names passages that exist ("000 para 2.3", "003 §12"), as the
-- papers in data/papers/ are numbered (paper_passage).
-- Column: source
WITH cited AS (
    SELECT table_name, row_key, source, cited_paper(source) AS paper, unnest(cited_passages(source)) AS passage_id
    FROM (SELECT DISTINCT table_name, row_key, source FROM all_sources() WHERE cited_paper(source) IS NOT NULL) AS s
)
SELECT c.table_name, c.row_key, c.source, c.passage_id AS missing_passage
FROM cited AS c
LEFT JOIN paper_passage AS p ON p.paper = c.paper AND p.passage_id = c.passage_id
WHERE p.passage_id IS NULL
