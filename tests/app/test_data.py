"""The Data page under AppTest: upload → problems table → fix → import → change log; re-import
changes nothing; templates; two sessions editing one milestone; who may see it. (Its "Backup and
restore" tab: tests/test_backup.py.)"""
import io
import json

import openpyxl
import pandas as pd
import pytest

import queries
from tests.apptest import open_app, texts
from tests.dbutil import fetch, scalar

OFFICER = "officer.sussex@example.gov.uk"
ADMIN = "admin@example.gov.uk"
HEAD = "milestone_id,programme_id,workstream_id,milestone_title,owner,baseline_due_date,forecast_due_date,completed_date,status,evidence,source"
GOOD = "ews-m90,east-west-sussex,ews-governance,Quarterly return loaded,Head of Policy,2026-06-30,2026-07-31,,on track,,illustrative"


def upload(at, text: str, name: str = "milestones.csv"):
    at.get("file_uploader")[0].set_value((name, text.encode(), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    return at


def button(at, key):
    return at.button(key=key)


def test_officer_upload_with_a_mistake_then_fixed_then_imported(fresh_db):
    at = open_app("pages/data.py", email=OFFICER)
    assert not at.exception
    assert at.title[0].value == "Data"
    bad = GOOD.replace("on track", "in progress")
    upload(at, f"{HEAD}\n{bad}\n")
    shown = texts(at)
    assert "1 problem in milestones.csv: nothing will be written" in shown
    problems = at.dataframe[0].value
    assert list(problems.iloc[0][["row", "column", "value"]]) == [2, "status", "in progress"]
    assert "expected one of" in problems.iloc[0]["problem"]
    assert scalar(fresh_db, "SELECT count(*) FROM milestone WHERE milestone_id = 'ews-m90'") == 0

    upload(at, f"{HEAD}\n{GOOD}\n", name="milestones-fixed.csv")
    assert "1 to insert, 0 to update, 0 unchanged" in texts(at)
    button(at, "import_go").click().run()
    assert not at.exception, at.exception
    assert "Imported milestones-fixed.csv: 1 inserted, 0 updated, 0 unchanged" in texts(at)
    assert scalar(fresh_db, "SELECT owner FROM milestone WHERE milestone_id = 'ews-m90'") == "Head of Policy"
    log = fetch(fresh_db, "SELECT * FROM change_log")
    assert list(log["changed_by"]) == [OFFICER] and list(log["action"]) == ["insert"]
    # The change log tab shows it.
    assert any("ews-m90" in str(df.value.to_csv()) for df in at.dataframe)


def test_reimporting_the_same_file_changes_nothing(fresh_db):
    frame = fetch(fresh_db, "SELECT * EXCLUDE (row_version) FROM milestone WHERE programme_id = 'east-west-sussex'")
    for c in ("baseline_due_date", "forecast_due_date", "completed_date"):
        frame[c] = frame[c].dt.strftime("%Y-%m-%d")
    version = queries.data_version(fresh_db)
    at = open_app("pages/data.py", email=OFFICER)
    upload(at, frame.to_csv(index=False))
    assert f"0 to insert, 0 to update, {len(frame)} unchanged" in texts(at)
    assert "Nothing to import: every row already matches the database." in texts(at)
    assert not [b for b in at.button if b.key == "import_go"]
    assert queries.data_version(fresh_db) == version
    assert scalar(fresh_db, "SELECT count(*) FROM change_log") == 0


def test_officer_cannot_import_another_programme(fresh_db):
    at = open_app("pages/data.py", email=OFFICER)
    upload(at, f"{HEAD}\n" + GOOD.replace("ews-m90", "bsh-m90").replace("east-west-sussex", "breckland-south-holland")
           .replace("ews-governance", "bsh-management") + "\n")
    assert "not a programme officer for programme breckland-south-holland" in at.dataframe[0].value.iloc[0]["problem"]


def test_templates_tab_describes_columns(demo_db, downloads):
    at = open_app("pages/data.py", email=OFFICER)
    at.selectbox(key="template_table").set_value("milestone").run()
    described = at.dataframe[0].value if "type" in at.dataframe[0].value.columns else next(
        d.value for d in at.dataframe if "allowed values" in d.value.columns)
    status = described[described["column"] == "status"].iloc[0]
    assert "on track" in status["allowed values"] and status["required"] == "required"
    labels = [b.label for b in at.get("download_button")]
    assert "Download milestone.csv" in labels and "Download milestone.xlsx" in labels
    # Made on the click, after the run: still the milestone template, with the officer's own rows.
    files = dict((name, data) for name, _, data in downloads)
    csv_text = files["milestone.csv"].decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("milestone_id,programme_id,workstream_id")
    assert "east-west-sussex" in csv_text and "breckland-south-holland" not in csv_text
    # The rules in plain English, on the page and in the workbook; the workbook's status has a drop-down.
    completed = described[described["column"] == "completed_date"].iloc[0]
    assert completed["rules"] == 'completed_date must be given when status is "complete", and left empty otherwise'
    book = openpyxl.load_workbook(io.BytesIO(files["milestone.xlsx"]))
    status = next(v for v in book["data"].data_validations.dataValidation if str(v.sqref).startswith("I2"))
    assert status.type == "list" and book["data"].freeze_panes == "A2"
    assert "IS NOT NULL" not in " ".join(str(c) for row in book["columns"].iter_rows(values_only=True) for c in row)


def test_templates_of_a_programme_with_no_appraisal_import_cleanly(fresh_db, downloads):
    """The Sussex officer's programme has no options appraisal: the appraisal template's example rows
    are made for it, and import with no problem."""
    at = open_app("pages/data.py", email=OFFICER)
    at.selectbox(key="template_table").set_value("appraisal").run()
    data = dict((name, data) for name, _, data in downloads)["appraisal.xlsx"]
    rows = list(openpyxl.load_workbook(io.BytesIO(data))["data"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2 and len({r[0] for r in rows}) == 2  # two keys, not one "example" twice
    assert all(r[1] == "east-west-sussex" for r in rows)
    at.get("file_uploader")[0].set_value(("appraisal.xlsx", data, "application/vnd.openxmlformats-officedocument."
                                                                  "spreadsheetml.sheet"))
    at.run()
    assert not at.exception, at.exception
    assert "no problems found" in texts(at) and "2 to insert, 0 to update, 0 unchanged" in texts(at)


def test_two_sessions_edit_the_same_milestone_second_is_refused(fresh_db):
    first = open_app("pages/data.py", query={"programme": "east-west-sussex"}, email=OFFICER)
    second = open_app("pages/data.py", query={"programme": "east-west-sussex"}, email=OFFICER)
    for at in (first, second):
        at.selectbox(key="edit_table").set_value("milestone").run()
    key = "editor::milestone::east-west-sussex"
    first.session_state[key] = {"edited_rows": {0: {"owner": "First editor"}}, "added_rows": [], "deleted_rows": []}
    first.button(key="edit_save").click().run()
    assert not first.exception, first.exception
    assert "Saved: 0 added, 1 changed, 0 deleted." in texts(first)
    second.session_state[key] = {"edited_rows": {0: {"owner": "Second editor"}}, "added_rows": [], "deleted_rows": []}
    second.button(key="edit_save").click().run()
    refused = texts(second)
    assert "Not saved" in refused and "changed by someone else" in refused and "First editor" in refused
    mid = fetch(fresh_db, "SELECT milestone_id FROM milestone WHERE programme_id = 'east-west-sussex' ORDER BY 1").iloc[0, 0]
    assert scalar(fresh_db, "SELECT owner FROM milestone WHERE milestone_id = $m", {"m": mid}) == "First editor"
    log = fetch(fresh_db, "SELECT * FROM change_log WHERE action = 'update'")
    assert len(log) == 1 and json.loads(log["after_json"].iloc[0])["owner"] == "First editor"


def test_editor_validates_and_confirms_deletes(fresh_db):
    at = open_app("pages/data.py", query={"programme": "east-west-sussex"}, email=OFFICER)
    at.selectbox(key="edit_table").set_value("milestone_snapshot").run()
    key = "editor::milestone_snapshot::east-west-sussex"
    at.session_state[key] = {"edited_rows": {0: {"status": "nonsense"}}, "added_rows": [], "deleted_rows": []}
    at.button(key="edit_save").click().run()
    assert "Not saved: 1 problem." in texts(at)
    count = scalar(fresh_db, "SELECT count(*) FROM milestone_snapshot")
    at.session_state[key] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}
    at.run()
    at.button(key="edit_save").click().run()
    assert "Tick the box to confirm the deletions" in texts(at)
    at.checkbox(key=f"confirm::{key}").check().run()
    at.button(key="edit_save").click().run()
    assert "Saved: 0 added, 0 changed, 1 deleted." in texts(at)
    assert scalar(fresh_db, "SELECT count(*) FROM milestone_snapshot") == count - 1


@pytest.mark.parametrize("email", ["cllr.southholland@example.gov.uk", "ceo.eastsussex@example.gov.uk",
                                   "commissioner@example.gov.uk"])
def test_readers_cannot_open_the_data_page(demo_db, email):
    at = open_app(email=email)
    at.switch_page("pages/data.py").run()
    assert "not available to a" in texts(at)
    assert not at.get("file_uploader")


def test_administrators_reach_user_management_from_the_data_page(demo_db):
    from tests.apptest import open_app
    from tests.dbutil import fetch

    admin = fetch(demo_db, "SELECT email FROM app_user WHERE role = 'administrator' LIMIT 1")["email"].iloc[0]
    at = open_app("pages/data.py", email=admin)
    assert not at.exception
    assert [t.label for t in at.tabs][-1] == "Users"
    officer = fetch(demo_db, "SELECT email FROM app_user WHERE role = 'programme officer' AND is_active LIMIT 1")["email"].iloc[0]
    at = open_app("pages/data.py", email=officer)
    assert "Users" not in [t.label for t in at.tabs]


def test_editor_refuses_a_changed_key_and_writes_nothing(fresh_db):
    at = open_app("pages/data.py", query={"programme": "east-west-sussex"}, email=OFFICER)
    at.selectbox(key="edit_table").set_value("milestone").run()
    key = "editor::milestone::east-west-sussex"
    before = fetch(fresh_db, "SELECT * FROM milestone ORDER BY milestone_id")
    logged = scalar(fresh_db, "SELECT count(*) FROM change_log")
    at.session_state[key] = {"edited_rows": {0: {"milestone_id": "ews-renamed"}}, "added_rows": [], "deleted_rows": []}
    at.button(key="edit_save").click().run()
    assert not at.exception, at.exception
    refused = [t for t in texts(at).splitlines() if "Not saved" in t]
    assert refused, texts(at)
    assert "Not saved: the key (milestone_id) of editor row 2 was changed. Add a new row instead, and delete the old one." in refused[0]
    pd.testing.assert_frame_equal(fetch(fresh_db, "SELECT * FROM milestone ORDER BY milestone_id"), before)
    assert scalar(fresh_db, "SELECT count(*) FROM change_log") == logged
