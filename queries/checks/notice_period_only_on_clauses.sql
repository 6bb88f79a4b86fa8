-- Break and termination clauses carry their notice period (the calendar shows the last day to give
-- notice); no other kind of key date has one.
-- Column: notice_period_months
SELECT key_date_id, CAST(kind AS VARCHAR) AS kind, notice_period_months
FROM key_date
WHERE (CAST(kind AS VARCHAR) IN ('break clause', 'termination clause')) <> (notice_period_months IS NOT NULL)
