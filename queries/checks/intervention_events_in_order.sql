-- A council's DfE intervention reads as a story: a statutory direction is first "issued"; nothing is
-- revised or lifted before it is issued; nothing follows "lifted" except a new "issued"; one
-- direction event per council per day. Likewise an improvement notice is revoked only while one is
-- in force, and a new one is issued only after the last was revoked.
-- Column: kind
WITH directions AS (
    SELECT ons_code, event_id, event_date, CAST(kind AS VARCHAR) AS kind,
           lag(CAST(kind AS VARCHAR)) OVER (PARTITION BY ons_code ORDER BY event_date, event_id) AS previous,
           count(*) OVER (PARTITION BY ons_code, event_date) AS same_day
    FROM intervention_event
    WHERE starts_with(CAST(kind AS VARCHAR), 'statutory direction ')
), notices AS (
    SELECT ons_code, event_id, event_date, CAST(kind AS VARCHAR) AS kind,
           lag(CAST(kind AS VARCHAR)) OVER (PARTITION BY ons_code ORDER BY event_date, event_id) AS previous,
           count(*) OVER (PARTITION BY ons_code, event_date) AS same_day
    FROM intervention_event
    WHERE starts_with(CAST(kind AS VARCHAR), 'improvement notice ')
)
SELECT * FROM directions
WHERE (previous IS NULL AND kind <> 'statutory direction issued')
   OR (previous = 'statutory direction lifted' AND kind <> 'statutory direction issued')
   OR (previous IN ('statutory direction issued', 'statutory direction revised') AND kind = 'statutory direction issued')
   OR same_day > 1
UNION ALL
SELECT * FROM notices
WHERE (previous IS NULL AND kind <> 'improvement notice issued')
   OR (previous = kind)
   OR same_day > 1
