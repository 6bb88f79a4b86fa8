-- Purpose: a programme's governance calendar (DfE report due dates, boards, reviews, clauses),
--          for "key dates ahead" in the quarterly report.
-- Grain: one row per key date.
-- Parameters: $programme_id (programme.programme_id).
SELECT key_date_id, due_date, CAST(kind AS VARCHAR) AS kind, title, notice_period_months, source
FROM key_date
WHERE programme_id = $programme_id
ORDER BY due_date, key_date_id
