-- A council's DfE directions read as a story: the first is "issued"; nothing is revised or lifted
-- before it is issued; nothing follows "lifted" except a new "issued"; one action per council per day.
WITH ordered AS (
    SELECT ons_code, direction_id, direction_date, CAST(action AS VARCHAR) AS action,
           lag(CAST(action AS VARCHAR)) OVER (PARTITION BY ons_code ORDER BY direction_date, direction_id) AS previous,
           count(*) OVER (PARTITION BY ons_code, direction_date) AS same_day
    FROM statutory_direction
)
SELECT * FROM ordered
WHERE (previous IS NULL AND action <> 'issued')
   OR (previous = 'lifted' AND action <> 'issued')
   OR (previous IN ('issued', 'revised') AND action = 'issued')
   OR same_day > 1
