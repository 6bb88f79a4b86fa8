-- Purpose: what each programme that ended before $today last reported about its milestones by its
--          end date: the snapshot rows of its latest reporting date on or before the end date (the
--          Overview's facts of a closed programme are as at its closing date).
-- Grain: one row per milestone of an ended programme (at most).
-- Parameters: $today (DATE).
WITH ended AS (
    SELECT programme_id, end_date FROM programme
    WHERE end_date IS NOT NULL AND (status = 'closed' OR end_date < $today)
),
last_report AS (
    SELECT m.programme_id, max(s.reporting_date) AS reporting_date
    FROM milestone_snapshot AS s
    JOIN milestone AS m USING (milestone_id)
    JOIN ended AS e USING (programme_id)
    WHERE s.reporting_date <= e.end_date
    GROUP BY m.programme_id
)
SELECT s.milestone_id, s.reporting_date, CAST(s.status AS VARCHAR) AS status, s.forecast_due_date
FROM milestone_snapshot AS s
JOIN milestone AS m USING (milestone_id)
JOIN last_report AS l ON l.programme_id = m.programme_id AND l.reporting_date = s.reporting_date
ORDER BY s.milestone_id
