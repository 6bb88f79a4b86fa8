-- Purpose: every file the database was built from: official statistics and the seed papers.
-- Grain: one row per source file.
-- Parameters: none.
SELECT source_file, publisher, title, published_date, licence, source_url, loaded_into, row_count, loaded_at
FROM data_source
ORDER BY licence = 'Public council paper', publisher, source_file
