-- Purpose: each risk of one programme as reported at each reporting date (likelihood, impact,
--          status), for "movement since the previous reporting date" on the Risks page.
-- Grain: one row per risk and reporting date.
-- Parameters: $programme_id (programme.programme_id).
SELECT
    s.risk_id, s.reporting_date, s.likelihood, s.impact, CAST(s.status AS VARCHAR) AS status, s.source
FROM risk_snapshot AS s
JOIN risk AS r USING (risk_id)
WHERE r.programme_id = $programme_id
ORDER BY s.reporting_date, s.risk_id
