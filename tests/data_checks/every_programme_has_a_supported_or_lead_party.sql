-- Every programme has at least two councils in it.
SELECT p.programme_id, count(pp.ons_code) AS parties
FROM programme AS p LEFT JOIN programme_party AS pp USING (programme_id)
GROUP BY p.programme_id HAVING count(DISTINCT pp.ons_code) < 2
