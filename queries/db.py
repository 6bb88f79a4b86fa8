"""Where the database is, and the one connection per process that every read and write shares.

DuckDB allows one process to hold the file (another cannot open it, even read-only), so the app,
its imports, backups and restores all go through this connection; each query takes its own
cursor, because one connection used from several threads refuses calls or mixes results.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "monitor.duckdb"
DB_ENV = "MONITOR_DB"

_lock = threading.Lock()
_connections: dict[str, duckdb.DuckDBPyConnection] = {}
_versions: dict[str, int] = {}  # database → its data_version, as last read
_forgotten: dict[str, int] = {}  # database → how many times a write has forgotten it


class DatabaseUnavailable(RuntimeError):
    """The database file is missing, unreadable or held by another process."""


def database_path() -> Path:
    """The database in use: $MONITOR_DB if set, else data/monitor.duckdb. Read at call time so
    tests and benchmarks can point one process at several databases."""
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


def connect(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """The process-wide connection to `path` (opened once, read-write)."""
    key = str(Path(path) if path else database_path())
    with _lock:
        con = _connections.get(key)
        if con is not None:
            return con
        if not Path(key).exists():
            raise DatabaseUnavailable(
                f"The database file {key} does not exist. Build it with `make db` "
                f"(or `make run`, which builds it when missing)."
            )
        try:
            con = duckdb.connect(key)
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
        _connections[key] = con
        return con


def _version_key(path) -> str:
    # The file itself, however it was spelled: a write through one spelling must reach readers of another.
    return str((Path(path) if path else database_path()).resolve())


def remembered_data_version(path, read) -> int:
    """`path`'s data version: remembered, or `read()` and remembered unless a write committed while
    it was being read (then the value may be the old one, so it is returned but not kept)."""
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


def forget_data_version(path: Path | str | None = None) -> None:
    """Called after every committed write: the next read of the data version goes to the file."""
    key = _version_key(path)
    with _lock:
        _versions.pop(key, None)
        _forgotten[key] = _forgotten.get(key, 0) + 1


def close(path: Path | str | None = None) -> None:
    """Close the process's connection to `path` (restore and rebuild need the file free)."""
    key = str(Path(path) if path else database_path())
    forget_data_version(path)
    with _lock:
        con = _connections.pop(key, None)
    if con is not None:
        con.close()
