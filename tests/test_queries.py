"""The query layer: named files with a header, bound parameters only, clear errors."""
from pathlib import Path

import pytest

import queries
from queries.loader import QUERY_DIR, parameters

# Every named query: queries/<domain>/<question>.sql, named "<domain>/<question>" (build/ holds the
# build's own statements and checks/ the data rules, not named queries).
SQL_FILES = sorted(p for p in QUERY_DIR.rglob("*.sql") if p.parent.name not in ("build", "checks"))


def query_name(path: Path) -> str:
    return path.relative_to(QUERY_DIR).with_suffix("").as_posix()


@pytest.mark.parametrize("path", SQL_FILES, ids=[query_name(p) for p in SQL_FILES])
def test_every_query_states_purpose_grain_and_parameters(path):
    head = path.read_text().splitlines()[:8]
    text = "\n".join(head)
    for word in ("Purpose:", "Grain:", "Parameters:"):
        assert word in text, f"{query_name(path)} header lacks {word}"


@pytest.mark.parametrize("path", [p for p in SQL_FILES if not parameters(query_name(p))], ids=query_name)
def test_parameterless_queries_run_on_the_demo_database(demo_db, path):
    frame = queries.run(query_name(path))
    assert list(frame.columns), query_name(path)


def test_unknown_query_name_is_refused(demo_db):
    with pytest.raises(queries.QueryError, match="No query named 'nope'"):
        queries.run("nope")
    with pytest.raises(queries.QueryError, match="Not a query name"):
        queries.run("../data/schema")


def test_missing_and_unexpected_parameters_are_refused(demo_db):
    with pytest.raises(queries.QueryError, match="unexpected programme_id"):
        queries.run("programmes/all", programme_id="x")


def test_missing_database_names_the_command_that_builds_it(tmp_path):
    with pytest.raises(queries.DatabaseUnavailable, match="make db"):
        queries.connect(tmp_path / "absent.duckdb")


def test_a_file_that_is_not_a_database_is_explained(tmp_path):
    bad = tmp_path / "bad.duckdb"
    bad.write_text("not a database")
    with pytest.raises(queries.DatabaseUnavailable, match="make db"):
        queries.connect(bad)


def test_no_sql_outside_queries():
    root = Path(__file__).resolve().parent.parent
    import re
    pattern = re.compile(r"[\"'](\s*)(SELECT|INSERT|UPDATE|DELETE|CREATE)\s", re.IGNORECASE)
    files = [root / "dashboard.py", *(root / "pages").glob("*.py"), *(root / "monitor").rglob("*.py"),
             *(root / "ui").rglob("*.py")]
    offenders = [f.name for f in files if pattern.search(f.read_text())]
    assert not offenders
