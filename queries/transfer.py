"""Whole databases between DuckDB and PostgreSQL, for the build, the backups and the restores.

`replace_postgres(url, duckdb_file)`: every table of a DuckDB database copied into a new schema of
the PostgreSQL database (made from data/schema.sql: every constraint checked as the rows go in,
parents first) which then becomes the live schema `monitor`, the old one dropped — all in ONE
transaction. Until it commits the live data is untouched; a failure or a crash leaves it as it
was, and no half-built schema behind. The data version moves past the live one, so every replica's
cached pages refresh at their next rerun.

`postgres_snapshot(url, duckdb_file)`: the reverse, every table as of one moment (one repeatable-read
transaction), with the live data version and last change-log entry as of that same moment.

Rows travel as CSV, which both databases read and write natively (a NULL is an empty unquoted
field, an empty text a quoted one).
"""
from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import duckdb
import psycopg
from psycopg import sql

from queries import catalog
from queries.db import duckdb_file
from queries.pg import SCHEMA
from queries.schema import duckdb_ddl, postgres_statements

CHUNK = 1 << 20


class LiveChanged(RuntimeError):
    """The live database changed after it was read (a restore would lose that change)."""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def fk_order(cur) -> list[str]:
    """Tables with every table they reference before them."""
    tables = catalog.tables(cur)
    parents = {t: set() for t in tables}
    for table, _, ref, _ in catalog.foreign_keys(cur):
        if ref != table and table in parents:
            parents[table].add(ref)
    order: list[str] = []
    while parents:
        ready = sorted(t for t, ps in parents.items() if not ps - set(order))
        if not ready:
            raise RuntimeError("foreign keys form a cycle")
        order += ready
        for t in ready:
            parents.pop(t)
    return order


def live_state(cur) -> tuple[int, int]:
    """(data version, last change-log entry): any committed write moves one of them."""
    return tuple(int(v) for v in cur.execute(
        "SELECT (SELECT data_version FROM data_version WHERE data_version_id = 1), "
        "(SELECT coalesce(max(change_id), 0) FROM change_log)").fetchone())


def replace_postgres(url: str, source: Path, *, expect: tuple[int, int] | None = None, log=lambda *_: None) -> int:
    """Make the DuckDB database `source` the live data of PostgreSQL database `url`, atomically.
    With `expect`, refuse (LiveChanged, nothing changed) unless the live (data version, last
    change) is still that. Returns the new data version."""
    staging = f"{SCHEMA}_new_{os.getpid()}_{secrets.token_hex(4)}"
    old = f"{SCHEMA}_old_{os.getpid()}_{secrets.token_hex(4)}"
    with duckdb_file(source) as src, \
            psycopg.connect(url, autocommit=False, application_name="improvement-monitor build") as con, \
            tempfile.TemporaryDirectory(prefix="monitor-transfer-") as tmp:
        con.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(staging)))
        con.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(staging)))
        for statement in postgres_statements():
            con.execute(statement)
        con.execute("DELETE FROM data_version")
        con.execute("DELETE FROM schema_version")
        with src.cursor() as cur:
            for table in fk_order(cur):
                _copy_in(cur, con, table, Path(tmp))
        con.execute("SELECT setval('change_id_seq', (SELECT coalesce(max(change_id), 0) + 1 FROM change_log), false)")
        con.execute("ANALYZE")
        version = _swap(con, staging, old, expect)
        con.commit()
    log(f"Loaded into {SCHEMA} (data version {version})")
    return version


def _copy_in(src, con: psycopg.Connection, table: str, tmp: Path) -> None:
    columns = catalog.columns(src, table)
    path = tmp / f"{table}.csv"
    names = ", ".join(map(_q, columns))
    # PostgreSQL checks a COPY's foreign keys when it ends: a row may refer to one later in the file.
    src.execute(f"COPY (SELECT {names} FROM {_q(table)}) TO $p (FORMAT csv, HEADER false)", {"p": str(path)})
    with con.cursor() as cur, cur.copy(f"COPY {_q(table)} ({names}) FROM STDIN (FORMAT csv)") as copy, \
            path.open("rb") as f:
        while chunk := f.read(CHUNK):
            copy.write(chunk)
    path.unlink()


def _swap(con: psycopg.Connection, staging: str, old: str, expect) -> int:
    """The staged schema becomes the live one (the old dropped) in the caller's transaction."""
    con.execute("SET LOCAL lock_timeout = '60s'")
    live = con.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [SCHEMA]).fetchone()
    new_version = int(con.execute("SELECT coalesce(max(data_version), 1) FROM data_version").fetchone()[0])
    if live:
        tables = [r[0] for r in con.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [SCHEMA]).fetchall()]
        if tables:  # nobody reads or writes the live tables until this transaction ends
            con.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(
                sql.SQL(", ").join(sql.Identifier(SCHEMA, t) for t in tables)))
        state = None
        if {"data_version", "change_log"} <= set(tables):
            state = tuple(int(v) for v in con.execute(sql.SQL(
                "SELECT (SELECT data_version FROM {} WHERE data_version_id = 1), "
                "(SELECT coalesce(max(change_id), 0) FROM {})").format(
                    sql.Identifier(SCHEMA, "data_version"), sql.Identifier(SCHEMA, "change_log"))).fetchone())
        if expect is not None and state != tuple(expect):
            raise LiveChanged("the database changed while the new data were being prepared")
        if state is not None and state[0] is not None:
            new_version = max(new_version, state[0] + 1)
        con.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(SCHEMA), sql.Identifier(old)))
    con.execute("UPDATE data_version SET data_version = %s", [new_version])
    con.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(staging), sql.Identifier(SCHEMA)))
    if live:
        con.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(old)))
    return new_version


def postgres_snapshot(url: str, target: Path) -> tuple[int, int]:
    """Every table of PostgreSQL database `url` into a new DuckDB file `target` (made from
    data/schema.sql), as of one moment. Returns that moment's (data version, last change)."""
    dst = duckdb.connect(str(target))
    try:
        dst.execute(duckdb_ddl())
        dst.execute("DELETE FROM data_version")
        dst.execute("DELETE FROM schema_version")
        with psycopg.connect(url, autocommit=False, application_name="improvement-monitor snapshot") as con, \
                tempfile.TemporaryDirectory(prefix="monitor-transfer-") as tmp:
            con.isolation_level, con.read_only = psycopg.IsolationLevel.REPEATABLE_READ, True  # one moment
            con.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(SCHEMA)))
            with dst.cursor() as cur:
                cur.begin()
                for table in fk_order(cur):
                    _copy_out(con, cur, table, Path(tmp))
                cur.commit()
            with con.cursor() as pcur:
                state = live_state(pcur)
            con.rollback()
        dst.execute("CHECKPOINT")
    finally:
        dst.close()
    return state


def _copy_out(con: psycopg.Connection, dst, table: str, tmp: Path) -> None:
    columns = catalog.columns(dst, table)
    names = ", ".join(map(_q, columns))
    path = tmp / f"{table}.csv"
    with con.cursor() as cur, path.open("wb") as f:
        with cur.copy(f"COPY (SELECT {names} FROM {_q(table)}) TO STDOUT (FORMAT csv, FORCE_QUOTE *)") as copy:
            for chunk in copy:
                f.write(chunk)
    spec = ", ".join(f"'{c}': 'VARCHAR'" for c in columns)  # names from the catalogue
    rows = (f"SELECT {names} FROM read_csv($p, header = false, columns = {{{spec}}}, delim = ',', quote = '\"', "
            "escape = '\"', allow_quoted_nulls = false, auto_detect = false)")
    self_refs = [(cols, ref_cols) for t, cols, ref, ref_cols in catalog.foreign_keys(dst) if t == ref == table]
    if not self_refs:
        dst.execute(f"INSERT INTO {_q(table)} ({names}) {rows}", {"p": str(path)})
    else:  # DuckDB checks a row against the rows there before the statement: parents first, round by round
        dst.execute(f"CREATE TEMPORARY TABLE _snapshot_rows AS {rows}", {"p": str(path)})
        key = catalog.primary_key(dst, table)

        def text(alias: str, column: str) -> str:
            return f"CAST({alias}.{_q(column)} AS VARCHAR)"

        absent = (f"NOT EXISTS (SELECT 1 FROM {_q(table)} AS x WHERE "
                  + " AND ".join(f"{text('x', c)} = s.{_q(c)}" for c in key) + ")")
        ready = " AND ".join(f"(s.{_q(c)} IS NULL OR EXISTS (SELECT 1 FROM {_q(table)} AS y WHERE "
                             f"{text('y', r)} = s.{_q(c)}))"
                             for cols, ref_cols in self_refs for c, r in zip(cols, ref_cols))
        insert = f"INSERT INTO {_q(table)} ({names}) SELECT {names} FROM _snapshot_rows AS s WHERE {absent}"
        while dst.execute(f"{insert} AND {ready}").fetchone()[0]:
            pass
        dst.execute(insert)  # whatever is left refers to nothing: this fails and says so
        dst.execute("DROP TABLE _snapshot_rows")
    path.unlink()
