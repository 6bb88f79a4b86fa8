-- Every row's source reads as one of the four provenances (monitor/sources/citation.py): an
-- official file or GOV.UK document, a passage of a seed paper, a derivation, or 'illustrative'.
-- Column: source
SELECT table_name, row_key, source
FROM all_sources()
WHERE provenance(source) IS NULL
