-- Purpose: Ofsted inspections and visits of a programme's supported council(s), with the overall
--          grade where the inspection was graded, for "Ofsted activity in the quarter"; an official
--          file's publisher and title, for the report's source notes.
-- Grain: one row per inspection or visit.
-- Parameters: $programme_id (programme.programme_id).
SELECT
    i.inspection_id, i.ons_code, a.authority_name, i.framework, i.inspection_type, CAST(i.kind AS VARCHAR) AS kind,
    i.inspection_date, i.published_date, i.visit_theme, i.web_link,
    CAST(j.grade AS VARCHAR) AS overall_grade, i.source, d.publisher || ', ' || d.title AS publication
FROM programme_party AS pp
JOIN authority AS a USING (ons_code)
JOIN ofsted_inspection AS i ON i.ons_code = pp.ons_code
LEFT JOIN data_source AS d ON d.source_file = i.source
LEFT JOIN ofsted_judgement AS j ON j.inspection_id = i.inspection_id AND j.judgement_area = 'Overall effectiveness'
WHERE pp.programme_id = $programme_id
  AND pp.role = 'supported council'
ORDER BY coalesce(i.inspection_date, i.published_date), i.inspection_id
