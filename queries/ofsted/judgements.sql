-- Purpose: every graded judgement of every inspection, in Ofsted's wording of the judgement area.
-- Grain: one row per inspection per judgement area (ofsted_judgement).
-- Parameters: none.
SELECT
    j.inspection_id, j.judgement_area, CAST(j.grade AS VARCHAR) AS grade, j.source
FROM ofsted_judgement AS j
ORDER BY j.inspection_id, j.judgement_area
