-- Purpose: the people who may sign in, with their role, council and programmes.
-- Grain: one row per active user.
-- Parameters: none.
SELECT
    u.email,
    u.display_name,
    CAST(u.role AS VARCHAR) AS role,
    u.ons_code,
    coalesce(array_agg(p.programme_id ORDER BY p.programme_id) FILTER (WHERE p.programme_id IS NOT NULL),
             ARRAY[]::VARCHAR[]) AS programme_ids
FROM app_user AS u
LEFT JOIN app_user_programme AS p USING (email)
WHERE u.is_active
GROUP BY u.email, u.display_name, u.role, u.ons_code
ORDER BY CAST(u.role AS VARCHAR), u.display_name
