-- Purpose: each council's political weighting of the criteria of one appraisal, with who set it,
--          when, and the source.
-- Grain: one row per criterion × council.
-- Parameters: $appraisal_id (appraisal.appraisal_id).
SELECT
    c.criterion_id,
    c.criterion_name,
    w.ons_code,
    a.authority_name AS council_name,
    w.weight,
    w.set_by,
    w.set_date,
    w.source
FROM criterion_weight AS w
JOIN appraisal_criterion AS c ON c.criterion_id = w.criterion_id
JOIN authority AS a ON a.ons_code = w.ons_code
WHERE c.appraisal_id = $appraisal_id
ORDER BY a.authority_name, c.criterion_id
