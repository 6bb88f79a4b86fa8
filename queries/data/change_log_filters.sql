-- Purpose: who has changed which tables, and how many entries the change log holds: the options of
--          the change log's filters on the Data page (a person sees the options of the entries they
--          may read).
-- Grain: one row per (person, table, programme) found in the change log.
-- Visibility: change log
-- Parameters: none.
SELECT changed_by, table_name, programme_id, count(*) AS entries, min(changed_at) AS first_at,
       max(changed_at) AS last_at
FROM change_log
GROUP BY changed_by, table_name, programme_id
ORDER BY changed_by, table_name, programme_id
