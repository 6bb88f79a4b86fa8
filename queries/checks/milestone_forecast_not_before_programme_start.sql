-- No milestone is due (baseline or forecast) before its programme starts.
-- Column: baseline_due_date
SELECT m.milestone_id, m.baseline_due_date, m.forecast_due_date, p.start_date
FROM milestone AS m JOIN programme AS p USING (programme_id)
WHERE m.baseline_due_date < p.start_date OR m.forecast_due_date < p.start_date
