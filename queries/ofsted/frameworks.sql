-- Purpose: Ofsted's inspection framework versions, when each applied, and the judgement areas each
--          grades in Ofsted's wording (monitor.loaders.frameworks.Frameworks.from_rows reads this).
-- Grain: one row per framework version and judgement area; a version that grades no area yet (the
--        planned 2027 framework) has one row with the area columns empty.
-- Parameters: none.
SELECT
    v.framework_version, v.framework, v.title, v.valid_from, v.valid_until, CAST(v.status AS VARCHAR) AS status,
    v.headline_area, v.source, a.judgement_area, a.area_order
FROM ofsted_framework_version AS v
LEFT JOIN ofsted_framework_area AS a USING (framework_version)
ORDER BY v.framework, v.valid_from NULLS FIRST, v.framework_version, a.area_order
