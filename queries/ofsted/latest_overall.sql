-- Purpose: each council's latest Overall effectiveness grade (from a full or short inspection), for
--          neighbours' and England's latest grades beside a council's trajectory.
-- Grain: one row per council with at least one graded inspection that judged overall effectiveness.
-- Parameters: none.
SELECT ons_code, authority_name, date, framework, grade
FROM (
    SELECT
        i.ons_code, a.authority_name, coalesce(i.inspection_date, i.published_date) AS date, i.framework,
        CAST(j.grade AS VARCHAR) AS grade,
        row_number() OVER (PARTITION BY i.ons_code
                           ORDER BY coalesce(i.inspection_date, i.published_date) DESC, i.inspection_id DESC) AS latest
    FROM ofsted_inspection AS i
    JOIN authority AS a USING (ons_code)
    JOIN ofsted_judgement AS j ON j.inspection_id = i.inspection_id AND j.judgement_area = 'Overall effectiveness'
    WHERE CAST(i.kind AS VARCHAR) IN ('full inspection', 'short inspection')
) AS graded
WHERE latest = 1
ORDER BY ons_code
