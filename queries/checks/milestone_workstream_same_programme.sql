-- A milestone's work stream belongs to the milestone's own programme.
-- Column: workstream_id
SELECT m.milestone_id, m.programme_id, w.programme_id AS workstream_programme_id
FROM milestone AS m JOIN workstream AS w USING (workstream_id)
WHERE m.programme_id <> w.programme_id
