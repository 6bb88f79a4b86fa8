-- Snapshots are reported between the programme's start and its end (if closed).
-- Column: reporting_date
SELECT s.milestone_id, s.reporting_date, p.start_date, p.end_date
FROM milestone_snapshot AS s JOIN milestone AS m USING (milestone_id) JOIN programme AS p USING (programme_id)
WHERE s.reporting_date < p.start_date OR (p.end_date IS NOT NULL AND s.reporting_date > p.end_date + INTERVAL '92 days')
