-- Purpose: what each programme that ended before $today last reported about its risks by its end
--          date: the snapshot rows of its latest reporting date on or before the end date (the
--          Overview's facts of a closed programme are as at its closing date).
-- Grain: one row per risk of an ended programme (at most).
-- Parameters: $today (DATE).
WITH ended AS (
    SELECT programme_id, end_date FROM programme
    WHERE end_date IS NOT NULL AND (status = 'closed' OR end_date < $today)
),
last_report AS (
    SELECT r.programme_id, max(s.reporting_date) AS reporting_date
    FROM risk_snapshot AS s
    JOIN risk AS r USING (risk_id)
    JOIN ended AS e USING (programme_id)
    WHERE s.reporting_date <= e.end_date
    GROUP BY r.programme_id
)
SELECT s.risk_id, s.reporting_date, s.likelihood, s.impact, CAST(s.status AS VARCHAR) AS status
FROM risk_snapshot AS s
JOIN risk AS r USING (risk_id)
JOIN last_report AS l ON l.programme_id = r.programme_id AND l.reporting_date = s.reporting_date
ORDER BY s.risk_id
