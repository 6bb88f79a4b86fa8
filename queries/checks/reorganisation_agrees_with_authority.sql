-- An abolition lives in authority.abolished_date / successor_ons_code: a reorganisation that is done
-- agrees with it, and a council with one published or proposed is still in existence. Every council
-- abolished since 2019 appears in a done reorganisation.
SELECT r.ons_code, CAST(r.status AS VARCHAR) AS status, r.vesting_date, a.abolished_date, r.successor_ons_code,
       a.successor_ons_code AS authority_successor
FROM reorganisation AS r
JOIN authority AS a USING (ons_code)
WHERE (r.status = 'done' AND (a.abolished_date IS DISTINCT FROM r.vesting_date
                              OR a.successor_ons_code IS DISTINCT FROM r.successor_ons_code))
   OR (r.status <> 'done' AND a.abolished_date IS NOT NULL)
UNION ALL
SELECT a.ons_code, 'missing', NULL, a.abolished_date, NULL, a.successor_ons_code
FROM authority AS a
WHERE a.abolished_date >= DATE '2019-01-01'
  AND NOT EXISTS (SELECT 1 FROM reorganisation AS r WHERE r.ons_code = a.ons_code AND r.status = 'done')
