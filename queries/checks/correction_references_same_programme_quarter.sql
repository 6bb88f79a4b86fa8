-- A correction references an earlier version of the same programme and quarter.
-- Column: corrects_report_id
SELECT c.report_id FROM commissioner_report AS c JOIN commissioner_report AS o ON o.report_id = c.corrects_report_id
WHERE o.programme_id <> c.programme_id OR o.quarter_label <> c.quarter_label OR o.version >= c.version
