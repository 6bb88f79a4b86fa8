"""Run a named query: `run("risks/snapshots_by_programme", programme_id="east-west-sussex")`.

Each `.sql` file opens with its purpose, its grain and its parameters; parameters are DuckDB named
parameters (`$programme_id`), always bound, never formatted into the text; a parameter the header
calls optional ("$programme_id (optional: ...)") may be left out and is then NULL. Every query runs on
DuckDB and on PostgreSQL (queries.pg translates the parameters and gives the same DataFrame), so a
query is written in SQL both understand. The two catalogue queries that describe the data model
itself (MODEL_QUERIES: what the Data page's templates and imports accept) are answered on
PostgreSQL by the model's one definition, data/schema.sql, which PostgreSQL enforces as it is.
"""
from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pandas as pd

from queries.db import connect, dialect, remembered_data_version, target
from queries.pg import is_postgres
from queries.schema import model_connection

QUERY_DIR = Path(__file__).resolve().parent
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")
_OPTIONAL = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)\s*\(optional\b")
MODEL_QUERIES = frozenset({"data/import_columns", "data/import_constraints"})
K = TypeVar("K")


class QueryError(LookupError):
    """Unknown query name, or parameters that do not match the query's."""


@functools.cache
def sql_text(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9_/]+", name):
        raise QueryError(f"Not a query name: {name!r}")
    path = QUERY_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"No query named {name!r} (looked for {path.relative_to(QUERY_DIR.parent)})")
    return path.read_text(encoding="utf-8")


@functools.cache
def parameters(name: str) -> frozenset[str]:
    """The named parameters a query uses (comments ignored)."""
    return frozenset(_PARAM.findall(_COMMENT.sub("", sql_text(name))))


@functools.cache
def optional_parameters(name: str) -> frozenset[str]:
    """The parameters a query's header calls optional: left out, they are NULL (e.g. every
    programme's rows rather than one's)."""
    header = "\n".join(line for line in sql_text(name).splitlines() if line.startswith("--"))
    return frozenset(_OPTIONAL.findall(header)) & parameters(name)


@functools.cache
def visibility(name: str) -> str | None:
    """What a query's header says its rows are visible by ("-- Visibility: programme"), or None."""
    match = re.search(r"^--\s*Visibility:\s*(.+?)\s*$", sql_text(name), re.M)
    return match.group(1).lower() if match else None


def run(name: str, *, db=None, **params) -> pd.DataFrame:
    """Run query `name` with bound parameters and return the drained result as a DataFrame.

    `db` is a database path (default: the configured one). Raises QueryError for an unknown name,
    a missing parameter or one the query does not take.
    """
    params = {**dict.fromkeys(optional_parameters(name)), **params}
    expected = parameters(name)
    missing = expected - params.keys()
    extra = params.keys() - expected
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(sorted(missing)))
        if extra:
            parts.append("unexpected " + ", ".join(sorted(extra)))
        raise QueryError(f"Query {name!r}: " + "; ".join(parts))
    db = target(db)
    con = model_connection() if name in MODEL_QUERIES and is_postgres(db) else connect(db)
    with con.cursor() as cur:
        return cur.execute(sql_text(name) if dialect(cur) == "postgres" else _parsed(name, cur), params or None).df()


# Each query's text parsed once per process: DuckDB 2's parser was a fifth of the instructions of
# running one of the Overview's queries. DuckDB copies the parsed statement on every run and binds
# and plans the copy then, against the tables as they are (docs/performance-log.md, 2026-12-06).
_PARSED: dict[str, object] = {}


def _parsed(name: str, cur):
    """Query `name` as DuckDB's parsed statement (its text, where it holds more than one)."""
    statement = _PARSED.get(name)
    if statement is None:
        statements = cur.extract_statements(sql_text(name))
        if len(statements) != 1:
            return sql_text(name)
        statement = _PARSED.setdefault(name, statements[0])
    return statement


# Side by side, as concurrent sessions' queries already run: DuckDB answers each on a cursor of its
# own and PostgreSQL on a pooled connection, both outside Python's lock. One query per core: turning
# rows into frames holds Python's lock, and more threads than cores only take turns at it (the
# Overview's ten queries: 33 ms with two threads on two cores, 37 ms with four; docs/performance-log.md).
_SIDE_BY_SIDE = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2), thread_name_prefix="queries")


class Arriving(Mapping[K, pd.DataFrame]):
    """Frames still being read side by side (`run_side_by_side`): each key's waits for its own query
    only, so a caller can work on the first while the others are read."""

    def __init__(self, running: Mapping[K, Future]):
        self._running = running

    def __getitem__(self, key: K) -> pd.DataFrame:
        return self._running[key].result()

    def __iter__(self):
        return iter(self._running)

    def __len__(self) -> int:
        return len(self._running)


def run_side_by_side(requests: Mapping[K, tuple[str, Mapping]], *, db=None) -> Arriving[K]:
    """Several named queries at once, `{key: (name, params)}`, started side by side in the order given:
    `{key: frame}` as they arrive (Arriving)."""
    db = target(db)
    return Arriving({key: _SIDE_BY_SIDE.submit(run, name, db=db, **params) for key, (name, params) in requests.items()})


def run_many(requests: Mapping[K, tuple[str, Mapping]], *, db=None) -> dict[K, pd.DataFrame]:
    """Several named queries at once, `{key: (name, params)}` → `{key: frame}`, run side by side: a view
    that needs ten frames (every programme's headline facts) waits for the longest, not for the sum."""
    return dict(run_side_by_side(requests, db=db))


def data_version(db=None) -> int:
    """Bumped by every write: part of every cache key so cached reads refresh after a change.

    A DuckDB file's is read once and remembered: only this process can write the file (DuckDB's
    lock), and every write forgets the remembered value when it commits
    (queries.db.forget_data_version), so a page rerun costs no query for it. PostgreSQL's is read
    each time (one row by its key, about a tenth of a millisecond): any replica may have written."""
    return remembered_data_version(db, lambda: int(run("data/data_version", db=db)["data_version"].iloc[0]))
