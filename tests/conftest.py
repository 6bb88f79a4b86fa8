"""One factory builds a real database from data/schema.sql and the real CSVs, the way `make db`
does; thin fixtures hand tests a read-only shared copy or a private writable one.

Two databases: the DuckDB file (the default) and PostgreSQL. A test module marked
`pytestmark = pytest.mark.both_backends` runs each of its database tests on both (`backend` is
'duckdb' or 'postgres'; `demo_db` and `fresh_db` are then a file or a postgresql:// address, set as
the app's database). PostgreSQL is a real server that the session starts for itself on first use
(serve.postgres: Debian's package, a temporary directory, a free port, its own user) and stops at
the end; the demo is built on it the way `make db DATABASE_URL=…` builds it, into a template
database from which each `fresh_db` is a copy."""
from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from monitor import clock
from queries import db as dbmod
from queries.build import build
from queries.pg import is_postgres
from serve.postgres import LocalPostgres

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
# The suite runs on a pinned clock, never the machine's date: `make test` runs it on this date and
# again on a second one (MONITOR_TEST_TODAY), so no test can pass only after (or before) some day.
DEFAULT_TEST_TODAY = "2026-12-04"
os.environ[clock.TODAY_ENV] = os.environ.get("MONITOR_TEST_TODAY") or DEFAULT_TEST_TODAY
# The tests choose their database themselves (and the servers they start inherit this environment).
os.environ.pop(dbmod.URL_ENV, None)
BACKENDS = ("duckdb", "postgres")
# Every other test's database: the DuckDB file, or PostgreSQL with MONITOR_TEST_BACKEND=postgres (to run
# the page tests, say, on PostgreSQL too).
DEFAULT_BACKEND = os.environ.get("MONITOR_TEST_BACKEND", "duckdb")
_names = itertools.count(1)


def pytest_generate_tests(metafunc):
    """Tests of a module marked both_backends run once on each database."""
    chosen = any("backend" in str(m.args[0]) for m in metafunc.definition.iter_markers("parametrize"))
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_backends") and not chosen:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


# A test of a both_backends module that concerns the DuckDB file alone (a file held by another
# process, a full disk) says so with this decorator.
duckdb_only = pytest.mark.parametrize("backend", ["duckdb"], indirect=True)
postgres_only = pytest.mark.parametrize("backend", ["postgres"], indirect=True)


@pytest.fixture
def backend(request) -> str:
    """'duckdb' (the default) or 'postgres' (in modules marked both_backends, both)."""
    return getattr(request, "param", DEFAULT_BACKEND)


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server of the session's own, started on first use and stopped at the end."""
    server = LocalPostgres(durable=False).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres_server, built_db) -> str:
    """The demo built on PostgreSQL (its data loaded from the same build as built_db, in one
    transaction, as `make db DATABASE_URL=…` does): a template no test connects to."""
    from queries.transfer import replace_postgres

    url = postgres_server.create_database("monitor_template")
    replace_postgres(url, built_db)
    return "monitor_template"


@pytest.fixture(scope="session")
def postgres_demo(postgres_server, postgres_template) -> str:
    """The shared demo database on PostgreSQL. Tests must not write to it (use fresh_db)."""
    return postgres_server.create_database("monitor_demo", template=postgres_template)


def use_database(monkeypatch, db) -> None:
    """Make `db` (a file or an address) the app's database."""
    if is_postgres(db):
        monkeypatch.setenv(dbmod.URL_ENV, db)
    else:
        monkeypatch.delenv(dbmod.URL_ENV, raising=False)
        monkeypatch.setenv(dbmod.DB_ENV, str(db))


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """The demo database, built once per session. Tests must not write to it (use fresh_db)."""
    path = tmp_path_factory.mktemp("built") / "monitor.duckdb"
    build(path, log=lambda *_: None)
    return path


@pytest.fixture
def demo_db(backend, built_db, request, monkeypatch) -> Path | str:
    """The shared demo database as the app's database (read-only use)."""
    db = request.getfixturevalue("postgres_demo") if backend == "postgres" else built_db
    use_database(monkeypatch, db)
    return db


@pytest.fixture
def fresh_db(backend, built_db, tmp_path, request, monkeypatch) -> Path | str:
    """A private copy of the demo database as the app's database, for tests that write."""
    if backend == "postgres":
        server = request.getfixturevalue("postgres_server")
        name = f"monitor_fresh_{next(_names)}"
        db = server.create_database(name, template=request.getfixturevalue("postgres_template"))
    else:
        db = tmp_path / "monitor.duckdb"
        shutil.copy(built_db, db)
    use_database(monkeypatch, db)
    yield db
    dbmod.close(db)
    if backend == "postgres":
        server.drop_database(name)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


class Downloads(list):
    """Recorded downloads; a deferred file is made when the test reads it — after the run, as the
    server makes it on a click after the run (so a file built from variables the run later
    changed comes out wrong here too)."""

    def __iter__(self):
        for name, mime, data in super().__iter__():
            if callable(data):
                data = data()
                data = data.encode() if isinstance(data, str) else data
            yield name, mime, data


@pytest.fixture
def downloads(monkeypatch):
    """Every file a page hands to a download button, as (file name, mimetype, bytes): static ones
    through MediaFileManager.add; deferred ones (made when clicked) through add_deferred, whose
    callable we run as the server does on the click."""
    captured = Downloads()
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def record(self, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        captured.append((file_name, mimetype, path_or_data))
        return add(self, path_or_data, mimetype, coordinates, file_name=file_name,
                   is_for_static_download=is_for_static_download)

    def record_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        captured.append((file_name, mimetype, data_callable))
        return add_deferred(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", record)
    monkeypatch.setattr(MediaFileManager, "add_deferred", record_deferred)
    return captured
