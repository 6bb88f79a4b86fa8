-- A saving's work stream (when it has one) belongs to the saving's own programme, and its council
-- is a party to that programme: otherwise the Savings page would count it under the wrong partnership.
-- Column: workstream_id
SELECT s.saving_id, s.programme_id, w.programme_id AS workstream_programme_id, s.ons_code
FROM saving AS s
LEFT JOIN workstream AS w ON w.workstream_id = s.workstream_id
WHERE (s.workstream_id IS NOT NULL AND w.programme_id <> s.programme_id)
   OR NOT EXISTS (SELECT 1 FROM programme_party AS p WHERE p.programme_id = s.programme_id AND p.ons_code = s.ons_code)
