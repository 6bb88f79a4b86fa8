-- Purpose: every column of every table with its type, nullability and default: what the Data page's
--          templates, imports and edits accept (monitor.imports.spec derives its rules from this).
-- Grain: one row per table column.
-- Parameters: none.
SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_default
FROM information_schema.columns
WHERE table_schema = 'main'
ORDER BY table_name, ordinal_position
