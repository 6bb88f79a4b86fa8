-- Every indicator value's period is unique per indicator (also a key; kept as a readable rule).
-- Column: period_end_date
SELECT indicator_id, period_end_date, count(*) AS n
FROM indicator_value GROUP BY indicator_id, period_end_date HAVING count(*) > 1
