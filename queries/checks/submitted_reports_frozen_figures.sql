-- A submitted report carries its whole frozen record (every section's figures, tables and charts),
-- who submitted it (address, name and role) and when, and the hash of its Word file.
SELECT report_id FROM commissioner_report
WHERE status = 'submitted'
  AND (figures_json IS NULL OR figures_json NOT LIKE '%"sections"%' OR submitted_by IS NULL
       OR submitted_by_name IS NULL OR submitted_by_role IS NULL OR submitted_at IS NULL OR docx_sha256 IS NULL)
