-- Purpose: every grade of every graded inspection of each programme's supported council, with the
--          inspection's framework version and that version's headline judgement (none under ILACS
--          2026), for "latest Ofsted judgement and its direction" (monitor.ofsted.facts).
-- Grain: one row per programme per graded inspection of its supported council per judgement area.
-- Parameters: $programme_id (optional: one programme's rows; left out or NULL, every programme's).
SELECT
    pp.programme_id, pp.ons_code, a.authority_name, i.inspection_id, i.framework, i.framework_version,
    v.headline_area, i.inspection_type,
    coalesce(i.inspection_date, i.published_date) AS inspection_date, i.published_date,
    j.judgement_area, fa.area_order, CAST(j.grade AS VARCHAR) AS grade, i.source
FROM programme_party AS pp
JOIN authority AS a ON a.ons_code = pp.ons_code
JOIN ofsted_inspection AS i ON i.ons_code = pp.ons_code
JOIN ofsted_judgement AS j ON j.inspection_id = i.inspection_id
LEFT JOIN ofsted_framework_version AS v ON v.framework_version = i.framework_version
LEFT JOIN ofsted_framework_area AS fa ON fa.framework_version = i.framework_version AND fa.judgement_area = j.judgement_area
WHERE CAST(pp.role AS VARCHAR) = 'supported council'
  AND CAST(i.kind AS VARCHAR) IN ('full inspection', 'short inspection')
  AND (CAST($programme_id AS VARCHAR) IS NULL OR pp.programme_id = $programme_id)
ORDER BY pp.programme_id, coalesce(i.inspection_date, i.published_date), i.inspection_id, fa.area_order, j.judgement_area
