-- No spreadsheet formula reaches the database: Data to Insight's workbook carries an =HYPERLINK(...)
-- cell (local_link_to_all_inspections) that is never read, and no text a page, CSV or Word file shows
-- may start a formula.
WITH texts AS (
    SELECT 'ofsted_inspection' AS t, inspection_id AS k, inspection_type AS v FROM ofsted_inspection
    UNION ALL SELECT 'ofsted_inspection', inspection_id, web_link FROM ofsted_inspection
    UNION ALL SELECT 'ofsted_inspection', inspection_id, source FROM ofsted_inspection
    UNION ALL SELECT 'ofsted_inspection', inspection_id, visit_theme FROM ofsted_inspection
    UNION ALL SELECT 'ofsted_inspection', inspection_id, ofsted_region FROM ofsted_inspection
    UNION ALL SELECT 'ofsted_judgement', inspection_id, judgement_area FROM ofsted_judgement
    UNION ALL SELECT 'ofsted_judgement', inspection_id, source FROM ofsted_judgement
    UNION ALL SELECT 'intervention_event', event_id, summary FROM intervention_event
    UNION ALL SELECT 'intervention_event', event_id, document_url FROM intervention_event
    UNION ALL SELECT 'intervention_event', event_id, source FROM intervention_event
    UNION ALL SELECT 'reorganisation', ons_code, area_name FROM reorganisation
    UNION ALL SELECT 'reorganisation', ons_code, successor_name FROM reorganisation
    UNION ALL SELECT 'reorganisation', ons_code, source FROM reorganisation
    UNION ALL SELECT 'ofsted_framework_version', framework_version, title FROM ofsted_framework_version
    UNION ALL SELECT 'ofsted_framework_version', framework_version, headline_area FROM ofsted_framework_version
    UNION ALL SELECT 'ofsted_framework_version', framework_version, source FROM ofsted_framework_version
    UNION ALL SELECT 'data_source', source_file, title FROM data_source
    UNION ALL SELECT 'data_source', source_file, source_url FROM data_source
)
SELECT * FROM texts
WHERE left(ltrim(v, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)), 1) IN ('=', '+', '@')
   OR strpos(upper(v), 'HYPERLINK(') > 0 OR strpos(v, 'export_data') > 0
