-- Purpose: the council codes an Ofsted file may name (a code not here is refused by the loaders),
--          with the Ofsted URN a Data to Insight workbook row is checked against.
-- Grain: one row per council (authority).
-- Parameters: none.
SELECT ons_code, dfe_code, ofsted_urn, authority_name, is_childrens_services
FROM authority
ORDER BY ons_code
