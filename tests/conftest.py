"""One factory builds a real database from data/schema.sql and the real CSVs, the way `make db`
does; thin fixtures hand tests a read-only shared copy or a private writable one."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from monitor import clock
from queries import db as dbmod
from queries.build import build

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
# The suite runs on a pinned clock, never the machine's date: `make test` runs it on this date and
# again on a second one (MONITOR_TEST_TODAY), so no test can pass only after (or before) some day.
DEFAULT_TEST_TODAY = "2026-12-04"
os.environ[clock.TODAY_ENV] = os.environ.get("MONITOR_TEST_TODAY") or DEFAULT_TEST_TODAY


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """The demo database, built once per session. Tests must not write to it (use fresh_db)."""
    path = tmp_path_factory.mktemp("built") / "monitor.duckdb"
    build(path, log=lambda *_: None)
    return path


@pytest.fixture
def demo_db(built_db, monkeypatch) -> Path:
    """The shared demo database as the app's database (read-only use)."""
    monkeypatch.setenv(dbmod.DB_ENV, str(built_db))
    return built_db


@pytest.fixture
def fresh_db(built_db, tmp_path, monkeypatch) -> Path:
    """A private copy of the demo database as the app's database, for tests that write."""
    path = tmp_path / "monitor.duckdb"
    shutil.copy(built_db, path)
    monkeypatch.setenv(dbmod.DB_ENV, str(path))
    yield path
    dbmod.close(path)


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
