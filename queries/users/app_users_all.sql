-- Purpose: every sign-in account, active or not, with its programmes, for user management.
-- Grain: one row per app_user.
-- Parameters: none.
SELECT
    u.email,
    u.display_name,
    CAST(u.role AS VARCHAR) AS role,
    u.ons_code,
    a.authority_name AS council_name,
    u.is_active,
    u.row_version,
    coalesce(array_agg(p.programme_id ORDER BY p.programme_id) FILTER (WHERE p.programme_id IS NOT NULL),
             ARRAY[]::VARCHAR[]) AS programme_ids
FROM app_user AS u
LEFT JOIN authority AS a ON a.ons_code = u.ons_code
LEFT JOIN app_user_programme AS p ON p.email = u.email
GROUP BY u.email, u.display_name, u.role, u.ons_code, a.authority_name, u.is_active, u.row_version
ORDER BY is_active DESC, role, display_name
