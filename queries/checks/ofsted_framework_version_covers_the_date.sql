-- Each inspection's framework version applied on its date (the inspection date, or the publication
-- date where that is all that is known), and is not one still being consulted on.
SELECT i.inspection_id, i.framework_version, coalesce(i.inspection_date, i.published_date) AS d,
       v.valid_from, v.valid_until, CAST(v.status AS VARCHAR) AS status
FROM ofsted_inspection AS i
JOIN ofsted_framework_version AS v USING (framework_version)
WHERE v.status = 'consultation'
   OR coalesce(i.inspection_date, i.published_date) < v.valid_from
   OR coalesce(i.inspection_date, i.published_date) > v.valid_until
