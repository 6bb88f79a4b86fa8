"""Where the database is, and the connection per process that every read and write shares.

Two databases hold the same data model (data/schema.sql) and answer the same named queries:

- **DuckDB** (the default): the file data/monitor.duckdb, or the one named by $MONITOR_DB. DuckDB
  allows one process to hold the file (another cannot open it, even read-only), so the app, its
  imports, backups and restores all go through this connection; each query takes its own cursor,
  because one connection used from several threads refuses calls or mixes results.
- **PostgreSQL**, when $DATABASE_URL names one (`postgresql://user@host:port/dbname`): the shared
  system of record of several dashboard processes. `connect` returns a pool (queries.pg); each
  cursor borrows one connection for its `with` block.

`db` arguments throughout queries/ are either: a DuckDB file (a path) or a PostgreSQL address.
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import duckdb
import psycopg

from queries.pg import PgDatabase, is_postgres, shown

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "monitor.duckdb"
DB_ENV = "MONITOR_DB"
URL_ENV = "DATABASE_URL"
# What either database raises when it refuses or fails a statement.
DB_ERRORS = (duckdb.Error, psycopg.Error)

# The app's connection answers many small queries, several at once on threads of its own
# (queries.loader), where planning, not reading rows, is most of a query's cost. So each query runs on
# one DuckDB thread (every table but milestone_snapshot is under one row group, which one thread reads
# anyway; a second only added hand-overs), and without join filter pushdown, which built dynamic
# filters and index scans for joins of a few hundred rows. On the national database the named queries
# so took less CPU (1.51 s → 1.28 s, all of them once) and nearly all less time; the two data checks
# that read every source text took 0.2 s longer together (paper_citations_resolve and
# published_sources_are_listed; only a restore runs them over every row). docs/performance-log.md.
# Builds open connections of their own, with DuckDB's defaults.
APP_SETTINGS = {"threads": 1, "disabled_optimizers": "join_filter_pushdown"}

_lock = threading.Lock()
_connections: dict[str, duckdb.DuckDBPyConnection | PgDatabase] = {}
_versions: dict[str, int] = {}  # database → its data_version, as last read
_forgotten: dict[str, int] = {}  # database → how many times a write has forgotten it


class DatabaseUnavailable(RuntimeError):
    """The database is missing, unreadable, held by another process or not answering."""


def database_path() -> Path | str:
    """The database in use: $DATABASE_URL when it names a PostgreSQL database, else the DuckDB file
    $MONITOR_DB, else data/monitor.duckdb. Read at call time so tests and benchmarks can point one
    process at several databases."""
    url = os.environ.get(URL_ENV, "").strip()
    if url:
        if not is_postgres(url):
            raise DatabaseUnavailable(f"{URL_ENV} must name a PostgreSQL database (postgresql://…), "
                                      f"not {shown(url)!r}; unset it to use the DuckDB file.")
        return url
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


def target(db=None) -> Path | str:
    """`db` as given (a file or an address), or the configured database."""
    if db is None:
        return database_path()
    return db if is_postgres(db) else Path(db)


def dialect(cur) -> str:
    """'postgres' or 'duckdb': which database a cursor talks to."""
    return getattr(cur, "dialect", "duckdb")


def describe(db=None) -> str:
    """The database for messages (a PostgreSQL address without its password)."""
    db = target(db)
    return shown(db) if is_postgres(db) else str(db)


def connect(db=None):
    """The process-wide connection to `db` (opened once, read-write): a DuckDB connection, or a
    pool of PostgreSQL connections. Either gives `.cursor()`."""
    db = target(db)
    key = str(db)
    with _lock:
        con = _connections.get(key)
        if con is not None:
            return con
        con = _open_postgres(db) if is_postgres(db) else _open_duckdb(key)
        _connections[key] = con
        return con


def _open_duckdb(key: str) -> duckdb.DuckDBPyConnection:
    if not Path(key).exists():
        raise DatabaseUnavailable(
            f"The database file {key} does not exist. Build it with `make db` "
            f"(or `make run`, which builds it when missing)."
        )
    try:
        con = duckdb.connect(key, config=APP_SETTINGS)
        con.execute("SELECT schema_version FROM schema_version").fetchall()
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseUnavailable(
                f"The database file {key} is in use by another program (the dashboard holds it "
                f"while it runs). Stop the dashboard, or use the Data page instead."
            ) from exc
        raise DatabaseUnavailable(
            f"The database file {key} cannot be opened ({exc}). Rebuild it with `make db`."
        ) from exc
    except duckdb.Error as exc:
        raise DatabaseUnavailable(
            f"The database file {key} is not an Improvement Monitor database ({exc}). "
            f"Rebuild it with `make db`."
        ) from exc
    return con


def _open_postgres(url: str) -> PgDatabase:
    pg = PgDatabase(url)
    try:
        with pg.cursor() as cur:
            cur.execute("SELECT schema_version FROM schema_version").fetchall()
    except psycopg.OperationalError as exc:
        pg.close()
        raise DatabaseUnavailable(f"The PostgreSQL database {shown(url)} is not answering "
                                  f"({str(exc).strip().splitlines()[-1]}).") from exc
    except psycopg.Error as exc:
        pg.close()
        raise DatabaseUnavailable(
            f"The PostgreSQL database {shown(url)} holds no Improvement Monitor data "
            f"({str(exc).strip().splitlines()[0]}). Build it with `make db DATABASE_URL=…`.") from exc
    return pg


@contextmanager
def duckdb_file(path, *, read_only: bool = True):
    """A connection to a DuckDB file for the block: the process's own when it holds the file (DuckDB
    lets a process open a file in one configuration only), else one of the block's own."""
    with _lock:
        held = _connections.get(str(Path(path)))
    if held is not None:
        yield held
        return
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def _version_key(path) -> str:
    # The file itself, however it was spelled: a write through one spelling must reach readers of another.
    db = target(path)
    if is_postgres(db):
        return db
    return _resolved(str(db), "" if db.is_absolute() else os.getcwd())


@lru_cache(maxsize=256)
def _resolved(spelled: str, cwd: str) -> str:
    """A file's absolute path, asked of the file system once per spelling (and working folder, for a
    relative one): every cached read of every rerun names the database."""
    return str(Path(cwd, spelled).resolve())


def remembered_data_version(path, read) -> int:
    """`path`'s data version. A DuckDB file's is remembered, or `read()` and remembered unless a
    write committed while it was being read (then the value may be the old one, so it is returned
    but not kept): only this process can write the file. PostgreSQL's is read every time — one
    row by its key — since any process may have written since."""
    if is_postgres(target(path)):
        return read()
    key = _version_key(path)
    with _lock:
        version, generation = _versions.get(key), _forgotten.get(key, 0)
    if version is not None:
        return version
    version = read()
    with _lock:
        if _forgotten.get(key, 0) == generation:
            _versions[key] = version
    return version


def forget_data_version(path=None) -> None:
    """Called after every committed write: the next read of the data version goes to the database."""
    key = _version_key(path)
    with _lock:
        _versions.pop(key, None)
        _forgotten[key] = _forgotten.get(key, 0) + 1


def close(path=None) -> None:
    """Close the process's connection to `path` (restore and rebuild need a DuckDB file free)."""
    key = str(target(path))
    forget_data_version(path)
    with _lock:
        con = _connections.pop(key, None)
    if con is not None:
        con.close()
