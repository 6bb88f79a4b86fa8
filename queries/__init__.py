"""The only code that touches DuckDB.

Reads: one named `.sql` file per question, grouped by domain (`queries/risks/snapshots_by_programme.sql`), run
with `run("risks/snapshots_by_programme", **params)`.
Writes: `write(...)` in `queries.write`, one transaction that also logs to `change_log`.
"""
import monitor  # noqa: F401  (first: pandas' storage of text, set for the process before any frame is made)
from queries.db import DatabaseUnavailable, connect, database_path
from queries.loader import QueryError, data_version, run, sql_text

__all__ = ["DatabaseUnavailable", "QueryError", "connect", "data_version", "database_path", "run", "sql_text"]
