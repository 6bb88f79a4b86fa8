-- Purpose: the intervention register: every dated DfE intervention event in a council (improvement
--          notices, statutory directions issued / revised / lifted, commissioner and adviser
--          appointments, reviews, quarterly reports), with the published document where there is one.
-- Grain: one row per event (intervention_event).
-- Parameters: none.
SELECT
    e.event_id, e.ons_code, a.authority_name, e.event_date, CAST(e.kind AS VARCHAR) AS kind,
    e.summary, e.document_url, e.source
FROM intervention_event AS e
JOIN authority AS a USING (ons_code)
ORDER BY e.ons_code, e.event_date, e.event_id
