"""Two dashboard replicas on one PostgreSQL, each a real `streamlit run` driven by Chromium: a write
through one is read through the other at its next rerun; two submissions of one report, one on each
replica, leave one submission; the second of two edits of one report, made on two replicas, is
refused; a replica killed in the middle of an import leaves nothing of it behind, and the other
replica serves on. (The same rules inside one process, many writers at once: tests/test_write_concurrency.py.)"""
from __future__ import annotations

import datetime as dt
import re
import time

import psycopg
import pytest
from playwright.sync_api import expect

from queries.imports import table_checksums
from serve.cluster import Replica
from tests.browser.conftest import wait_idle
from tests.dbutil import fetch, scalar

pytestmark = pytest.mark.browser

REPORT = "/quarterly_report?programme=hampshire-west-sussex&quarter=2023-Q3"
LAST = "text=Narrative and delivery confidence"  # the form after the last table of the Report tab
COMMISSIONER = "commissioner@example.gov.uk"
ADMIN = "admin@example.gov.uk"
_databases = iter(range(1, 1000))


def start_replicas(url: str, folder, demo_user: str, n: int = 2) -> list[Replica]:
    replicas = [Replica(f"r{i + 1}", url, folder, cookie_secret="replicas-test-cookie-secret",
                        env={"MONITOR_DEMO_USER": demo_user, "PGAPPNAME": f"monitor-test r{i + 1}"}).start()
                for i in range(n)]
    for replica in replicas:
        replica.wait_ready()
    return replicas


@pytest.fixture(scope="module")
def report_db(postgres_server, postgres_template):
    name = f"monitor_replicas_{next(_databases)}"
    url = postgres_server.create_database(name, template=postgres_template)
    yield url
    from queries.db import close

    close(url)
    postgres_server.drop_database(name)


@pytest.fixture(scope="module")
def replicas(report_db, tmp_path_factory):
    started = start_replicas(report_db, tmp_path_factory.mktemp("replicas"), COMMISSIONER)
    yield started
    for replica in started:
        replica.stop()


@pytest.fixture
def two_pages(browser):
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(2)]
    yield [c.new_page() for c in contexts]
    for c in contexts:
        c.close()


def open_report(page, replica) -> None:
    page.goto(replica.url + REPORT)
    wait_idle(page, LAST)


def ready_to_submit(page, reason: str) -> None:
    """The form filled in for a submission (a form sends nothing until its button is clicked)."""
    box = page.get_by_role("combobox", name="Commissioner's delivery confidence")
    box.scroll_into_view_if_needed()
    box.click()
    page.get_by_role("option", name="◑ Amber", exact=True).click()
    page.get_by_label("Reason for the commissioner's delivery confidence").fill(reason)
    page.get_by_text("I confirm this report is ready for DfE").click()


def report_row(db) -> dict:
    return fetch(db, "SELECT CAST(status AS VARCHAR) AS status, narrative_json, confidence_reason, row_version "
                     "FROM commissioner_report WHERE report_id = 'hws-2023-Q3-v1'").iloc[0].to_dict()


def test_a_write_through_one_replica_is_read_through_the_other_and_a_stale_edit_is_refused(replicas, two_pages,
                                                                                          report_db):
    one, other = two_pages
    open_report(one, replicas[0])
    open_report(other, replicas[1])  # the other replica has read (and cached) the report as it was
    other.get_by_label("Summary for DfE").fill("Typed on replica 2 before replica 1 saved.")

    one.get_by_label("Summary for DfE").fill("Saved through replica 1.")
    one.get_by_role("button", name="Save draft").click()
    wait_idle(one, "text=Draft saved")
    assert "Saved through replica 1." in report_row(report_db)["narrative_json"]

    # The second edit, made on the other replica from the version it opened, is refused.
    other.get_by_role("button", name="Save draft").click()
    wait_idle(other, "text=Not saved")
    expect(other.get_by_text(re.compile("changed by someone else since you opened it"))).to_be_visible()
    assert "Saved through replica 1." in report_row(report_db)["narrative_json"]

    # Its next rerun (a reload: a new session on replica 2) reads what replica 1 wrote.
    other.goto(replicas[1].url + REPORT)
    wait_idle(other, LAST)
    expect(other.get_by_label("Summary for DfE")).to_have_value("Saved through replica 1.")


def test_a_report_submitted_on_two_replicas_at_once_is_submitted_once(replicas, two_pages, report_db):
    one, other = two_pages
    open_report(one, replicas[0])
    open_report(other, replicas[1])
    ready_to_submit(one, "Submitted on replica 1.")
    ready_to_submit(other, "Submitted on replica 2.")
    logged = scalar(report_db, "SELECT count(*) FROM change_log WHERE table_name = 'commissioner_report'")
    one.get_by_role("button", name="Submit to DfE").click()
    other.get_by_role("button", name="Submit to DfE").click()  # at once: neither waits for the other
    for page in (one, other):
        wait_idle(page, "text=/Submitted to DfE at|Not saved/")
    outcomes = [bool(page.get_by_text(re.compile("^Submitted to DfE at")).count()) for page in (one, other)]
    assert sorted(outcomes) == [False, True], outcomes
    row = report_row(report_db)
    assert row["status"] == "submitted"
    winner = ["Submitted on replica 1.", "Submitted on replica 2."][outcomes.index(True)]
    assert row["confidence_reason"] == winner
    log = fetch(report_db, "SELECT CAST(action AS VARCHAR) AS action, after_json FROM change_log "
                           "WHERE table_name = 'commissioner_report' ORDER BY change_id")[logged:]
    assert list(log["action"]) == ["update", "refused"]
    assert '"status": "submitted"' in log["after_json"].iloc[0]


# --- A replica killed in the middle of a write -------------------------------------------------------

HEAD = "milestone_id,reporting_date,status,forecast_due_date,source"
ROWS = 5_000
KILLS = 2
CHECKED = 180_000  # the whole file is checked before the Import button shows: on 2 shared cores, slow


START = dt.date(2027, 1, 1)  # after every snapshot of the demo (as tests/test_import_crash.py)
IMPORTED = f"SELECT count(*) FROM milestone_snapshot WHERE reporting_date >= DATE '{START}'"


def snapshot_file(path, milestones: list[str]):
    lines = [HEAD]
    per = ROWS // len(milestones) + 1
    for m in milestones:
        lines += [f"{m},{START + dt.timedelta(days=d)},on track,,illustrative" for d in range(per)]
    path.write_text("\n".join(lines[:ROWS + 1]) + "\n")
    return path


def writing(url: str, application: str) -> bool:
    """Whether a transaction of that replica has begun writing (it has a transaction id)."""
    with psycopg.connect(url, autocommit=True) as con:
        return bool(con.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
                                "AND backend_xid IS NOT NULL", [application]).fetchone()[0])


def test_a_replica_killed_during_an_import_leaves_nothing_of_it_and_the_other_serves_on(
        postgres_server, postgres_template, browser, tmp_path):
    url = postgres_server.create_database("monitor_replica_kill", template=postgres_template)
    # Milestones of programmes still running: the data rules refuse a snapshot outside its programme's dates.
    milestones = fetch(url, "SELECT milestone_id FROM milestone JOIN programme USING (programme_id) "
                            "WHERE end_date IS NULL ORDER BY 1")["milestone_id"].tolist()
    file = snapshot_file(tmp_path / "snapshots.csv", milestones)
    before = table_checksums(url)
    one, other = start_replicas(url, tmp_path, ADMIN)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        for kill in range(KILLS):
            page.goto(f"{one.url}/data")
            wait_idle(page, "text=Import a file")
            page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(file))
            wait_idle(page, "text=no problems found", timeout=CHECKED)
            page.get_by_role("button", name=f"Import {file.name}").click()
            deadline = time.monotonic() + 120
            while not writing(url, "monitor-test r1"):
                assert time.monotonic() < deadline, "the import never began writing"
                time.sleep(0.01)
            time.sleep(0.05 * kill)  # a little further into the write each time
            one.kill()
            assert table_checksums(url) == before, f"kill {kill}: the database holds part of the import"
            # The other replica serves on, reading the same, whole data.
            page.goto(f"{other.url}/data")
            wait_idle(page, "text=Import a file")
            assert scalar(url, IMPORTED) == 0
            one.start()
            one.wait_ready()
        # Finally the import runs to its end through the restarted replica: all of it, once.
        page.goto(f"{one.url}/data")
        wait_idle(page, "text=Import a file")
        page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(file))
        wait_idle(page, "text=no problems found", timeout=CHECKED)
        page.get_by_role("button", name=f"Import {file.name}").click()
        wait_idle(page, f"text=Imported {file.name}", timeout=180_000)
        assert scalar(url, IMPORTED) == ROWS
    finally:
        context.close()
        one.stop()
        other.stop()
        from queries.db import close

        close(url)
        postgres_server.drop_database("monitor_replica_kill")
