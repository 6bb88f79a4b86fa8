-- Purpose: who has changed which tables, and how many entries the change log holds: the options of
--          the change log's filters on the Data page.
-- Grain: one row per (person, table) pair found in the change log.
-- Parameters: none.
SELECT changed_by, table_name, count(*) AS entries, min(changed_at) AS first_at, max(changed_at) AS last_at
FROM change_log
GROUP BY changed_by, table_name
ORDER BY changed_by, table_name
