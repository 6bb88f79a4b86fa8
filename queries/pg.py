"""PostgreSQL through psycopg 3, behind the same small interface as a DuckDB cursor, so the query
layer, the write function, the imports and the backups run unchanged on either database.

- `PgDatabase(url)`: a pool of connections to one database (each checked out for one cursor);
  every connection reads and writes the schema `monitor` (SCHEMA), which a build or a restore
  replaces whole in one transaction.
- `PgCursor`: `execute(sql, params)` with DuckDB's named parameters (`$name`), translated to
  psycopg's (`%(name)s`; a parameter whose value is None is the constant NULL, which PostgreSQL
  can type wherever it stands), always bound, never formatted into the text; `fetchall`,
  `fetchone`, `description`, `df()` (a DataFrame with the dtypes DuckDB gives: DATE and TIMESTAMP
  as datetime64[us], enums and text as str, DECIMAL as float64, integers as int32/int64 — Int32 /
  Int64 when a value is missing), `begin` / `commit` / `rollback`, and `register(name, frame)`
  (a temporary table filled by COPY, for set-based writes and lookups).
"""
from __future__ import annotations

import functools
import os
import re
import threading
import time
from collections.abc import Iterable

import numpy as np
import pandas as pd
import psycopg
from psycopg import errors as pg_errors
from psycopg import pq

SCHEMA = "monitor"
POOL_SIZE = 32
# Errors after which a transaction is simply tried again: another transaction won a conflict.
RETRYABLE = (pg_errors.SerializationFailure, pg_errors.DeadlockDetected)

_TOKENS = re.compile(r"""('(?:[^']|'')*')|("(?:[^"]|"")*")|(--[^\n]*)|(/\*.*?\*/)|\$([A-Za-z_][A-Za-z0-9_]*)|(%)""",
                     re.S)

# PostgreSQL type oids
BOOL, INT2, INT4, INT8, FLOAT4, FLOAT8, NUMERIC = 16, 21, 23, 20, 700, 701, 1700
DATE, TIMESTAMP, TIMESTAMPTZ = 1082, 1114, 1184
_INTS = {INT2: ("int16", "Int16"), INT4: ("int32", "Int32"), INT8: ("int64", "Int64")}


def is_postgres(db) -> bool:
    return isinstance(db, str) and db.startswith(("postgresql://", "postgres://"))


def shown(url: str) -> str:
    """The address without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


@functools.lru_cache(maxsize=4096)
def translate(sql: str, nulls: frozenset[str] = frozenset()) -> str:
    """DuckDB's `$name` parameters as psycopg's `%(name)s` (or NULL when the value is None); every
    literal `%` doubled, as psycopg reads `%` as the start of a placeholder. String literals,
    quoted names and comments are copied as they are (a `$` inside them is text)."""

    def sub(m: re.Match) -> str:
        if m.group(5):
            return "NULL" if m.group(5) in nulls else f"%({m.group(5)})s"
        return m.group(0).replace("%", "%%")

    return _TOKENS.sub(sub, sql)


def _value(v):
    """A value as psycopg adapts it (numpy and pandas scalars as Python's)."""
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return v


def _column(values: list, oid: int):
    """One result column as DuckDB's `.df()` gives it."""
    missing = any(v is None for v in values)
    if oid in _INTS:
        plain, nullable = _INTS[oid]
        return pd.array(values, dtype=nullable) if missing else np.array(values, dtype=plain)
    if oid == BOOL:
        return pd.array(values, dtype="boolean") if missing else np.array(values, dtype=bool)
    if oid in (FLOAT8, NUMERIC):
        return np.array([np.nan if v is None else float(v) for v in values], dtype="float64")
    if oid == FLOAT4:
        return np.array([np.nan if v is None else v for v in values], dtype="float32")
    if oid == DATE:
        return np.array(values, dtype="datetime64[D]").astype("datetime64[us]")
    if oid == TIMESTAMP:
        return np.array(values, dtype="datetime64[us]")
    if values and all(v is None or isinstance(v, str) for v in values) and not all(v is None for v in values):
        return pd.array(values, dtype="str")
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


def frame(description, rows: list[tuple]) -> pd.DataFrame:
    names = [d.name for d in description]
    columns = list(zip(*rows)) if rows else [[] for _ in names]
    data = {i: _column(list(col), d.type_code) for i, (col, d) in enumerate(zip(columns, description))}
    out = pd.DataFrame(data, index=pd.RangeIndex(len(rows)))
    out.columns = names
    return out


class _Pool:
    """Open connections to one database, each lent to one cursor at a time (a psycopg connection
    serialises its users; a Streamlit server runs a thread per session)."""

    def __init__(self, url: str, size: int = POOL_SIZE):
        self.url, self._idle, self._lock = url, [], threading.Lock()
        self._slots = threading.BoundedSemaphore(size)
        self.closed = False

    def _open(self) -> psycopg.Connection:
        # PGAPPNAME names the process in pg_stat_activity (a cluster names each replica).
        con = psycopg.connect(self.url, autocommit=True, connect_timeout=10,
                              application_name=os.environ.get("PGAPPNAME") or "improvement-monitor")
        con.execute(f"SET search_path TO {SCHEMA}")
        return con

    def get(self) -> psycopg.Connection:
        if not self._slots.acquire(timeout=60):
            raise psycopg.OperationalError("no free database connection for 60 s")
        try:
            with self._lock:
                con = self._idle.pop() if self._idle else None
            if con is None or con.closed or con.broken:
                con = self._open()
            return con
        except BaseException:
            self._slots.release()
            raise

    def put(self, con: psycopg.Connection) -> None:
        try:
            if not (con.closed or con.broken) and con.info.transaction_status != pq.TransactionStatus.IDLE:
                con.rollback() if not con.autocommit else con.execute("ROLLBACK")
            keep = not (self.closed or con.closed or con.broken)
        except psycopg.Error:
            keep = False
        if keep:
            with self._lock:
                self._idle.append(con)
        else:
            con.close()
        self._slots.release()

    def close(self) -> None:
        self.closed = True
        with self._lock:
            idle, self._idle = self._idle, []
        for con in idle:
            con.close()


class PgDatabase:
    """One PostgreSQL database, as `queries.db.connect` returns it: `.cursor()` lends a connection."""

    dialect = "postgres"

    def __init__(self, url: str):
        self.url = url
        self.pool = _Pool(url)

    def cursor(self) -> "PgCursor":
        return PgCursor(self)

    def close(self) -> None:
        self.pool.close()


class PgCursor:
    """A DuckDB-like cursor on a pooled connection (use it in a `with` block: the block lends the
    connection; leaving it rolls back anything uncommitted and returns the connection)."""

    dialect = "postgres"

    def __init__(self, db: PgDatabase):
        self.db = db
        self.connection: psycopg.Connection | None = None
        self._cur: psycopg.Cursor | None = None
        self._temp: set[str] = set()
        self._fresh = True  # nothing run yet on this connection: a dropped connection may be replaced

    def __enter__(self) -> "PgCursor":
        self.connection = self.db.pool.get()
        self._cur = self.connection.cursor()
        return self

    def __exit__(self, *exc) -> None:
        con, self.connection = self.connection, None
        if con is None:
            return
        try:
            if not (con.closed or con.broken):
                if con.info.transaction_status != pq.TransactionStatus.IDLE:
                    con.execute("ROLLBACK")
                for name in self._temp:
                    con.execute(f'DROP TABLE IF EXISTS pg_temp."{name}"')
        except psycopg.Error:
            pass
        self._temp.clear()
        self.db.pool.put(con)

    # --- statements ---------------------------------------------------------------------------
    def execute(self, sql: str, params: dict | None = None) -> "PgCursor":
        if params is not None and not isinstance(params, dict):
            raise TypeError("PostgreSQL queries take named parameters ($name) as a dict")
        params = params or {}
        nulls = frozenset(k for k, v in params.items() if v is None)
        text = translate(sql, nulls)
        values = {k: _value(v) for k, v in params.items() if v is not None}
        try:
            self._cur.execute(text, values)
        except psycopg.OperationalError:
            if not (self._fresh and self.connection.broken):
                raise
            self._replace_connection()  # the server dropped an idle pooled connection: once more, anew
            self._cur.execute(text, values)
        self._fresh = False
        return self

    def _replace_connection(self) -> None:
        self.connection.close()
        self.db.pool._slots.release()
        self.connection = self.db.pool.get()
        self._cur = self.connection.cursor()

    @property
    def description(self):
        return self._cur.description

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    def fetchall(self) -> list[tuple]:
        return self._cur.fetchall() if self._cur.description is not None else []

    def fetchone(self):
        return self._cur.fetchone() if self._cur.description is not None else None

    def df(self) -> pd.DataFrame:
        if self._cur.description is None:  # a statement that returns no rows
            return pd.DataFrame({"Count": [max(self._cur.rowcount, 0)]})
        return frame(self._cur.description, self._cur.fetchall())

    # --- transactions -------------------------------------------------------------------------
    def begin(self, isolation: str = "SERIALIZABLE") -> None:
        """Serializable by default: two transactions that could not have run one after the other
        (two editors of one row, two submissions of one report) cannot both commit."""
        self._cur.execute(f"BEGIN ISOLATION LEVEL {isolation}")
        self._fresh = False

    def commit(self) -> None:
        self._cur.execute("COMMIT")
        if self._cur.statusmessage != "COMMIT":  # the transaction had failed: PostgreSQL rolled it back
            raise psycopg.errors.InFailedSqlTransaction("the transaction was rolled back, not committed")

    def rollback(self) -> None:
        if self.connection.info.transaction_status != pq.TransactionStatus.IDLE:
            self._cur.execute("ROLLBACK")

    # --- frames as tables ---------------------------------------------------------------------
    def register(self, name: str, data: pd.DataFrame) -> None:
        """`data` as a temporary table `name` (its own columns and types), filled by COPY."""
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"not a table name: {name!r}")
        columns = [str(c) for c in data.columns]
        types = [_sql_type(data[c]) for c in data.columns]
        self._cur.execute(f'DROP TABLE IF EXISTS pg_temp."{name}"')
        self._cur.execute(f'CREATE TEMPORARY TABLE "{name}" ('
                          + ", ".join(f"{_quote(c)} {t}" for c, t in zip(columns, types)) + ")")
        self._temp.add(name)
        with self._cur.copy(f'COPY "{name}" ({", ".join(map(_quote, columns))}) FROM STDIN') as copy:
            for row in zip(*(_copy_values(data[c]) for c in data.columns)):
                copy.write_row(row)

    def unregister(self, name: str) -> None:
        self._cur.execute(f'DROP TABLE IF EXISTS pg_temp."{name}"')
        self._temp.discard(name)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_type(series: pd.Series) -> str:
    kind = series.dtype.kind
    if kind in "iu":
        return "BIGINT"
    if kind == "f":
        return "DOUBLE PRECISION"
    if kind == "b":
        return "BOOLEAN"
    if kind == "M":
        return "TIMESTAMP"
    return "TEXT"


def _copy_values(series: pd.Series) -> Iterable:
    values = series.tolist()
    if series.dtype.kind == "M":
        return [None if pd.isna(v) else v.to_pydatetime() for v in values]
    return [None if v is None or (isinstance(v, float) and v != v) else v for v in values]


def retrying(attempts: int = 5):
    """Attempt numbers for a transaction tried again after losing a conflict (with a short,
    growing pause: the other transaction has committed by then)."""
    for attempt in range(attempts):
        if attempt:
            time.sleep(0.02 * attempt)
        yield attempt
