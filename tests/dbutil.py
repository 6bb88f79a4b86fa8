"""Independent SQL checks in tests, through the process's one connection to the file (DuckDB
refuses a second connection to a file with another configuration in the same process)."""
from __future__ import annotations

import pandas as pd

from queries.db import connect


def fetch(db, sql: str, params: dict | None = None) -> pd.DataFrame:
    with connect(db).cursor() as cur:
        return cur.execute(sql, params or None).df()


def scalar(db, sql: str, params: dict | None = None):
    with connect(db).cursor() as cur:
        row = cur.execute(sql, params or None).fetchone()
    return None if row is None else row[0]
