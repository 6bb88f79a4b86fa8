-- Graded inspections (full, short) have an overall headline judgement (Overall effectiveness, or
-- for SLAC its safeguarding judgement); monitoring and focused visits have no grade at all.
SELECT i.inspection_id, CAST(i.kind AS VARCHAR) AS kind, i.framework, count(j.judgement_area) AS judgements,
       count(*) FILTER (WHERE j.judgement_area IN ('Overall effectiveness', 'Safeguarding overall effectiveness')) AS headline
FROM ofsted_inspection AS i
LEFT JOIN ofsted_judgement AS j USING (inspection_id)
GROUP BY ALL
HAVING (kind IN ('focused visit', 'monitoring visit') AND judgements > 0)
    OR (kind IN ('full inspection', 'short inspection') AND headline = 0)
