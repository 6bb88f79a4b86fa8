-- Every option is rated against every criterion of its appraisal.
SELECT o.option_id, c.criterion_id
FROM appraisal_option AS o JOIN appraisal_criterion AS c USING (appraisal_id)
WHERE NOT EXISTS (SELECT 1 FROM option_rating AS r WHERE r.option_id = o.option_id AND r.criterion_id = c.criterion_id)
