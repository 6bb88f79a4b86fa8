-- Purpose: the current data version, bumped by every write; cached reads key on it.
-- Grain: one row.
-- Parameters: none.
SELECT data_version FROM data_version WHERE data_version_id = 1
