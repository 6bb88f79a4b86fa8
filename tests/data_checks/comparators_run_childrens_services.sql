-- A programme's comparator council (programme_comparator) is one Ofsted inspects — a council with
-- children's services — and is not already a party to the programme.
SELECT c.programme_id, c.ons_code, a.authority_name, a.is_childrens_services
FROM programme_comparator AS c
JOIN authority AS a ON a.ons_code = c.ons_code
WHERE NOT a.is_childrens_services
   OR EXISTS (SELECT 1 FROM programme_party AS p WHERE p.programme_id = c.programme_id AND p.ons_code = c.ons_code)
