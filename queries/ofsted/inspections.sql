-- Purpose: every Ofsted inspection and visit of a council's children's services, as published,
--          with Ofsted's own region (not the ONS region) and the report link.
-- Grain: one row per inspection or visit (ofsted_inspection).
-- Parameters: none.
SELECT
    i.inspection_id, i.ons_code, a.authority_name, i.framework, i.framework_version, i.inspection_type,
    CAST(i.kind AS VARCHAR) AS kind, i.inspection_date, i.published_date, i.ofsted_region,
    i.visit_theme, i.web_link, i.source
FROM ofsted_inspection AS i
JOIN authority AS a USING (ons_code)
ORDER BY i.ons_code, coalesce(i.inspection_date, i.published_date), i.inspection_id
