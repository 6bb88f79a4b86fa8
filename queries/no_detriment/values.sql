-- Purpose: the observations of every no-detriment indicator, with what the SPC engine needs
--          (improvement direction, end of the pre-partnership baseline).
-- Grain: one row per indicator per period.
-- Parameters: none.
SELECT
    i.indicator_id, i.programme_id, i.ons_code, a.authority_name, i.indicator_name, i.unit,
    CAST(i.improvement AS VARCHAR) AS improvement, i.dfe_measure, i.baseline_period, i.baseline_end_date,
    i.target_value, v.period_label, v.period_end_date, v.value, v.note, v.source
FROM indicator AS i
JOIN authority AS a USING (ons_code)
JOIN indicator_value AS v USING (indicator_id)
WHERE i.purpose = 'no_detriment'
ORDER BY i.programme_id, i.indicator_id, v.period_end_date
