-- Purpose: fill indicator_value for every indicator that follows a published DfE measure, from
--          dfe_statistic, so official figures are never copied into the demo by hand.
-- Grain: one row per indicator per published year (suppressed years kept as gaps with the marker).
-- Parameters: none. Run once by the database build.
-- Period ends: children-in-need figures cover the year to 31 March; workforce figures are at
-- 30 September of the reporting year.
INSERT INTO indicator_value (indicator_id, period_label, period_end_date, value, note, source)
SELECT
    i.indicator_id,
    CASE WHEN s.source LIKE 'dfe_csww%' THEN 'Sep ' || s.time_period
         ELSE (s.time_period - 1) || '-' || right(CAST(s.time_period AS VARCHAR), 2) END AS period_label,
    CASE WHEN s.source LIKE 'dfe_csww%' THEN make_date(s.time_period, 9, 30)
         ELSE make_date(s.time_period, 3, 31) END AS period_end_date,
    s.value,
    CASE WHEN s.suppression_marker IS NOT NULL
         THEN 'DfE suppression marker ''' || s.suppression_marker || ''' (not published)' END AS note,
    s.source
FROM indicator AS i
JOIN dfe_statistic AS s
  ON s.measure = i.dfe_measure AND s.area_code = i.ons_code AND s.level = 'local authority'
WHERE i.dfe_measure IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM indicator_value AS v WHERE v.indicator_id = i.indicator_id)
