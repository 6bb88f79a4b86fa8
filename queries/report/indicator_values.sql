-- Purpose: every observation of a programme's indicators (improvement and no-detriment), with
--          what the SPC engine needs: improvement direction and the end of the baseline; an official
--          file's publisher and title, for the report's source notes.
-- Grain: one row per indicator per period.
-- Parameters: $programme_id (programme.programme_id).
SELECT
    i.indicator_id, i.indicator_name, CAST(i.purpose AS VARCHAR) AS purpose, i.ons_code, a.authority_name,
    i.unit, CAST(i.improvement AS VARCHAR) AS improvement, i.baseline_period, i.baseline_end_date,
    i.target_value, v.period_label, v.period_end_date, v.value, v.source,
    d.publisher || ', ' || d.title AS publication
FROM indicator AS i
JOIN authority AS a USING (ons_code)
JOIN indicator_value AS v USING (indicator_id)
LEFT JOIN data_source AS d ON d.source_file = v.source
WHERE i.programme_id = $programme_id
ORDER BY CAST(i.purpose AS VARCHAR), i.indicator_id, v.period_end_date
