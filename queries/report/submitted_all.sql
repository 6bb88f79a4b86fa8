-- Purpose: every submitted quarterly report, for the build's reconstruction of their frozen records.
-- Grain: one row per submitted report version.
-- Parameters: none.
SELECT
    report_id, programme_id, quarter_label, reporting_date, version, corrects_report_id, author,
    CAST(status AS VARCHAR) AS status, CAST(proposed_confidence AS VARCHAR) AS proposed_confidence,
    CAST(confidence AS VARCHAR) AS confidence, confidence_reason,
    CAST(council_confidence AS VARCHAR) AS council_confidence, council_confidence_reason,
    narrative_json, submitted_by, submitted_by_name, submitted_by_role, submitted_at, source
FROM commissioner_report
WHERE status = 'submitted'
ORDER BY programme_id, quarter_label, version
