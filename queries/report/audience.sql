-- Purpose: who a programme's quarterly report goes to and who writes it (DfE or its governing
--          board; the author's role and title; the council the annual report goes to), with the
--          programme's kind for the default when the programme has no report_audience row.
-- Grain: one row per programme (no row for an unknown programme).
-- Parameters: $programme_id (programme.programme_id).
SELECT
    p.programme_id, CAST(p.kind AS VARCHAR) AS programme_kind, r.audience, r.report_to, r.author_role,
    r.author_title, r.annual_to, r.annual_ons_code, a.authority_name AS annual_council_name, r.source
FROM programme AS p
LEFT JOIN report_audience AS r ON r.programme_id = p.programme_id
LEFT JOIN authority AS a ON a.ons_code = r.annual_ons_code
WHERE p.programme_id = $programme_id
