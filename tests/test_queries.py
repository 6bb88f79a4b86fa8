"""The query layer: named files with a header, bound parameters only, clear errors — and every
named query gives the same frame on DuckDB and on PostgreSQL (values, order and dtypes)."""
import datetime as dt
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import queries
from queries.loader import QUERY_DIR, optional_parameters, parameters
from queries.pg import translate

pytestmark = pytest.mark.both_backends

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


def test_an_optional_programme_left_out_reads_every_programme(demo_db):
    """The headline facts' queries read every programme's rows for the Overview and one programme's for
    its own pages: the same query, the programme optional (NULL or left out: every programme)."""
    assert "programme_id" in optional_parameters("milestones/all")
    every = queries.run("milestones/all")
    assert every.equals(queries.run("milestones/all", programme_id=None))
    assert every["programme_id"].nunique() == 5
    one = queries.run("milestones/all", programme_id="east-west-sussex")
    assert len(one) == (every["programme_id"] == "east-west-sussex").sum() > 0
    assert set(one["programme_id"]) == {"east-west-sussex"}
    with pytest.raises(queries.QueryError, match="missing programme_id"):
        queries.run("milestones/snapshots_by_programme")  # not optional there


def test_queries_run_side_by_side_give_what_each_gives_alone(demo_db):
    """The Overview's facts read their ten frames side by side (queries.loader.run_many)."""
    from queries.facts import fact_requests
    from queries.loader import run_many

    requests = fact_requests(dt.date(2026, 12, 4), programme_id="east-west-sussex")
    together = run_many(requests)
    assert list(together) == list(requests)
    for key, (name, params) in requests.items():
        pd.testing.assert_frame_equal(together[key], queries.run(name, **params), obj=key)
    with pytest.raises(queries.QueryError, match="No query named 'nope'"):
        run_many({"a": ("programmes/all", {}), "b": ("nope", {})})


def test_queries_read_as_they_arrive_give_each_its_own_frame(demo_db):
    """The Overview computes each domain's facts as its rows arrive (queries.loader.run_side_by_side):
    a key read on its own gives its query's frame; a failed query fails only the key that reads it."""
    from queries.facts import fact_requests
    from queries.loader import run_side_by_side

    requests = fact_requests(dt.date(2026, 12, 4))
    arriving = run_side_by_side(requests)
    assert list(arriving) == list(requests) and len(arriving) == len(requests)
    name, params = requests["risks"]
    pd.testing.assert_frame_equal(arriving["risks"], queries.run(name, **params))
    assert arriving.get("not asked") is None
    partly = run_side_by_side({"a": ("programmes/all", {}), "b": ("nope", {})})
    pd.testing.assert_frame_equal(partly["a"], queries.run("programmes/all"))
    with pytest.raises(queries.QueryError, match="No query named 'nope'"):
        partly["b"]


def test_a_query_parsed_once_reads_the_data_as_it_is_at_each_run(fresh_db):
    """Each query's text is parsed once per process (queries.loader): every run still binds its own
    parameters and reads the rows as they are then, a committed write included."""
    from monitor.permissions import SYSTEM
    from queries.write import Change, write

    before = queries.run("milestones/all", programme_id="east-west-sussex")
    mid = before["milestone_id"].iloc[0]
    write([Change("milestone", "update", {"milestone_id": mid}, {"owner": "Someone else"})], actor=SYSTEM)
    after = queries.run("milestones/all", programme_id="east-west-sussex")
    assert after.set_index("milestone_id").at[mid, "owner"] == "Someone else"
    assert before.set_index("milestone_id").at[mid, "owner"] != "Someone else"
    other = queries.run("milestones/all", programme_id="hampshire-west-sussex")
    assert set(other["programme_id"]) == {"hampshire-west-sussex"}
    assert len(queries.run("milestones/all")) > len(after)


def test_unknown_query_name_is_refused(demo_db):
    with pytest.raises(queries.QueryError, match="No query named 'nope'"):
        queries.run("nope")
    with pytest.raises(queries.QueryError, match="Not a query name"):
        queries.run("../data/schema")


def test_missing_and_unexpected_parameters_are_refused(demo_db):
    with pytest.raises(queries.QueryError, match="unexpected programme_id"):
        queries.run("programmes/all", programme_id="x")


def test_missing_database_names_the_command_that_builds_it(tmp_path, postgres_server):
    with pytest.raises(queries.DatabaseUnavailable, match="make db DATABASE_URL"):
        queries.connect(postgres_server.create_database("monitor_empty"))
    with pytest.raises(queries.DatabaseUnavailable, match="not answering"):
        queries.connect(f"postgresql://nobody@127.0.0.1:{postgres_server.port + 1}/monitor")
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


# --- The same answers on both databases -----------------------------------------------------------

def samples(db) -> dict[str, list]:
    """Values to run the queries with, per parameter: every demo programme, appraisal and paper, and
    dates before and at today. A query with a parameter not listed here fails the test below: add
    values for it."""
    programmes = queries.run("programmes/all", db=db)["programme_id"].tolist()
    return {
        "programme_id": programmes,
        "appraisal_id": queries.run("appraisal/by_programme", db=db, programme_id=programmes[0])["appraisal_id"].tolist()
        + [a for p in programmes for a in queries.run("appraisal/by_programme", db=db, programme_id=p)["appraisal_id"]],
        "paper": queries.run("sources/papers", db=db)["paper"].tolist(),
        "as_at": [dt.date(2026, 12, 4), dt.date(2022, 3, 31)],
        "today": [dt.date(2026, 12, 4)],
        "table_name": [None, "milestone"], "changed_by": [None, "officer@example.gov.uk"],
        "from_date": [None, dt.date(2020, 1, 1)], "to_date": [None, dt.date(2030, 1, 1)], "row_limit": [100],
    }


def parameter_sets(name: str, values: dict[str, list], db) -> list[dict]:
    """A few combinations of sample values for query `name` (a council goes with a programme of its)."""
    wanted = sorted(parameters(name))
    unknown = [p for p in wanted if p not in values and p != "ons_code"]
    assert not unknown, f"{name}: no sample values for {unknown}; add some to samples() in tests/test_queries.py"
    if not wanted:
        return [{}]
    sets = []
    for i in range(max(len(values.get(p, [])) for p in wanted if p != "ons_code")):
        params = {p: values[p][i % len(values[p])] for p in wanted if p != "ons_code"}
        if "ons_code" in wanted:
            parties = queries.run("programmes/parties", db=db)
            codes = parties[parties["programme_id"] == params["programme_id"]]["ons_code"].tolist()
            sets += [{**params, "ons_code": code} for code in codes]
        else:
            sets.append(params)
    # an optional parameter left out: every programme's rows
    return sets + [{p: v for p, v in sets[0].items() if p not in optional_parameters(name)}] if optional_parameters(name) else sets


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Array cells (one per row) as tuples, so frames compare cell by cell."""
    out = frame.copy()
    for column in out.columns:
        if any(isinstance(v, (list, np.ndarray)) for v in out[column]):
            out[column] = [tuple(v) if isinstance(v, (list, np.ndarray)) else v for v in out[column]]
    return out


@pytest.mark.parametrize("path", SQL_FILES, ids=query_name)
def test_every_query_gives_the_same_frame_on_postgresql(built_db, postgres_demo, path):
    name = query_name(path)
    for params in parameter_sets(name, samples(built_db), built_db):
        duck = queries.run(name, db=built_db, **params)
        pg = queries.run(name, db=postgres_demo, **params)
        pd.testing.assert_frame_equal(comparable(pg), comparable(duck), check_exact=False, rtol=1e-9,
                                      obj=f"{name} {params}")


def test_parameters_are_translated_outside_quotes_only():
    sql = "SELECT '$x', \"a$b\", '50%' -- $y %\nFROM t WHERE c = $name AND d LIKE 'x%' AND e = $gone"
    assert translate(sql, frozenset({"gone"})) == (
        "SELECT '$x', \"a$b\", '50%%' -- $y %%\nFROM t WHERE c = %(name)s AND d LIKE 'x%%' AND e = NULL")


def test_a_process_that_only_reads_gets_its_text_as_python_strings(demo_db):
    # monitor/__init__.py sets pandas' storage of text for the process and queries imports it first: a
    # command that reads without importing monitor itself makes the same frames as the app.
    out = subprocess.run([sys.executable, "-c", "import queries; "
                          "print(queries.run('programmes/all')['programme_id'].dtype.storage)"],
                         capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip() == "python"
