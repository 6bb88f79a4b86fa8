"""Writes at the same moment: two editors of one row cannot both win, and a report submitted twice
at once is submitted once. Several threads start their write together (a barrier); each goes
through `write` on its own connection, as two sessions of a server, or two replicas, would. (Two
server processes on one PostgreSQL: tests/browser/test_replicas_browser.py.)"""
import threading

import pytest

import queries
from monitor.permissions import Actor
from queries.write import Change, WriteRefused, write
from tests.dbutil import fetch, scalar, submitted

pytestmark = pytest.mark.both_backends

WRITERS = 6
OFFICER = Actor("officer.sussex@example.gov.uk", "Programme Officer, Sussex partnership (demo)", "programme officer",
                frozenset({"east-west-sussex"}))
COMMISSIONER = Actor("commissioner@example.gov.uk", "DfE Commissioner", "commissioner",
                     frozenset({"hampshire-west-sussex"}))


def at_once(jobs) -> list:
    """Run every job in its own thread, released together; each job's result or exception."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def run(i, job):
        barrier.wait()
        try:
            outcomes[i] = job()
        except Exception as exc:  # noqa: BLE001 - the outcome is what is asserted
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return outcomes


def test_two_editors_of_one_row_cannot_both_win(fresh_db, backend):
    milestones = queries.run("milestones/all")
    mid = milestones[milestones["programme_id"] == "east-west-sussex"]["milestone_id"].iloc[0]
    version = int(scalar(fresh_db, "SELECT row_version FROM milestone WHERE milestone_id = $m", {"m": mid}))
    owners = [f"Editor {i}" for i in range(WRITERS)]
    outcomes = at_once([lambda owner=owner: write(
        [Change("milestone", "update", {"milestone_id": mid}, {"owner": owner}, expected_version=version)],
        actor=OFFICER) for owner in owners])
    won = [owner for owner, outcome in zip(owners, outcomes) if not isinstance(outcome, Exception)]
    assert len(won) == 1, outcomes
    assert all(isinstance(o, WriteRefused) for o in outcomes if isinstance(o, Exception)), outcomes
    row = fetch(fresh_db, "SELECT owner, row_version FROM milestone WHERE milestone_id = $m", {"m": mid}).iloc[0]
    assert (row["owner"], row["row_version"]) == (won[0], version + 1)
    updates = fetch(fresh_db, "SELECT after_json FROM change_log WHERE action = 'update' AND table_name = 'milestone'")
    assert len(updates) == 1 and won[0] in updates["after_json"].iloc[0]
    if backend == "postgres":  # the loser is told what happened, in the usual words
        assert all("changed by someone else" in str(o) for o in outcomes if isinstance(o, Exception)), outcomes


def test_a_report_submitted_twice_at_once_is_submitted_once(fresh_db, backend):
    report = fetch(fresh_db, "SELECT report_id, row_version FROM commissioner_report WHERE report_id = 'hws-2023-Q3-v1'")
    assert len(report) == 1
    version = int(report["row_version"].iloc[0])

    def submit(reason):
        return write([Change("commissioner_report", "update", {"report_id": "hws-2023-Q3-v1"},
                             submitted(COMMISSIONER.email, confidence_reason=reason),
                             expected_version=version, programme_id="hampshire-west-sussex")], actor=COMMISSIONER)

    outcomes = at_once([lambda i=i: submit(f"Submitted by session {i}") for i in range(WRITERS)])
    assert sum(not isinstance(o, Exception) for o in outcomes) == 1, outcomes
    rows = fetch(fresh_db, "SELECT CAST(status AS VARCHAR) AS status, confidence_reason FROM commissioner_report "
                           "WHERE programme_id = 'hampshire-west-sussex' AND quarter_label = '2023-Q3'")
    assert list(rows["status"]) == ["submitted"]
    submissions = fetch(fresh_db, "SELECT * FROM change_log WHERE table_name = 'commissioner_report' "
                                  "AND action = 'update'")
    assert len(submissions) == 1


def test_a_new_report_started_twice_at_once_is_one_report(fresh_db):
    def start(i):
        return write([Change("commissioner_report", "insert", {"report_id": "hws-2027-Q1-v1"},
                             {"programme_id": "hampshire-west-sussex", "quarter_label": "2027-Q1", "version": 1,
                              "reporting_date": "2027-03-31", "author": f"Session {i}", "status": "draft",
                              "source": "001 para 2"})], actor=COMMISSIONER)

    outcomes = at_once([lambda i=i: start(i) for i in range(WRITERS)])
    assert sum(not isinstance(o, Exception) for o in outcomes) == 1, outcomes
    assert scalar(fresh_db, "SELECT count(*) FROM commissioner_report WHERE quarter_label = '2027-Q1'") == 1
