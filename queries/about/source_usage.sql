-- Purpose: how many rows of each table come from each kind of source (a paper, an official file,
--          or 'illustrative'), so the About page can say how much of the demo is made up.
-- Grain: one row per table per source kind.
-- Parameters: none.
WITH tagged AS (
    SELECT 'milestone' AS table_name, source FROM milestone
    UNION ALL SELECT 'milestone_snapshot', source FROM milestone_snapshot
    UNION ALL SELECT 'saving', source FROM saving
    UNION ALL SELECT 'cost_share', source FROM cost_share
    UNION ALL SELECT 'risk', source FROM risk
    UNION ALL SELECT 'key_date', source FROM key_date
    UNION ALL SELECT 'indicator_value', source FROM indicator_value
    UNION ALL SELECT 'commissioner_report', source FROM commissioner_report
    UNION ALL SELECT 'ofsted_inspection', source FROM ofsted_inspection
    UNION ALL SELECT 'programme', source FROM programme
)
SELECT
    table_name,
    CASE WHEN source = 'illustrative' THEN 'illustrative'
         WHEN regexp_matches(source, '^[0-9]{3} ') THEN 'seed paper'
         ELSE 'official file or published record' END AS source_kind,
    count(*) AS row_count
FROM tagged
GROUP BY ALL
ORDER BY table_name, source_kind
