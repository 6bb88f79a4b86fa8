-- Purpose: every council the Ofsted page can show, with what it needs to say about it: tier,
--          whether it has children's services, whether it still exists, its successor and the
--          upper-tier council that runs children's services for a district, and its ONS region.
-- Grain: one row per council (authority).
-- Parameters: none.
SELECT
    a.ons_code, a.dfe_code, a.authority_name, CAST(a.tier AS VARCHAR) AS tier, a.region_name,
    a.is_childrens_services, a.abolished_date,
    a.successor_ons_code, s.authority_name AS successor_name,
    a.upper_tier_ons_code, u.authority_name AS upper_tier_name,
    u.abolished_date AS upper_tier_abolished_date, u.successor_ons_code AS upper_tier_successor_ons_code
FROM authority AS a
LEFT JOIN authority AS s ON s.ons_code = a.successor_ons_code
LEFT JOIN authority AS u ON u.ons_code = a.upper_tier_ons_code
ORDER BY a.authority_name, a.ons_code
