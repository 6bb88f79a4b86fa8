"""Data tests in the dbt manner: each .sql under tests/data_checks/ selects the rows that break one
rule; on the built database every one must return nothing, on DuckDB and on PostgreSQL."""
from pathlib import Path

import pytest

from tests.dbutil import fetch

CHECKS = sorted((Path(__file__).parent / "data_checks").glob("*.sql"))


@pytest.mark.both_backends
@pytest.mark.parametrize("check", CHECKS, ids=[c.stem for c in CHECKS])
def test_rule_holds_on_built_database(demo_db, check):
    violating = fetch(demo_db, check.read_text())
    assert violating.empty, f"{check.stem} — first violating rows:\n{violating.head(10).to_string()}"
