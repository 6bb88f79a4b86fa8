-- Purpose: likelihood, impact and status of each of a programme's risks as reported at each
--          reporting date, for the register as at a quarter end and its movement since the last.
-- Grain: one row per risk per reporting date.
-- Parameters: $programme_id (programme.programme_id).
SELECT s.risk_id, s.reporting_date, s.likelihood, s.impact, CAST(s.status AS VARCHAR) AS status, s.source
FROM risk_snapshot AS s
JOIN risk AS r USING (risk_id)
WHERE r.programme_id = $programme_id
ORDER BY s.reporting_date, s.risk_id
