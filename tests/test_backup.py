"""Backup and restore through the Data page's "Backup and restore" tab (AppTest, as an
administrator uses it): a database holding every kind of row the app writes — report corrections
included — comes back row for row; an older backup never un-submits a report; the change log is
never rewound; hostile backups are refused with plain messages and change nothing."""
from pathlib import Path

import pytest

import queries
from monitor.permissions import SYSTEM, Actor
from queries import backup, catalog
from queries.db import connect
from queries.write import Change, WriteRefused, write
from tests.apptest import open_app, texts
from tests.dbutil import fetch, scalar, submitted

ADMIN = "admin@example.gov.uk"
OFFICER = Actor("officer.sussex@example.gov.uk", "Officer", "programme officer", frozenset({"east-west-sussex"}))
COMMISSIONER = Actor("commissioner@example.gov.uk", "DfE Commissioner for West Sussex (demo)", "commissioner",
                     frozenset({"hampshire-west-sussex"}))
KEY = "this-installation-test-backup-key-0123456789"
pytestmark = pytest.mark.both_backends
CORPUS = Path(__file__).resolve().parent / "bad_inputs"
HEAD = "milestone_id,programme_id,workstream_id,milestone_title,owner,baseline_due_date,forecast_due_date,completed_date,status,evidence,source"
NEW_MILESTONE = "ews-m90,east-west-sussex,ews-governance,Quarterly return loaded,Head of Policy,2026-06-30,2026-07-31,,on track,,illustrative"


@pytest.fixture(autouse=True)
def key(monkeypatch):
    """Every backup here is signed with a test key from the environment: the real .streamlit/ is never touched."""
    monkeypatch.setenv(backup.KEY_ENV, KEY)


def every_row(db) -> dict[str, list[tuple]]:
    with connect(db).cursor() as cur:
        return {t: cur.execute(f'SELECT * FROM "{t}" ORDER BY ' + ", ".join(
            str(i + 1) for i in range(len(catalog.columns(cur, t))))).fetchall() for t in catalog.tables(cur)}


def data_page():
    at = open_app("pages/data.py", email=ADMIN)
    assert not at.exception, at.exception
    return at


def problems_shown(at) -> list[str]:
    """The problems the page lists, one plain-text line each (never rendered as markdown)."""
    return [str(t.value) for t in at.get("text")]


def backup_through_page(at) -> tuple[str, bytes]:
    at.button(key="backup_make").click().run()
    assert not at.exception, at.exception
    assert at.get("download_button"), "no download offered"
    return at.session_state["backup_zip"]


def upload_backup(at, name: str, data: bytes):
    at.get("file_uploader")[1].set_value((name, data, "application/zip"))
    at.run()
    assert not at.exception, at.exception
    return at


def restore_through_page(at, name: str, data: bytes):
    upload_backup(at, name, data)
    assert "It passed every check." in texts(at)
    assert at.button(key="restore_go").disabled
    at.checkbox(key="restore_confirm").check().run()
    at.button(key="restore_go").click().run()
    assert not at.exception, at.exception
    return at


def start_correction(quarter: str):
    """The Quarterly report page's "Start a correction (new version)", as the commissioner."""
    at = open_app("pages/quarterly_report.py", query={"programme": "hampshire-west-sussex", "quarter": quarter},
                  email=COMMISSIONER.email)
    at.button(key="start_correction").click().run()
    assert not at.exception, at.exception
    assert "Correction started" in texts(at)


def submit(db, report_id: str) -> None:
    """Submit a draft through the write function the page uses, as the commissioner."""
    version = scalar(db, "SELECT row_version FROM commissioner_report WHERE report_id = $r", {"r": report_id})
    write([Change("commissioner_report", "update", {"report_id": report_id},
                  submitted(COMMISSIONER.email, confidence_reason="Checked again."), expected_version=version)],
          actor=COMMISSIONER, note="submitted", db=db)


def test_every_kind_of_row_the_app_writes_comes_back_row_for_row(fresh_db):
    # A chain of corrections: v1 submitted <- v2 submitted <- v3 draft (each refers to the one before).
    start_correction("2023-Q2")
    submit(fresh_db, "hampshire-west-sussex-2023-Q2-v2")
    start_correction("2023-Q2")
    chain = fetch(fresh_db, "SELECT report_id, status, coalesce(corrects_report_id, '-') FROM commissioner_report "
                            "WHERE quarter_label = '2023-Q2' AND programme_id = 'hampshire-west-sussex' ORDER BY version")
    assert chain.values.tolist() == [["hws-2023-Q2-v1", "submitted", "-"],
                                     ["hampshire-west-sussex-2023-Q2-v2", "submitted", "hws-2023-Q2-v1"],
                                     ["hampshire-west-sussex-2023-Q2-v3", "draft", "hampshire-west-sussex-2023-Q2-v2"]]
    # Change-log rows of every action: insert, update, delete and a refusal.
    write([Change("key_date", "delete", {"key_date_id": fetch(fresh_db, "SELECT min(key_date_id) AS k FROM key_date")["k"][0]})],
          actor=SYSTEM, db=fresh_db)
    with pytest.raises(WriteRefused):
        write([Change("milestone", "update", {"milestone_id": "bsh-m01"}, {"owner": "x"})], actor=OFFICER, db=fresh_db)
    at = data_page()
    at.get("file_uploader")[0].set_value(("milestones.csv", f"{HEAD}\n{NEW_MILESTONE}\n".encode(), "text/csv"))
    at.run()
    at.button(key="import_go").click().run()
    assert "1 inserted" in texts(at)
    assert set(fetch(fresh_db, "SELECT DISTINCT CAST(action AS VARCHAR) AS a FROM change_log")["a"]) == {
        "insert", "update", "delete", "refused"}
    before = every_row(fresh_db)
    assert all(before.values()), [t for t, rows in before.items() if not rows]  # every table holds rows

    name, data = backup_through_page(at)
    # Afterwards: a milestone changed, a risk deleted — the restore must undo both.
    write([Change("milestone", "update", {"milestone_id": "ews-m90"}, {"owner": "Someone else"})], actor=SYSTEM, db=fresh_db)
    write([Change("risk_snapshot", "delete", fetch(fresh_db, "SELECT risk_id, reporting_date FROM risk_snapshot "
                                                             "LIMIT 1").iloc[0].to_dict())], actor=SYSTEM, db=fresh_db)
    log_before_restore = every_row(fresh_db)["change_log"]
    version = queries.data_version(fresh_db)

    restore_through_page(at, name, data)
    restorable = len(before) - len(backup.KEPT)  # every table but the log and the counters
    assert f"Restored {restorable} tables from the backup made" in texts(at)
    after = every_row(fresh_db)
    for table, rows in before.items():
        if table not in backup.KEPT:
            assert after[table] == rows, f"{table} differs after the restore"
    # The change log is kept, never rewound: everything before, then one entry per restored table.
    assert after["change_log"][:len(log_before_restore)] == log_before_restore
    restored = after["change_log"][len(log_before_restore):]
    assert len(restored) == restorable and {(r[2], r[8][:28]) for r in restored} == {(ADMIN, "restore of the whole table f")}
    assert queries.data_version(fresh_db) > version


def test_an_older_backup_never_un_submits_or_removes_a_submitted_report(fresh_db):
    at = data_page()
    name, data = backup_through_page(at)
    # After the backup: the draft of 2023-Q3 is submitted, and 2023-Q2 gets a submitted correction.
    submit(fresh_db, "hws-2023-Q3-v1")
    start_correction("2023-Q2")
    submit(fresh_db, "hampshire-west-sussex-2023-Q2-v2")
    submitted = fetch(fresh_db, "SELECT * FROM commissioner_report WHERE status = 'submitted' ORDER BY report_id")
    log = every_row(fresh_db)["change_log"]

    restore_through_page(at, name, data)
    shown = texts(at)
    assert "Kept from the live database: 2 submitted reports that the backup lacks or holds otherwise" in shown
    kept = next(d.value for d in at.dataframe if "in the backup" in d.value.columns)
    assert kept[["report_id", "in the backup"]].values.tolist() == [
        ["hampshire-west-sussex-2023-Q2-v2", "not in the backup"], ["hws-2023-Q3-v1", "a draft version in the backup"]]
    after = fetch(fresh_db, "SELECT * FROM commissioner_report WHERE status = 'submitted' ORDER BY report_id")
    assert after.equals(submitted)  # every submitted report as it was: same values, same version, still submitted
    assert every_row(fresh_db)["change_log"][:len(log)] == log
    note = fetch(fresh_db, "SELECT note FROM change_log WHERE table_name = 'commissioner_report' "
                           "AND note LIKE 'restore of the whole table%'")["note"][0]
    assert "kept from the live database: 2 submitted reports (hampshire-west-sussex-2023-Q2-v2, hws-2023-Q3-v1)" in note


def test_an_unchanged_database_restores_and_says_every_submitted_report_was_in_the_backup(fresh_db):
    at = data_page()
    name, data = backup_through_page(at)
    restore_through_page(at, name, data)
    assert "Every submitted report of the live database (20) is in the backup unchanged." in texts(at)


@pytest.mark.parametrize("file, words", [
    ("backup_traversal_manifest.zip", "only a plain file name"),
    ("backup_tampered_resummed.zip", "manifest was changed after the backup was signed"),
    ("backup_unsigned.zip", "it has no signature"),
])
def test_a_hostile_backup_is_refused_on_the_page_with_plain_problems(fresh_db, monkeypatch, file, words):
    from tests.bad_inputs.make_backup_corpus import CORPUS_KEY

    monkeypatch.setenv(backup.KEY_ENV, CORPUS_KEY)
    before, version = every_row(fresh_db), queries.data_version(fresh_db)
    at = upload_backup(data_page(), file, (CORPUS / file).read_bytes())
    assert "This backup cannot be restored; nothing was changed." in texts(at)
    assert any(words in p for p in problems_shown(at)), problems_shown(at)
    assert not [b for b in at.button if b.key == "restore_go"]
    assert every_row(fresh_db) == before and queries.data_version(fresh_db) == version


def test_a_backup_from_another_installation_is_refused(fresh_db, monkeypatch):
    at = data_page()
    name, data = backup_through_page(at)
    monkeypatch.setenv(backup.KEY_ENV, "the-other-installation-key-0123456789")
    upload_backup(at, name, data)
    assert "This backup cannot be restored" in texts(at)
    assert "signed with another key" in problems_shown(at)[0]


def test_a_file_name_is_never_rendered_as_markdown(fresh_db):
    at = upload_backup(data_page(), "[Click here](http://example.com/x).zip", b"not a zip")
    assert problems_shown(at)[0].startswith("[Click here](http://example.com/x).zip:-:-: not a zip file")
    assert "Click here" not in texts(at)  # only in the plain-text problem line, never as markdown


def test_a_restore_is_refused_for_someone_no_longer_an_administrator(fresh_db):
    at = data_page()
    name, data = backup_through_page(at)
    upload_backup(at, name, data)
    at.checkbox(key="restore_confirm").check().run()
    write([Change("app_user", "update", {"email": ADMIN}, {"is_active": False})], actor=SYSTEM, db=fresh_db)
    version = queries.data_version(fresh_db)
    at.button(key="restore_go").click().run()
    assert not at.exception, at.exception
    assert queries.data_version(fresh_db) == version  # the callback checked who is signed in now: refused
    assert not scalar(fresh_db, "SELECT count(*) FROM change_log WHERE note LIKE 'restore of the whole table%'")


def test_officers_see_no_backup_or_restore(demo_db):
    at = open_app("pages/data.py", email=OFFICER.email)
    assert "made by an administrator" in texts(at)
    assert len(at.get("file_uploader")) == 1 and not [b for b in at.button if b.key == "backup_make"]
    with pytest.raises(WriteRefused, match="only an administrator"):
        backup.restore_backup("x.zip", b"", actor=OFFICER, db=demo_db)
