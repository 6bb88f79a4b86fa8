-- Purpose: the commissioner's quarterly reports of one programme, for the intervention timeline.
-- Grain: one row per report version (commissioner_report).
-- Parameters: $programme_id (programme.programme_id).
SELECT
    r.report_id, r.programme_id, r.quarter_label, r.reporting_date, r.version,
    CAST(r.status AS VARCHAR) AS status, CAST(r.confidence AS VARCHAR) AS confidence,
    r.submitted_at, r.source
FROM commissioner_report AS r
WHERE r.programme_id = $programme_id
ORDER BY r.reporting_date, r.version
