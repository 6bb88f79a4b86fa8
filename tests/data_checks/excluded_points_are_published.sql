-- A point left out of SPC limits (ghosted) is a published figure: a year DfE did not publish is
-- already a gap, with nothing to leave out.
SELECT x.indicator_id, x.period_end_date
FROM indicator_value_exclusion AS x
JOIN indicator_value AS v ON v.indicator_id = x.indicator_id AND v.period_end_date = x.period_end_date
WHERE v.value IS NULL
