-- The published fact the demo stands on: West Sussex, inspected 25 Feb 2019, Inadequate in all four judgements.
SELECT count(*) AS inadequate
FROM ofsted_inspection AS i JOIN ofsted_judgement AS j USING (inspection_id)
WHERE i.ons_code = 'E10000032' AND i.inspection_date = DATE '2019-02-25' AND j.grade = 'Inadequate'
HAVING count(*) <> 4
