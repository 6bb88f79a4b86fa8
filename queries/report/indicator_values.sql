-- Purpose: every observation of a programme's indicators (improvement and no-detriment), with
--          what the SPC engine and the no-detriment verdict need: improvement direction, the end of
--          the baseline, the programme's start, target and tolerance, and the reason a point is left
--          out of the limits (if it is); an official file's publisher and title, for the report's
--          source notes.
-- Grain: one row per indicator per period.
-- Parameters: $programme_id (programme.programme_id).
SELECT
    i.indicator_id, i.indicator_name, CAST(i.purpose AS VARCHAR) AS purpose, i.ons_code, a.authority_name,
    i.unit, CAST(i.improvement AS VARCHAR) AS improvement, i.baseline_period, i.baseline_end_date,
    i.target_value, i.tolerance_value, p.start_date AS programme_start,
    v.period_label, v.period_end_date, v.value, v.source, x.reason AS excluded_reason,
    d.publisher || ', ' || d.title AS publication
FROM indicator AS i
JOIN authority AS a ON a.ons_code = i.ons_code
JOIN programme AS p ON p.programme_id = i.programme_id
JOIN indicator_value AS v ON v.indicator_id = i.indicator_id
LEFT JOIN indicator_value_exclusion AS x
  ON x.indicator_id = v.indicator_id AND x.period_end_date = v.period_end_date
LEFT JOIN data_source AS d ON d.source_file = v.source
WHERE i.programme_id = $programme_id
ORDER BY CAST(i.purpose AS VARCHAR), i.indicator_id, v.period_end_date
