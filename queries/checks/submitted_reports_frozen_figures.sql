-- A submitted report carries its frozen figures, who submitted it and when.
SELECT report_id FROM commissioner_report
WHERE status = 'submitted' AND (figures_json IS NULL OR submitted_by IS NULL OR submitted_at IS NULL)
