"""The one write function: a transaction that logs every change, bumps the data version, and
refuses — writing nothing — when the role, the row version or the database says no."""
import json

import pytest

import queries
from monitor.permissions import SYSTEM, Actor
from queries.write import Change, WriteRefused, write

OFFICER = Actor("officer@example.gov.uk", "Olive Officer", "programme officer", frozenset({"east-west-sussex"}))
SCRUTINY = Actor("cllr@example.gov.uk", "Cllr Scrutiny", "scrutiny member", frozenset({"east-west-sussex"}))


def milestone(db, milestone_id):
    frame = queries.run("milestones/all", db=db)
    return frame[frame["milestone_id"] == milestone_id].iloc[0]


def first_milestone_id(db, programme_id="east-west-sussex"):
    frame = queries.run("milestones/all", db=db)
    return frame[frame["programme_id"] == programme_id]["milestone_id"].iloc[0]


def change_log(db):
    with queries.connect(db).cursor() as cur:
        return cur.execute("SELECT * FROM change_log ORDER BY change_id").df()


def test_update_is_logged_with_before_and_after_and_bumps_version(fresh_db):
    mid = first_milestone_id(fresh_db)
    version = queries.data_version(fresh_db)
    result = write([Change("milestone", "update", {"milestone_id": mid}, {"owner": "Director of Law"})], actor=OFFICER)
    assert (result.updated, result.inserted) == (1, 0)
    assert milestone(fresh_db, mid)["owner"] == "Director of Law"
    assert queries.data_version(fresh_db) == version + 1
    log = change_log(fresh_db).iloc[-1]
    assert (log["changed_by"], log["table_name"], log["action"]) == (OFFICER.email, "milestone", "update")
    assert json.loads(log["after_json"])["owner"] == "Director of Law"
    assert json.loads(log["before_json"])["owner"] != "Director of Law"


def test_same_values_change_nothing(fresh_db):
    mid = first_milestone_id(fresh_db)
    owner = milestone(fresh_db, mid)["owner"]
    version = queries.data_version(fresh_db)
    result = write([Change("milestone", "update", {"milestone_id": mid}, {"owner": owner})], actor=OFFICER)
    assert (result.unchanged, result.changed) == (1, 0)
    assert queries.data_version(fresh_db) == version
    assert change_log(fresh_db).empty


def test_scrutiny_member_cannot_write_and_refusal_is_logged(fresh_db):
    mid = first_milestone_id(fresh_db)
    before = milestone(fresh_db, mid)
    with pytest.raises(WriteRefused, match="scrutiny member can read but not change"):
        write([Change("milestone", "update", {"milestone_id": mid}, {"owner": "x"})], actor=SCRUTINY)
    assert milestone(fresh_db, mid).equals(before)
    log = change_log(fresh_db)
    assert list(log["action"]) == ["refused"] and log["changed_by"].iloc[0] == SCRUTINY.email


def test_officer_cannot_write_another_programme(fresh_db):
    mid = first_milestone_id(fresh_db, "breckland-south-holland")
    with pytest.raises(WriteRefused, match="not a programme officer for programme breckland-south-holland"):
        write([Change("milestone", "update", {"milestone_id": mid}, {"owner": "x"})], actor=OFFICER)


def test_all_or_nothing_when_one_change_breaks_a_constraint(fresh_db):
    mid = first_milestone_id(fresh_db)
    before = milestone(fresh_db, mid)
    with pytest.raises(WriteRefused, match="database refused"):
        write([Change("milestone", "update", {"milestone_id": mid}, {"owner": "Someone new"}),
               Change("milestone", "update", {"milestone_id": mid}, {"owner": None})], actor=SYSTEM)
    assert milestone(fresh_db, mid)["owner"] == before["owner"]


def test_stale_row_version_is_refused_showing_their_change(fresh_db):
    mid = first_milestone_id(fresh_db)
    write([Change("milestone", "update", {"milestone_id": mid}, {"owner": "First editor"}, expected_version=1)], actor=OFFICER)
    with pytest.raises(WriteRefused, match="changed by someone else.*First editor"):
        write([Change("milestone", "update", {"milestone_id": mid}, {"owner": "Second editor"}, expected_version=1)],
              actor=OFFICER)
    assert milestone(fresh_db, mid)["owner"] == "First editor"


def test_submitted_report_cannot_be_changed_even_by_an_administrator(fresh_db):
    with queries.connect(fresh_db).cursor() as cur:
        report_id, narrative = cur.execute(
            "SELECT report_id, narrative_json FROM commissioner_report WHERE status = 'submitted' LIMIT 1").fetchone()
    with pytest.raises(WriteRefused, match="submitted and can no longer be changed"):
        write([Change("commissioner_report", "update", {"report_id": report_id}, {"narrative_json": "{}"})], actor=SYSTEM)
    with queries.connect(fresh_db).cursor() as cur:
        assert cur.execute("SELECT narrative_json FROM commissioner_report WHERE report_id = $r",
                           {"r": report_id}).fetchone()[0] == narrative


def test_unknown_table_or_column_never_reaches_sql(fresh_db):
    with pytest.raises(WriteRefused, match="no table"):
        write([Change("milestone; DROP TABLE milestone", "update", {"milestone_id": "x"}, {})], actor=SYSTEM)
    with pytest.raises(WriteRefused, match="has no column"):
        write([Change("milestone", "update", {"milestone_id": "x"}, {'owner" = 1; --': "x"})], actor=SYSTEM)
    with pytest.raises(WriteRefused, match="no table"):
        write([Change("change_log", "delete", {"change_id": 1})], actor=SYSTEM)


def test_insert_then_delete_round_trip(fresh_db):
    row = {"programme_id": "east-west-sussex", "due_date": "2027-01-15", "kind": "board",
           "title": "Extra board", "source": "illustrative"}
    write([Change("key_date", "insert", {"key_date_id": "test-kd"}, row)], actor=OFFICER)
    assert "Extra board" in set(queries.run("calendar/key_dates", db=fresh_db)["title"])
    write([Change("key_date", "delete", {"key_date_id": "test-kd"})], actor=OFFICER)
    assert "Extra board" not in set(queries.run("calendar/key_dates", db=fresh_db)["title"])
    assert list(change_log(fresh_db)["action"]) == ["insert", "delete"]
