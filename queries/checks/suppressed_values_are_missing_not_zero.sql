-- DfE suppression markers become missing values with the marker kept, never 0.
SELECT measure, area_code, time_period, value, suppression_marker
FROM dfe_statistic WHERE suppression_marker IS NOT NULL AND value IS NOT NULL
UNION ALL
SELECT 'indicator_value', indicator_id, CAST(extract(year FROM period_end_date) AS INTEGER), value, note
FROM indicator_value WHERE note LIKE 'DfE suppression marker%' AND value IS NOT NULL
