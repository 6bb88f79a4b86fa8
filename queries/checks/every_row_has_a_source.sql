-- Every user-facing row names its source (a paper and paragraph, an official file, or 'illustrative').
-- Column: source
SELECT 'programme' AS t, programme_id AS k FROM programme WHERE trim(coalesce(source, '')) = ''
UNION ALL SELECT 'milestone', milestone_id FROM milestone WHERE trim(coalesce(source, '')) = ''
UNION ALL SELECT 'saving', saving_id FROM saving WHERE trim(coalesce(source, '')) = ''
UNION ALL SELECT 'risk', risk_id FROM risk WHERE trim(coalesce(source, '')) = ''
UNION ALL SELECT 'key_date', key_date_id FROM key_date WHERE trim(coalesce(source, '')) = ''
UNION ALL SELECT 'indicator', indicator_id FROM indicator WHERE trim(coalesce(source, '')) = ''
UNION ALL SELECT 'ofsted_inspection', inspection_id FROM ofsted_inspection WHERE trim(coalesce(source, '')) = ''
UNION ALL SELECT 'cost_share', cost_share_id FROM cost_share WHERE trim(coalesce(source, '')) = ''
UNION ALL SELECT 'intervention_event', event_id FROM intervention_event WHERE trim(coalesce(source, '')) = ''
UNION ALL SELECT 'reorganisation', ons_code FROM reorganisation WHERE trim(coalesce(source, '')) = ''
UNION ALL SELECT 'ofsted_framework_version', framework_version FROM ofsted_framework_version WHERE trim(coalesce(source, '')) = ''
UNION ALL SELECT 'programme_comparator', programme_id || '/' || ons_code FROM programme_comparator WHERE trim(coalesce(source, '')) = ''
