-- Every criterion of an appraisal is weighted by every council that weights any criterion of it.
WITH councils AS (
    SELECT DISTINCT c.appraisal_id, w.ons_code
    FROM criterion_weight AS w JOIN appraisal_criterion AS c USING (criterion_id))
SELECT c.criterion_id, k.ons_code
FROM appraisal_criterion AS c JOIN councils AS k USING (appraisal_id)
WHERE NOT EXISTS (SELECT 1 FROM criterion_weight AS w WHERE w.criterion_id = c.criterion_id AND w.ons_code = k.ons_code)
