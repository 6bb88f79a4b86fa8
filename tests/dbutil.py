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


def submitted(email: str, *, name: str = "DfE Commissioner for West Sussex (demo)", role: str = "commissioner",
              **extra) -> dict:
    """The columns a submission sets, with a minimal frozen record, for tests that submit through the
    write function rather than the page (the rule on submitted reports needs every one of them)."""
    from monitor import clock
    return {"status": "submitted", "submitted_by": email, "submitted_by_name": name, "submitted_by_role": role,
            "submitted_at": clock.now(), "figures_json": '{"sections": {}}', "docx_sha256": "0" * 64,
            "confidence": "Amber"} | extra
