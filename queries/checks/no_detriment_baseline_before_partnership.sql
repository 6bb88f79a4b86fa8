-- A no-detriment indicator's baseline is fixed before its programme began and holds at least two
-- published values (a moving range needs two), and its DfE measure exists for England so the page
-- can set the council beside England and its statistical neighbours.
SELECT i.indicator_id, i.baseline_end_date, p.start_date,
       (SELECT count(v.value) FROM indicator_value AS v
        WHERE v.indicator_id = i.indicator_id AND v.period_end_date <= i.baseline_end_date) AS baseline_values
FROM indicator AS i
JOIN programme AS p USING (programme_id)
WHERE i.purpose = 'no_detriment'
  AND (i.baseline_end_date IS NULL
       OR i.baseline_end_date >= p.start_date
       OR (SELECT count(v.value) FROM indicator_value AS v
           WHERE v.indicator_id = i.indicator_id AND v.period_end_date <= i.baseline_end_date) < 2
       OR (i.dfe_measure IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM dfe_statistic AS s WHERE s.measure = i.dfe_measure AND s.level = 'national')))
