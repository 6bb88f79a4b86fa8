-- Purpose: DfE's intervention register for each programme's supported council (improvement notices,
--          statutory directions issued / revised / lifted, appointments, reviews, revocation), for
--          the programme's intervention facts (monitor.ofsted.interventions).
-- Grain: one row per programme per intervention event of its supported council.
-- Parameters: $programme_id (optional: one programme's rows; left out or NULL, every programme's).
SELECT
    pp.programme_id, e.ons_code, a.authority_name, e.event_id, e.event_date, CAST(e.kind AS VARCHAR) AS kind,
    e.summary, e.document_url, e.source
FROM programme_party AS pp
JOIN authority AS a ON a.ons_code = pp.ons_code
JOIN intervention_event AS e ON e.ons_code = pp.ons_code
WHERE CAST(pp.role AS VARCHAR) = 'supported council' AND (CAST($programme_id AS VARCHAR) IS NULL OR pp.programme_id = $programme_id)
ORDER BY pp.programme_id, e.event_date, e.event_id
