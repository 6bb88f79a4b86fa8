"""The national-scale generator: seeded and reproducible, marked illustrative, and loadable under
every constraint of the real schema."""
import duckdb
import pandas as pd
import pytest

from monitor.national import generate
from queries.build import SCHEMA, insert_frame
from tests.dbutil import fetch

SMALL = dict(programmes=12, milestones=400, indicators=30, risks=50, key_dates=40, reports=48)


@pytest.fixture(scope="module")
def authorities(built_db):
    return fetch(built_db, "SELECT * FROM authority")


def test_same_seed_same_data_other_seed_other_data(authorities):
    a, b = generate(authorities, seed=7, **SMALL), generate(authorities, seed=7, **SMALL)
    for table in a:
        pd.testing.assert_frame_equal(a[table], b[table])
    c = generate(authorities, seed=8, **SMALL)
    assert not a["milestone"]["baseline_due_date"].equals(c["milestone"]["baseline_due_date"])


def test_sizes_and_illustrative_marking(authorities):
    frames = generate(authorities, seed=1, **SMALL)
    assert len(frames["programme"]) == 12 and len(frames["milestone"]) == 400
    assert len(frames["milestone_snapshot"]) == 400 * 40
    assert len(frames["indicator_value"]) == 30 * 60
    for table, frame in frames.items():
        assert (frame["source"] == "illustrative").all(), table


def test_generated_rows_satisfy_the_schema(authorities):
    con = duckdb.connect()
    con.execute(SCHEMA.read_text())
    insert_frame(con, "authority", authorities)
    frames = generate(authorities, seed=3, **SMALL)
    for table in ("programme", "programme_party", "workstream", "milestone", "milestone_snapshot", "indicator",
                  "indicator_value", "commissioner_report", "saving", "risk", "risk_snapshot", "key_date"):
        insert_frame(con, table, frames[table])
    assert con.execute("SELECT count(*) FROM milestone").fetchone()[0] == 400


def test_milestones_complete_only_once_their_date_has_come(authorities):
    frames = generate(authorities, seed=5, **SMALL)
    m, s = frames["milestone"], frames["milestone_snapshot"]
    done = m.dropna(subset=["completed_date"])
    assert (pd.to_datetime(done["completed_date"]) <= pd.Timestamp("2026-09-30")).all()
    merged = s.merge(m[["milestone_id", "completed_date"]], on="milestone_id")
    early = merged[(merged["status"] == "complete")
                   & (pd.to_datetime(merged["reporting_date"]) < pd.to_datetime(merged["completed_date"]))]
    assert early.empty
    last = s[s["reporting_date"] == s["reporting_date"].max()].set_index("milestone_id")["status"]
    assert (last[m["milestone_id"]].to_numpy() == m["status"].to_numpy()).all()


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_generated_rows_satisfy_the_schema_on_postgresql(authorities, built_db, fresh_db, tmp_path):
    """The generated rows, added to the demo, loaded into PostgreSQL as `make national-db
    DATABASE_URL=…` loads them (every constraint checked as they go in)."""
    import shutil

    from queries.db import close
    from queries.national import ORDER
    from queries.transfer import replace_postgres

    file = tmp_path / "national.duckdb"
    shutil.copy(built_db, file)
    con = duckdb.connect(str(file))
    frames = generate(authorities, seed=3, **SMALL)
    for table in ORDER:
        insert_frame(con, table, frames[table])
    con.close()
    close(fresh_db)
    replace_postgres(fresh_db, file)
    assert fetch(fresh_db, "SELECT count(*) AS n FROM milestone WHERE source = 'illustrative'")["n"][0] >= 400
    assert fetch(fresh_db, "SELECT count(*) AS n FROM milestone_snapshot")["n"][0] == fetch(
        file, "SELECT count(*) AS n FROM milestone_snapshot")["n"][0]
    close(file)
