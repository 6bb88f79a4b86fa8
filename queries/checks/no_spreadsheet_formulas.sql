-- No spreadsheet formula reaches the database: Data to Insight's workbook carries an =HYPERLINK(...)
-- cell (local_link_to_all_inspections) that is never read, and no text a page, CSV or Word file shows
-- may start a formula.
WITH texts AS (
    SELECT 'ofsted_inspection' AS t, inspection_id AS k, unnest([inspection_type, web_link, source, visit_theme,
                                                                  ofsted_region]) AS v FROM ofsted_inspection
    UNION ALL SELECT 'ofsted_judgement', inspection_id, unnest([judgement_area, source]) FROM ofsted_judgement
    UNION ALL SELECT 'intervention_event', event_id, unnest([summary, document_url, source]) FROM intervention_event
    UNION ALL SELECT 'reorganisation', ons_code, unnest([area_name, successor_name, source]) FROM reorganisation
    UNION ALL SELECT 'ofsted_framework_version', framework_version, unnest([title, headline_area, source])
              FROM ofsted_framework_version
    UNION ALL SELECT 'data_source', source_file, unnest([title, source_url]) FROM data_source
)
SELECT * FROM texts
WHERE regexp_matches(v, '^\s*[=+@]') OR contains(upper(v), 'HYPERLINK(') OR contains(v, 'export_data')
