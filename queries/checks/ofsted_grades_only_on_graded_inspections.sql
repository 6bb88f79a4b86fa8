-- Graded inspections (full, short) carry the headline judgement of their framework version (Overall
-- effectiveness, or for SLAC its safeguarding judgement) unless the version has none (ILACS 2026);
-- monitoring and focused visits have no grade at all.
SELECT * FROM (
    SELECT i.inspection_id, CAST(i.kind AS VARCHAR) AS kind, i.framework_version, v.headline_area,
           count(j.judgement_area) AS judgements,
           count(*) FILTER (WHERE j.judgement_area = v.headline_area) AS headline
    FROM ofsted_inspection AS i
    JOIN ofsted_framework_version AS v USING (framework_version)
    LEFT JOIN ofsted_judgement AS j USING (inspection_id)
    GROUP BY i.inspection_id, i.kind, i.framework_version, v.headline_area
) AS graded
WHERE (kind IN ('focused visit', 'monitoring visit') AND judgements > 0)
   OR (kind IN ('full inspection', 'short inspection') AND headline_area IS NOT NULL AND headline = 0)
