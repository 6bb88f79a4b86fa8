-- A draft is only ever the latest version of its quarter's report: earlier versions were submitted
-- (a correction is started from a submitted report), so no quarter has a draft behind a later version.
SELECT d.report_id FROM commissioner_report AS d JOIN commissioner_report AS later
  ON later.programme_id = d.programme_id AND later.quarter_label = d.quarter_label AND later.version > d.version
WHERE d.status = 'draft'
