-- Purpose: the risk register of one programme: every risk with its inherent, current and target
--          likelihood and impact, owner, mitigation, status and review dates (the Risks page).
-- Grain: one row per risk.
-- Parameters: $programme_id (programme.programme_id).
SELECT
    r.risk_id, r.programme_id, r.description, r.category, r.owner,
    r.inherent_likelihood, r.inherent_impact, r.likelihood, r.impact, r.target_likelihood, r.target_impact,
    r.mitigation, CAST(r.status AS VARCHAR) AS status,
    r.raised_date, r.last_reviewed_date, r.next_review_date, r.closed_date, r.source
FROM risk AS r
WHERE r.programme_id = $programme_id
ORDER BY r.risk_id
