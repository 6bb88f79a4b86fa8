"""One factory builds a real database from data/schema.sql and the real CSVs, the way `make db`
does; thin fixtures hand tests a read-only shared copy or a private writable one."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from queries import db as dbmod
from queries.build import build

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"


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
