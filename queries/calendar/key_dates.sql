-- Purpose: the governance calendar of every programme: DfE report due dates, boards, reviews,
--          break and termination clauses, start and end — and the vesting day of each party council
--          that ends in local government reorganisation (reorganisation: done, published, or
--          proposed and titled so) while the programme runs or on the day after it ends. The
--          Overview's "next key dates" and the calendar both read this (row_version: the .ics
--          SEQUENCE of each date's events).
-- Grain: one row per key date, and one per programme per party council per vesting day.
-- Parameters: $programme_id (optional: one programme's rows; left out or NULL, every programme's).
SELECT
    k.key_date_id, k.programme_id, p.programme_name, k.due_date, CAST(k.kind AS VARCHAR) AS kind, k.title,
    k.notice_period_months, k.source, CAST(NULL AS VARCHAR) AS reorganisation_status, k.row_version
FROM key_date AS k
JOIN programme AS p ON p.programme_id = k.programme_id
WHERE (CAST($programme_id AS VARCHAR) IS NULL OR k.programme_id = $programme_id)
UNION ALL
SELECT
    'vesting-' || c.programme_id || '-' || r.ons_code || '-' || CAST(r.vesting_date AS VARCHAR) AS key_date_id,
    c.programme_id, p.programme_name, r.vesting_date AS due_date, 'vesting day' AS kind,
    'Vesting day'
        || CASE CAST(r.status AS VARCHAR) WHEN 'proposed' THEN ' (proposed)' WHEN 'published' THEN ' (published)' ELSE '' END
        || ': ' || a.authority_name
        || CASE CAST(r.status AS VARCHAR) WHEN 'done' THEN ' abolished' ELSE ' to be abolished' END
        || CASE WHEN coalesce(s.authority_name, r.successor_name) IS NOT NULL
                THEN '; ' || coalesce(s.authority_name, r.successor_name) || ' takes over'
                ELSE ' (reorganisation of ' || r.area_name || ')' END AS title,
    CAST(NULL AS INTEGER) AS notice_period_months, r.source, CAST(r.status AS VARCHAR) AS reorganisation_status,
    1 AS row_version
FROM (SELECT DISTINCT programme_id, ons_code FROM programme_party) AS c
JOIN programme AS p ON p.programme_id = c.programme_id
JOIN reorganisation AS r ON r.ons_code = c.ons_code
JOIN authority AS a ON a.ons_code = r.ons_code
LEFT JOIN authority AS s ON s.ons_code = r.successor_ons_code
WHERE (p.end_date IS NULL OR r.vesting_date <= p.end_date + INTERVAL '1 day')
  AND (CAST($programme_id AS VARCHAR) IS NULL OR c.programme_id = $programme_id)
ORDER BY due_date, programme_id, key_date_id
