-- Purpose: the observations of every no-detriment indicator, with what the headline facts' verdict
--          needs and nothing more (improvement direction, end of the pre-partnership baseline, the
--          programme's start, the target and tolerance, and the reason a point is left out of the
--          limits, if it is): at national scale, every column more is 60,000 values more to convert.
-- Grain: one row per indicator per period.
-- Parameters: $programme_id (optional: one programme's rows; left out or NULL, every programme's).
SELECT
    i.indicator_id, i.programme_id, a.authority_name, i.indicator_name,
    CAST(i.improvement AS VARCHAR) AS improvement, i.baseline_end_date,
    i.target_value, i.tolerance_value, p.start_date AS programme_start,
    v.period_label, v.period_end_date, v.value, x.reason AS excluded_reason
FROM indicator AS i
JOIN authority AS a ON a.ons_code = i.ons_code
JOIN programme AS p ON p.programme_id = i.programme_id
JOIN indicator_value AS v ON v.indicator_id = i.indicator_id
LEFT JOIN indicator_value_exclusion AS x
  ON x.indicator_id = v.indicator_id AND x.period_end_date = v.period_end_date
WHERE i.purpose = 'no_detriment' AND (CAST($programme_id AS VARCHAR) IS NULL OR i.programme_id = $programme_id)
ORDER BY i.programme_id, i.indicator_id, v.period_end_date
