-- Purpose: the council codes an Ofsted file may name (a code not here is refused by the loaders).
-- Grain: one row per council (authority).
-- Parameters: none.
SELECT ons_code, dfe_code, authority_name
FROM authority
ORDER BY ons_code
