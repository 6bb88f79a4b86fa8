-- Purpose: each council's latest graded inspection (full or short) and its overall grade — the
--          headline judgement of its framework version, NULL where the version has none (ILACS
--          2026) — for neighbours' and England's latest grades beside a council's trajectory.
-- Grain: one row per council with at least one graded inspection.
-- Parameters: none.
WITH graded AS (
    SELECT
        i.inspection_id, i.ons_code, coalesce(i.inspection_date, i.published_date) AS date, i.framework,
        i.framework_version,
        row_number() OVER (PARTITION BY i.ons_code
                           ORDER BY coalesce(i.inspection_date, i.published_date) DESC, i.inspection_id DESC) AS n
    FROM ofsted_inspection AS i
    WHERE CAST(i.kind AS VARCHAR) IN ('full inspection', 'short inspection')
      AND EXISTS (SELECT 1 FROM ofsted_judgement AS g WHERE g.inspection_id = i.inspection_id)
)
SELECT
    g.ons_code, a.authority_name, g.date, g.framework, g.framework_version, v.headline_area,
    CAST(j.grade AS VARCHAR) AS grade
FROM graded AS g
JOIN authority AS a ON a.ons_code = g.ons_code
LEFT JOIN ofsted_framework_version AS v ON v.framework_version = g.framework_version
LEFT JOIN ofsted_judgement AS j ON j.inspection_id = g.inspection_id AND j.judgement_area = v.headline_area
WHERE g.n = 1
ORDER BY g.ons_code
