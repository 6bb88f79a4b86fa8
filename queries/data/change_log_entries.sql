-- Purpose: the change log, newest first, filtered by table, person and date (the Data page).
-- Grain: one row per change_log entry (at most $row_limit of them).
-- Visibility: change log
-- Parameters: $table_name (change_log.table_name, NULL for every table), $changed_by (an email,
--             NULL for everyone), $from_date and $to_date (DATE, inclusive, NULL for open-ended),
--             $row_limit (the most entries returned).
SELECT change_id, changed_at, changed_by, table_name, row_key, CAST(action AS VARCHAR) AS action,
       before_json, after_json, note, programme_id
FROM change_log
WHERE (CAST($table_name AS VARCHAR) IS NULL OR table_name = $table_name)
  AND (CAST($changed_by AS VARCHAR) IS NULL OR changed_by = $changed_by)
  AND (CAST($from_date AS DATE) IS NULL OR changed_at >= CAST($from_date AS DATE))
  AND (CAST($to_date AS DATE) IS NULL OR changed_at < CAST($to_date AS DATE) + INTERVAL '1 day')
ORDER BY change_id DESC
LIMIT $row_limit
