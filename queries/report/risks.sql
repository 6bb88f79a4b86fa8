-- Purpose: a programme's risk register as it stands now (descriptions, owners, dates), for the
--          quarterly report's risk section.
-- Grain: one row per risk.
-- Parameters: $programme_id (programme.programme_id).
SELECT
    risk_id, description, category, owner, likelihood, impact, mitigation, CAST(status AS VARCHAR) AS status,
    raised_date, next_review_date, closed_date, source
FROM risk
WHERE programme_id = $programme_id
ORDER BY risk_id
