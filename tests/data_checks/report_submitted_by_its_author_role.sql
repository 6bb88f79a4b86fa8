-- A submitted report was submitted by the role that writes its programme's reports (report_audience:
-- a DfE commission's commissioner, a board's programme officer), or by an administrator.
SELECT r.report_id, r.submitted_by_role, a.author_role
FROM commissioner_report AS r
JOIN report_audience AS a ON a.programme_id = r.programme_id
WHERE r.status = 'submitted'
  AND coalesce(r.submitted_by_role, '') NOT IN (a.author_role, 'administrator')
