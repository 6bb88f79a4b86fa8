-- Purpose: who is in each programme and as what (supported council, partner, commissioner...).
-- Grain: one row per programme per council per role.
-- Parameters: none.
SELECT
    pp.programme_id, pp.ons_code, a.authority_name, CAST(pp.role AS VARCHAR) AS role, pp.is_lending,
    a.is_childrens_services, a.abolished_date, pp.source
FROM programme_party AS pp
JOIN authority AS a USING (ons_code)
ORDER BY pp.programme_id, CAST(pp.role AS VARCHAR), a.authority_name
