-- Purpose: the stored Ofsted inspections, every column a re-load compares, for planning a re-load
--          of a newer publication (monitor.ofsted_reload).
-- Grain: one row per inspection or visit (ofsted_inspection).
-- Parameters: none.
SELECT
    inspection_id, ons_code, framework, framework_version, inspection_type, CAST(kind AS VARCHAR) AS kind,
    inspection_date, published_date, ofsted_region, visit_theme, web_link, source
FROM ofsted_inspection
ORDER BY inspection_id
