-- Every graded judgement is in an area its inspection's framework version grades
-- (data/reference/ofsted_framework_areas.csv): no care leavers grade under ILACS 2018, no overall
-- effectiveness under ILACS 2026.
SELECT j.inspection_id, i.framework_version, j.judgement_area, CAST(j.grade AS VARCHAR) AS grade, j.source
FROM ofsted_judgement AS j
JOIN ofsted_inspection AS i USING (inspection_id)
LEFT JOIN ofsted_framework_area AS a ON a.framework_version = i.framework_version AND a.judgement_area = j.judgement_area
WHERE a.judgement_area IS NULL
