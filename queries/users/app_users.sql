-- Purpose: the people who may sign in, with their role, council and programmes, and when each last
--          signed out (a session opened before then has ended).
-- Grain: one row per active user.
-- Parameters: none.
SELECT
    u.email,
    u.display_name,
    CAST(u.role AS VARCHAR) AS role,
    u.ons_code,
    u.signed_out_at,
    coalesce(array_agg(p.programme_id ORDER BY p.programme_id) FILTER (WHERE p.programme_id IS NOT NULL),
             ARRAY[]::VARCHAR[]) AS programme_ids
FROM app_user AS u
LEFT JOIN app_user_programme AS p USING (email)
WHERE u.is_active
GROUP BY u.email, u.display_name, u.role, u.ons_code, u.signed_out_at
ORDER BY CAST(u.role AS VARCHAR), u.display_name
