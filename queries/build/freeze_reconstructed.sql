-- Purpose: the build's one write to a submitted demo report: its full figures, reconstructed from
--          the demo data (and said so inside them), and the hash of the Word file rendered from them.
--          Run only inside the build's transaction, before the database exists for anyone.
-- Grain: one report version.
-- Parameters: $report_id, $figures_json, $docx_sha256.
UPDATE commissioner_report
SET figures_json = $figures_json, docx_sha256 = $docx_sha256
WHERE report_id = $report_id AND status = 'submitted'
