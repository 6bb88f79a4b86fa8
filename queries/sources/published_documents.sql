-- Purpose: documents that rows cite by their GOV.UK address (DfE's statutory directions).
-- Grain: one row per document (published_document).
-- Parameters: none.
SELECT url, publisher, title, published_date, licence, note
FROM published_document
ORDER BY published_date, url
