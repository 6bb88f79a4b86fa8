-- A published FTE rate of exactly 0 where the same council's headcount rate for the year is not 0
-- (East Sussex's 2017 FTE turnover: 0 leavers by FTE against 27 by headcount) is a recording gap,
-- not a perfect year: an indicator following it must leave the point out of its SPC limits, with the
-- reason (indicator_value_exclusion).
SELECT v.indicator_id, v.period_label, v.value, i.dfe_measure, h.measure AS headcount_measure,
       h.value AS headcount_value
FROM indicator_value AS v
JOIN indicator AS i ON i.indicator_id = v.indicator_id
JOIN dfe_statistic AS h
  ON h.area_code = i.ons_code AND h.level = 'local authority'
 AND h.measure = replace(i.dfe_measure, '_fte', '_headcount')
 AND h.time_period = EXTRACT(YEAR FROM v.period_end_date)
WHERE i.dfe_measure LIKE '%rate_fte' AND v.value = 0 AND h.value <> 0
  AND NOT EXISTS (SELECT 1 FROM indicator_value_exclusion AS x
                  WHERE x.indicator_id = v.indicator_id AND x.period_end_date = v.period_end_date)
