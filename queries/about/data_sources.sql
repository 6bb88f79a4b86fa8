-- Purpose: every file the database was built from: official statistics (with their release
--          facts: publication date to the precision known, period covered, how the date is known)
--          and the seed papers.
-- Grain: one row per source file.
-- Parameters: none.
SELECT d.source_file, d.publisher, d.title, d.published_date, d.licence, d.source_url, d.loaded_into, d.row_count,
       d.loaded_at, r.published_date AS release_date, r.date_precision, r.period_covered, r.date_basis
FROM data_source AS d
LEFT JOIN source_release AS r USING (source_file)
ORDER BY d.licence = 'Public council paper', d.publisher, d.source_file
