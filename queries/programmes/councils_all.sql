-- Purpose: every council a person's account can be tied to (a chief executive's own council).
-- Grain: one row per authority, current or abolished.
-- Parameters: none.
SELECT
    ons_code,
    authority_name,
    CAST(tier AS VARCHAR) AS tier,
    abolished_date
FROM authority
ORDER BY abolished_date IS NOT NULL, authority_name
