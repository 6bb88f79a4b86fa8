-- Each children's-services council in the 2025 model has exactly 10 neighbours.
SELECT ons_code, count(*) AS n FROM statistical_neighbour GROUP BY ons_code HAVING count(*) <> 10
