-- Purpose: the risk register of every programme (the Overview's headline facts) or of one (the Risks
--          page, and that programme's headline): every risk with its inherent, current and target
--          likelihood and impact, owner, mitigation, status and review dates.
-- Grain: one row per risk (of the programme, when one is given).
-- Parameters: $programme_id (optional: one programme's rows; left out or NULL, every programme's).
SELECT
    risk_id, programme_id, description, category, owner, inherent_likelihood, inherent_impact,
    likelihood, impact, target_likelihood, target_impact, mitigation, CAST(status AS VARCHAR) AS status,
    raised_date, last_reviewed_date, next_review_date, closed_date, source
FROM risk
WHERE (CAST($programme_id AS VARCHAR) IS NULL OR programme_id = $programme_id)
ORDER BY programme_id, risk_id
