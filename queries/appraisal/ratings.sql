-- Purpose: how each option of one appraisal was rated (high / medium / low) on each criterion.
-- Grain: one row per option × criterion rated.
-- Parameters: $appraisal_id (appraisal.appraisal_id).
SELECT
    o.option_id,
    o.option_name,
    c.criterion_id,
    c.criterion_name,
    CAST(r.rating AS VARCHAR) AS rating,
    r.source
FROM option_rating AS r
JOIN appraisal_option AS o ON o.option_id = r.option_id
JOIN appraisal_criterion AS c ON c.criterion_id = r.criterion_id
WHERE o.appraisal_id = $appraisal_id AND c.appraisal_id = $appraisal_id
ORDER BY o.option_id, c.criterion_id
