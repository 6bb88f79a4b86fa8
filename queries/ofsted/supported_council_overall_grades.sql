-- Purpose: the Ofsted overall-effectiveness grades of each programme's supported council, oldest
--          first, for "latest grade and its direction".
-- Grain: one row per programme per graded inspection of its supported council.
-- Parameters: none.
SELECT
    pp.programme_id, pp.ons_code, a.authority_name, i.inspection_id, i.framework, i.inspection_type,
    coalesce(i.inspection_date, i.published_date) AS inspection_date, i.published_date,
    CAST(j.grade AS VARCHAR) AS grade,
    i.source
FROM programme_party AS pp
JOIN authority AS a USING (ons_code)
JOIN ofsted_inspection AS i ON i.ons_code = pp.ons_code
JOIN ofsted_judgement AS j ON j.inspection_id = i.inspection_id
WHERE pp.role = 'supported council'
  AND j.judgement_area = 'Overall effectiveness'
ORDER BY pp.programme_id, coalesce(i.inspection_date, i.published_date)
