-- No duplicate inspection of one council by one framework and kind on one date.
SELECT ons_code, framework, kind, coalesce(inspection_date, published_date) AS d, count(*) AS n
FROM ofsted_inspection GROUP BY ons_code, framework, kind, coalesce(inspection_date, published_date) HAVING count(*) > 1
