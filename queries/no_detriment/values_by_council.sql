-- Purpose: the observations of one lending council's no-detriment indicators in one programme,
--          with what the SPC engine and the page need (direction, baseline end, the programme's
--          start, target, tolerance, and why a point is left out of the limits, with its source).
--          Suppressed years are rows with a NULL value and the DfE marker in the note.
-- Visibility: council
-- Grain: one row per indicator per period (an indicator without any observation: one row, NULL period).
-- Parameters: $programme_id (programme.programme_id), $ons_code (authority.ons_code of the council).
SELECT
    i.indicator_id, i.programme_id, i.ons_code, a.authority_name, i.indicator_name, i.unit,
    CAST(i.improvement AS VARCHAR) AS improvement, i.dfe_measure, i.baseline_period, i.baseline_end_date,
    i.target_value, i.tolerance_value, i.source AS indicator_source, p.start_date AS programme_start,
    v.period_label, v.period_end_date, v.value, v.note, v.source,
    x.reason AS excluded_reason, x.source AS excluded_source
FROM indicator AS i
JOIN authority AS a ON a.ons_code = i.ons_code
JOIN programme AS p ON p.programme_id = i.programme_id
LEFT JOIN indicator_value AS v ON v.indicator_id = i.indicator_id
LEFT JOIN indicator_value_exclusion AS x
  ON x.indicator_id = v.indicator_id AND x.period_end_date = v.period_end_date
WHERE i.purpose = 'no_detriment' AND i.programme_id = $programme_id AND i.ons_code = $ons_code
ORDER BY i.indicator_id, v.period_end_date
