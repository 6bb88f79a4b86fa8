-- Purpose: the keys, UNIQUE, FOREIGN KEY and CHECK rules of every table, as the database enforces
--          them: the Data page checks a file against these before writing anything.
-- Grain: one row per constraint (NOT NULL comes from import_columns).
-- Parameters: none.
SELECT table_name, constraint_type, constraint_column_names, expression, referenced_table,
       referenced_column_names
FROM duckdb_constraints()
WHERE schema_name = 'main' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY', 'CHECK')
ORDER BY table_name, constraint_index
