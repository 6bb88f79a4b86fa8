"""Data tests in the dbt manner: each .sql selects the rows that break one rule. The data rules
(queries/checks/, run inside every write) and the facts the shipped data stands on (tests/data_checks/)
must all return nothing on the built database, on DuckDB and on PostgreSQL."""
from pathlib import Path

import pytest

from tests.dbutil import fetch

HERE = Path(__file__).resolve().parent
CHECKS = sorted([*(HERE.parent / "queries" / "checks").glob("*.sql"), *(HERE / "data_checks").glob("*.sql")])


@pytest.mark.both_backends
@pytest.mark.parametrize("check", CHECKS, ids=[c.stem for c in CHECKS])
def test_rule_holds_on_built_database(demo_db, check):
    violating = fetch(demo_db, check.read_text())
    assert violating.empty, f"{check.stem} — first violating rows:\n{violating.head(10).to_string()}"
