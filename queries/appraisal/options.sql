-- Purpose: the options of one appraisal, with their descriptions and sources.
-- Grain: one row per option.
-- Parameters: $appraisal_id (appraisal.appraisal_id).
SELECT option_id, option_name, description, source
FROM appraisal_option
WHERE appraisal_id = $appraisal_id
ORDER BY option_id
