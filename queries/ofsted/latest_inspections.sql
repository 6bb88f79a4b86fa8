-- Purpose: every council's latest graded inspection (full or short), with its framework version and
--          each judgement area that version grades: the grade, or none where it was not graded.
-- Grain: one row per council with a graded inspection and per judgement area of that inspection's
--        version (ofsted_framework_area).
-- Parameters: none.
WITH graded AS (
    SELECT i.*, row_number() OVER (PARTITION BY i.ons_code
                                   ORDER BY coalesce(i.inspection_date, i.published_date) DESC, i.inspection_id) AS n
    FROM ofsted_inspection AS i
    WHERE i.kind IN ('full inspection', 'short inspection')
)
SELECT
    g.ons_code, a.authority_name, g.inspection_id, g.framework, g.framework_version, g.inspection_type,
    CAST(g.kind AS VARCHAR) AS kind, g.inspection_date, g.published_date, g.web_link, g.source,
    fa.judgement_area, fa.area_order, CAST(j.grade AS VARCHAR) AS grade, j.source AS grade_source
FROM graded AS g
JOIN authority AS a USING (ons_code)
JOIN ofsted_framework_area AS fa ON fa.framework_version = g.framework_version
LEFT JOIN ofsted_judgement AS j ON j.inspection_id = g.inspection_id AND j.judgement_area = fa.judgement_area
WHERE g.n = 1
ORDER BY g.ons_code, fa.area_order
