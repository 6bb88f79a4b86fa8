-- Purpose: each programme's parties (who is in it and as what, lending or not: the Overview card's
--          parties) as councils that may end: the abolition date and successor (authority) and the
--          next vesting day not yet done, with its status and successor (reorganisation: published
--          or proposed), for "councils that end" (monitor.overview.parties).
-- Grain: one row per programme per party council and role.
-- Parameters: $programme_id (optional: one programme's rows; left out or NULL, every programme's).
SELECT
    pp.programme_id, pp.ons_code, a.authority_name, CAST(pp.role AS VARCHAR) AS role, pp.is_lending,
    a.abolished_date, s.authority_name AS successor_name,
    r.vesting_date, CAST(r.status AS VARCHAR) AS vesting_status,
    coalesce(rs.authority_name, r.successor_name) AS vesting_successor
FROM programme_party AS pp
JOIN authority AS a ON a.ons_code = pp.ons_code
LEFT JOIN authority AS s ON s.ons_code = a.successor_ons_code
LEFT JOIN reorganisation AS r
    ON r.ons_code = pp.ons_code AND CAST(r.status AS VARCHAR) <> 'done'
    AND r.vesting_date = (SELECT min(r2.vesting_date) FROM reorganisation AS r2
                          WHERE r2.ons_code = pp.ons_code AND CAST(r2.status AS VARCHAR) <> 'done')
LEFT JOIN authority AS rs ON rs.ons_code = r.successor_ons_code
WHERE (CAST($programme_id AS VARCHAR) IS NULL OR pp.programme_id = $programme_id)
ORDER BY pp.programme_id, a.authority_name, CAST(pp.role AS VARCHAR)
