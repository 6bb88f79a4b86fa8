-- A risk is not reported before it was raised, nor as open after it was closed.
-- Column: status
SELECT s.risk_id, s.reporting_date, CAST(s.status AS VARCHAR) AS reported, r.raised_date, r.closed_date
FROM risk_snapshot AS s JOIN risk AS r USING (risk_id)
WHERE s.reporting_date < r.raised_date
   OR (s.status = 'open' AND r.closed_date IS NOT NULL AND s.reporting_date > r.closed_date)
