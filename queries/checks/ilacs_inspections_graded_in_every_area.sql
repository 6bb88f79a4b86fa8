-- An ILACS standard or short inspection has a grade for every judgement area its version grades.
-- (The earlier frameworks' files leave some areas unjudged, e.g. City of London's adoption
-- performance, so this holds for ILACS only.)
SELECT i.inspection_id, i.framework_version, a.judgement_area
FROM ofsted_inspection AS i
JOIN ofsted_framework_area AS a USING (framework_version)
LEFT JOIN ofsted_judgement AS j ON j.inspection_id = i.inspection_id AND j.judgement_area = a.judgement_area
WHERE i.framework = 'ILACS' AND i.kind IN ('full inspection', 'short inspection') AND j.judgement_area IS NULL
