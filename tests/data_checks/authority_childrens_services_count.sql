-- 153 current councils with children's services (DfE's 2025 statistical-neighbour model has 153).
SELECT count(*) AS n FROM authority
WHERE is_childrens_services AND abolished_date IS NULL
HAVING count(*) <> 153
