-- Purpose: councils that end or are proposed to end (local government reorganisation): vesting day,
--          status (done, published, proposed), successor and source. An abolition that happened is
--          also in authority.abolished_date, which this agrees with (data check).
-- Grain: one row per council and vesting day (reorganisation).
-- Parameters: none.
SELECT
    r.ons_code, a.authority_name, CAST(a.tier AS VARCHAR) AS tier, a.is_childrens_services, r.vesting_date,
    r.area_name, CAST(r.status AS VARCHAR) AS status, r.successor_ons_code, s.authority_name AS successor_authority_name,
    r.successor_name, r.source
FROM reorganisation AS r
JOIN authority AS a USING (ons_code)
LEFT JOIN authority AS s ON s.ons_code = r.successor_ons_code
ORDER BY r.vesting_date, r.area_name, a.tier, a.authority_name
