-- Purpose: every quarterly commissioner report of a programme, every version, with its narrative,
--          confidence judgements and (once submitted) its frozen figures.
-- Grain: one row per report version.
-- Parameters: $programme_id (programme.programme_id).
SELECT
    report_id, programme_id, quarter_label, reporting_date, version, corrects_report_id, author,
    CAST(status AS VARCHAR) AS status, CAST(proposed_confidence AS VARCHAR) AS proposed_confidence,
    CAST(confidence AS VARCHAR) AS confidence, confidence_reason,
    CAST(council_confidence AS VARCHAR) AS council_confidence, council_confidence_reason,
    narrative_json, figures_json, submitted_by, submitted_at, source, row_version,
    submitted_by_name, submitted_by_role, docx_sha256
FROM commissioner_report
WHERE programme_id = $programme_id
ORDER BY quarter_label, version
