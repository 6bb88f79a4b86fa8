-- Purpose: who writes a programme's quarterly report: the author role its report_audience row
--          declares, and the programme's kind (whose default counts when it declares none).
-- Grain: one row per programme (no row for an unknown programme).
-- Parameters: $programme_id (programme.programme_id).
SELECT CAST(p.kind AS VARCHAR) AS kind, a.author_role
FROM programme AS p
LEFT JOIN report_audience AS a ON a.programme_id = p.programme_id
WHERE p.programme_id = $programme_id
