-- Purpose: what each programme whose figures are as at a day before $today last reported about its
--          risks by then: the snapshot rows of its latest reporting date on or before that day ($as_at,
--          or its end date when it ended earlier). Programmes read as they stand today need none
--          (monitor.risks.facts.state_as_at).
-- Grain: one row per risk of such a programme (at most).
-- Parameters: $as_at (DATE), $today (DATE), $programme_id (optional: one programme's rows; left
--             out or NULL, every programme's).
WITH dated AS (
    SELECT programme_id,
           CASE WHEN end_date IS NOT NULL AND (status = 'closed' OR end_date < $today)
                THEN least(CAST($as_at AS DATE), end_date) ELSE CAST($as_at AS DATE) END AS as_at
    FROM programme
    WHERE (CAST($programme_id AS VARCHAR) IS NULL OR programme_id = $programme_id)
),
last_report AS (
    SELECT r.programme_id, max(s.reporting_date) AS reporting_date
    FROM risk_snapshot AS s
    JOIN risk AS r USING (risk_id)
    JOIN dated AS d USING (programme_id)
    WHERE d.as_at < $today AND s.reporting_date <= d.as_at
    GROUP BY r.programme_id
)
SELECT s.risk_id, s.reporting_date, s.likelihood, s.impact, CAST(s.status AS VARCHAR) AS status
FROM risk_snapshot AS s
JOIN risk AS r USING (risk_id)
JOIN last_report AS l ON l.programme_id = r.programme_id AND l.reporting_date = s.reporting_date
ORDER BY s.risk_id
