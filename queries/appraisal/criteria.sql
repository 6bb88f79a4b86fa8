-- Purpose: the criteria of one appraisal, with their descriptions and sources.
-- Grain: one row per criterion.
-- Parameters: $appraisal_id (appraisal.appraisal_id).
SELECT criterion_id, criterion_name, description, source
FROM appraisal_criterion
WHERE appraisal_id = $appraisal_id
ORDER BY criterion_id
