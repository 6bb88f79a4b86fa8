-- Purpose: what a source link needs to know of every source, in one read: each file's publisher's
--          page, title and release (official files), each paper's and each document's title. The
--          rows are shaped as about/data_sources' (a paper by its number, a document by its address,
--          in source_file), so monitor.sources.links.reference_maps reads them as it reads those.
-- Grain: one row per file (data_source), per paper and per document; the keys never collide (a file
--        name, a three-digit paper number, a GOV.UK address), so the rows' order does not matter.
-- Parameters: none.
SELECT d.source_file, d.title, d.source_url, d.licence, r.published_date AS release_date, r.date_precision,
       r.period_covered
FROM data_source AS d
LEFT JOIN source_release AS r USING (source_file)
UNION ALL
SELECT p.paper, d.title, NULL, NULL, NULL, NULL, NULL
FROM paper AS p
JOIN data_source AS d USING (source_file)
UNION ALL
SELECT url, title, NULL, NULL, NULL, NULL, NULL
FROM published_document
