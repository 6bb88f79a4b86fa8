-- A delivered figure is only reported for a year that also has a forecast, and savings years fall
-- within the programme's span (a year may start before the programme ends).
-- Column: delivered_gbp
SELECT s.saving_id, s.financial_year, s.forecast_gbp, s.delivered_gbp, p.start_date, p.end_date
FROM saving AS s
JOIN programme AS p USING (programme_id)
WHERE (s.delivered_gbp IS NOT NULL AND s.forecast_gbp IS NULL)
   OR make_date(CAST(substr(s.financial_year, 1, 4) AS INTEGER) + 1, 3, 31) < p.start_date
