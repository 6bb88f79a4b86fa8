-- Purpose: every programme with its kind, legal basis, dates and status.
-- Grain: one row per programme.
-- Parameters: none.
SELECT
    programme_id, programme_name, CAST(kind AS VARCHAR) AS kind, legal_basis, start_date, end_date,
    CAST(status AS VARCHAR) AS status, summary, source
FROM programme
ORDER BY CAST(status AS VARCHAR) = 'closed', start_date DESC, programme_name
