-- Purpose: the options appraisals recorded for a programme (seed 003's method), newest first.
-- Grain: one row per appraisal.
-- Parameters: $programme_id (programme.programme_id).
SELECT appraisal_id, programme_id, appraisal_title, appraisal_date, method, source
FROM appraisal
WHERE programme_id = $programme_id
ORDER BY appraisal_date DESC, appraisal_id
