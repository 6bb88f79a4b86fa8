-- Purpose: the governance calendar of every programme: DfE report due dates, boards, reviews,
--          break and termination clauses, start and end. The Overview's "next key dates" and the
--          calendar both read this (row_version: the .ics SEQUENCE of each date's events).
-- Grain: one row per key date.
-- Parameters: none.
SELECT
    k.key_date_id, k.programme_id, p.programme_name, k.due_date, CAST(k.kind AS VARCHAR) AS kind, k.title,
    k.notice_period_months, k.source, k.row_version
FROM key_date AS k
JOIN programme AS p USING (programme_id)
ORDER BY k.due_date, k.programme_id, k.key_date_id
