"""Property-based: generated milestone rows import and read back exactly; the same rows with one
cell made wrong are refused, naming that row and column, and nothing is written."""
import csv
import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.permissions import Actor
from queries.imports import import_upload, table_checksums, validate_upload
from tests.dbutil import fetch

pytestmark = pytest.mark.both_backends

OFFICER = Actor("officer.sussex@example.gov.uk", "Officer", "programme officer", frozenset({"east-west-sussex"}))
COLUMNS = ["milestone_id", "programme_id", "workstream_id", "milestone_title", "owner", "baseline_due_date",
           "forecast_due_date", "completed_date", "status", "evidence", "source"]
STATUSES = ["not started", "on track", "at risk", "off track", "complete", "dropped"]
START = dt.date(2020, 1, 1)  # east-west-sussex started 1 Jan 2020
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
               max_size=40).map(str.strip).filter(lambda s: s and not (s[0] == "'" and s[1:2] in "=+-@"))
dates = st.dates(START, dt.date(2035, 12, 31))


# Sources a person may give: each of the four provenances (the data rules refuse anything else).
SOURCES = ["illustrative", "000 para 2.3", "003 §15 (derived: bsh-savings-per-year)",
           "dfe_csww_indicators_2017_to_2025.csv", "000 para 4.1 (amounts illustrative)"]


@st.composite
def milestone(draw, n):
    status = draw(st.sampled_from(STATUSES))
    return {"milestone_id": f"hyp-{n}", "programme_id": "east-west-sussex",
            "workstream_id": draw(st.sampled_from(["ews-governance", "ews-improvement"])),
            "milestone_title": draw(text), "owner": draw(text), "baseline_due_date": draw(dates),
            "forecast_due_date": draw(st.none() | dates),
            "completed_date": draw(dates) if status == "complete" else None,
            "status": status, "evidence": draw(st.none() | text),
            "source": draw(st.sampled_from(SOURCES))}


rows = st.integers(1, 6).flatmap(lambda k: st.tuples(*[milestone(i) for i in range(k)]))
MUTATIONS = {  # column -> a value it can never take
    "status": "half done", "baseline_due_date": "2024-13-01", "forecast_due_date": "2019-12-31",
    "workstream_id": "no-such-workstream", "owner": "", "programme_id": "breckland-south-holland",
}


def to_csv(records) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for r in records:
        writer.writerow({k: "" if v is None else (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items()})
    return out.getvalue().encode("utf-8")


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(records=rows)
def test_valid_rows_round_trip_exactly(fresh_db, records):
    validation, result = import_upload("gen.csv", to_csv(records), actor=OFFICER, db=fresh_db)
    assert validation.ok, validation.problems
    stored = fetch(fresh_db, "SELECT * FROM milestone WHERE starts_with(milestone_id, 'hyp-')")
    stored = {r["milestone_id"]: r for r in stored.to_dict("records")}
    for record in records:
        got = stored[record["milestone_id"]]
        for column in COLUMNS:
            value = got[column]
            if hasattr(value, "date"):
                value = value.date()
            if value != value:  # NaT / NaN
                value = None
            assert value == record[column], (column, value, record[column])
    again, result = import_upload("gen.csv", to_csv(records), actor=OFFICER, db=fresh_db)
    assert result.changed == 0 and result.unchanged == len(records)


@SETTINGS
@given(records=rows, data=st.data())
def test_one_mutated_cell_is_refused_at_its_place(fresh_db, records, data):
    index = data.draw(st.integers(0, len(records) - 1))
    column = data.draw(st.sampled_from(sorted(MUTATIONS)))
    mutated = [dict(r) for r in records]
    mutated[index][column] = MUTATIONS[column]
    before = table_checksums(fresh_db, ["milestone", "change_log"])
    validation = validate_upload("gen.csv", to_csv(mutated), actor=OFFICER, db=fresh_db)
    assert not validation.ok
    assert any(p.row == index + 2 and column in (p.column or "") for p in validation.problems), validation.problems
    validation, result = import_upload("gen.csv", to_csv(mutated), actor=OFFICER, db=fresh_db)
    assert result is None and table_checksums(fresh_db, ["milestone", "change_log"]) == before
