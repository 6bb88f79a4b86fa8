-- Purpose: the no-detriment indicators of one programme — which lending council each belongs to,
--          its improvement direction, pre-partnership baseline, target and tolerance.
-- Visibility: council
-- Grain: one row per indicator.
-- Parameters: $programme_id (programme.programme_id).
SELECT
    i.indicator_id, i.programme_id, i.ons_code, a.authority_name, i.indicator_name, i.unit,
    CAST(i.improvement AS VARCHAR) AS improvement, i.dfe_measure, i.baseline_period, i.baseline_end_date,
    i.target_value, i.tolerance_value, i.source
FROM indicator AS i
JOIN authority AS a USING (ons_code)
WHERE i.purpose = 'no_detriment' AND i.programme_id = $programme_id
ORDER BY a.authority_name, i.indicator_id
