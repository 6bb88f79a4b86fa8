"""Quarterly report under AppTest: every programme renders; a draft is saved and found again; a
submission freezes the report with its figures, who and when; afterwards no path changes it —
not the page (even a page opened before the submission), not the write function — and a
correction is a new version."""
import datetime as dt
import json

import pytest
from monitor import clock
from monitor.report.assemble import section
from monitor.report.sections import SECTION_TITLES
from monitor.permissions import Actor
from queries.write import Change, WriteRefused, write
from tests.apptest import open_app, texts
from tests.dbutil import fetch

PAGE = "pages/quarterly_report.py"
HWS = "hampshire-west-sussex"
COMMISSIONER = "commissioner@example.gov.uk"
COMMISSIONER_ACTOR = Actor(COMMISSIONER, "DfE Commissioner for West Sussex (demo)", "commissioner", frozenset({HWS}))


def open_report(quarter="2023-Q3", email=COMMISSIONER, programme=HWS):
    at = open_app(PAGE, query={"programme": programme, "quarter": quarter}, email=email)
    assert not at.exception, at.exception
    return at


def row(db, report_id):
    frame = fetch(db, "SELECT * EXCLUDE (reporting_date, submitted_at), CAST(submitted_at AS VARCHAR) AS submitted_at "
                      "FROM commissioner_report WHERE report_id = $r", {"r": report_id})
    return frame.iloc[0].to_dict() if len(frame) else None


def buttons(at):
    return {b.key for b in at.button}


def test_every_programme_renders_for_an_administrator(demo_db):
    programmes = fetch(demo_db, "SELECT programme_id FROM programme ORDER BY programme_id")["programme_id"]
    for pid in programmes:
        at = open_app(PAGE, query={"programme": pid}, email="admin@example.gov.uk")
        assert not at.exception, (pid, at.exception)
        headers = [h.value for h in at.header]
        assert headers[:7] == list(SECTION_TITLES.values()), pid
        assert "Period:" in texts(at)


def test_the_draft_shows_the_assembled_sections_and_the_proposed_confidence(demo_db):
    at = open_report()
    text = texts(at)
    assert "Draft — version 1, not yet submitted" in text
    assert "Proposed from the data: ◕ Amber/Green" in text
    assert "15 of 19 milestones complete (1 dropped)" in text
    assert "Illustrative data" in text
    assert "Due next quarter (3)" in [s.value for s in at.subheader]
    assert len(at.get("plotly_chart")) == 3
    # The saved narrative is in the boxes, ready to edit.
    assert at.text_area(key="hws-2023-Q3-v1__n_summary").value.startswith("The statutory direction was lifted")
    assert at.text_area(key="hws-2023-Q3-v1__n_ofsted").label == "Commentary on Ofsted and DfE activity"
    assert at.text_area(key="hws-2023-Q3-v1__n_milestones").label == "Commentary on milestones"
    assert buttons(at) >= {"save_draft", "submit_report"}
    downloads = [e.proto.label for e in at.get("download_button")]
    assert "Download the report (Word)" in downloads
    assert "Download the annual report to Hampshire (Word)" in downloads
    # The comparison tab says what changed since 2023-Q2 (a legacy report: counts only).
    assert any("Milestones complete" in str(df.value.to_dict()) for df in at.dataframe)


def test_draft_is_saved_and_found_again_after_a_reload(fresh_db):
    at = open_report()
    at.text_area(key="hws-2023-Q3-v1__n_risks").set_value("Workforce stability remains the main risk; two new hires.")
    at.selectbox(key="hws-2023-Q3-v1__confidence").set_value("Amber")
    at.button(key="save_draft").click().run()
    assert not at.exception
    assert "Draft saved" in texts(at)
    saved = row(fresh_db, "hws-2023-Q3-v1")
    assert saved["status"] == "draft" and saved["confidence"] == "Amber" and saved["row_version"] == 2
    assert json.loads(saved["narrative_json"])["risks"] == "Workforce stability remains the main risk; two new hires."
    log = fetch(fresh_db, "SELECT changed_by, action FROM change_log WHERE table_name = 'commissioner_report' "
                          "ORDER BY change_id DESC LIMIT 1").iloc[0]
    assert (log["changed_by"], log["action"]) == (COMMISSIONER, "update")
    # A new session (a browser reload) finds the draft in the database.
    again = open_report()
    assert again.text_area(key="hws-2023-Q3-v1__n_risks").value.startswith("Workforce stability remains")
    assert again.selectbox(key="hws-2023-Q3-v1__confidence").value == "Amber"


def test_a_first_draft_for_a_quarter_without_a_report_is_inserted(fresh_db):
    at = open_report("2019-Q2")
    assert "Not started" in texts(at)
    at.text_area(key=f"new-{HWS}-2019-Q2__n_summary").set_value("The commission began on 1 May 2019.")
    at.button(key="save_draft").click().run()
    saved = row(fresh_db, f"{HWS}-2019-Q2-v1")
    assert saved["status"] == "draft" and saved["author"] == "DfE Commissioner for West Sussex (demo)"
    assert json.loads(saved["narrative_json"]) == {"summary": "The commission began on 1 May 2019."}
    assert at.text_area(key=f"{HWS}-2019-Q2-v1__n_summary").value == "The commission began on 1 May 2019."


def test_submit_needs_confirmation_and_a_reason(fresh_db):
    before = row(fresh_db, "hws-2023-Q3-v1")
    at = open_report()
    at.text_area(key="hws-2023-Q3-v1__reason").set_value("")
    at.button(key="submit_report").click().run()
    assert "Not submitted" in texts(at) and "Tick the box" in texts(at)
    assert row(fresh_db, "hws-2023-Q3-v1") == before


def test_submit_freezes_the_report_with_its_figures_and_the_signed_in_identity(fresh_db):
    at = open_report()
    at.selectbox(key="hws-2023-Q3-v1__confidence").set_value("Green")
    at.text_area(key="hws-2023-Q3-v1__reason").set_value("The direction was lifted; improvement is sustained.")
    at.checkbox(key="hws-2023-Q3-v1__confirm").check()
    at.button(key="submit_report").click().run()
    assert not at.exception
    assert "Submitted to DfE" in texts(at)
    saved = row(fresh_db, "hws-2023-Q3-v1")
    assert saved["status"] == "submitted" and saved["submitted_by"] == COMMISSIONER and saved["submitted_at"]
    assert saved["confidence"] == "Green" and saved["proposed_confidence"] == "Amber/Green"
    frozen = json.loads(saved["figures_json"])
    assert frozen["quarter"] == "2023-Q3" and [s["key"] for s in frozen["sections"]][0] == "milestones"
    assert section(frozen, "milestones")["facts"]["milestones_complete"] == 15
    # The page now reads the frozen report and offers no way to edit it.
    assert "submit_report" not in buttons(at) and "save_draft" not in buttons(at)
    assert "start_correction" in buttons(at)
    assert not [t for t in at.text_area]
    assert "Figures as frozen at submission" in texts(at)


def test_a_submitted_report_cannot_be_changed_through_the_page_or_the_write_function(fresh_db):
    stale = open_report()  # opened while still a draft
    # Meanwhile the report is submitted (through the same write function the page uses), now.
    write([Change("commissioner_report", "update", {"report_id": "hws-2023-Q3-v1"},
                  {"status": "submitted", "submitted_by": COMMISSIONER, "submitted_at": clock.now(),
                   "figures_json": "{\"milestones_complete\": 15}", "confidence": "Amber/Green"})],
          actor=COMMISSIONER_ACTOR, db=fresh_db)
    frozen = row(fresh_db, "hws-2023-Q3-v1")
    changes_before = fetch(fresh_db, "SELECT count(*) AS n FROM change_log WHERE action <> 'refused'")["n"].iloc[0]

    # Through the page: the stale draft is saved, and refused with a clear message.
    stale.text_area(key="hws-2023-Q3-v1__n_summary").set_value("Rewriting history")
    stale.button(key="save_draft").click().run()
    assert not stale.exception
    errors = [e.value for e in stale.error]
    assert any("submitted and can no longer be changed" in e and "correction" in e for e in errors), errors
    assert row(fresh_db, "hws-2023-Q3-v1") == frozen

    # Through the write function directly, even as an administrator.
    admin = Actor("admin@example.gov.uk", "Administrator", "administrator")
    with pytest.raises(WriteRefused, match="submitted and can no longer be changed"):
        write([Change("commissioner_report", "update", {"report_id": "hws-2023-Q3-v1"},
                      {"narrative_json": "{\"summary\": \"Rewriting history\"}"})], actor=admin, db=fresh_db)
    with pytest.raises(WriteRefused, match="submitted and can no longer be changed"):
        write([Change("commissioner_report", "delete", {"report_id": "hws-2023-Q3-v1"})], actor=admin, db=fresh_db)
    assert row(fresh_db, "hws-2023-Q3-v1") == frozen
    changes_after = fetch(fresh_db, "SELECT count(*) AS n FROM change_log WHERE action <> 'refused'")["n"].iloc[0]
    assert changes_after == changes_before
    refused = fetch(fresh_db, "SELECT count(*) AS n FROM change_log WHERE action = 'refused' "
                              "AND table_name = 'commissioner_report'")["n"].iloc[0]
    assert refused == 3


def test_a_correction_is_a_new_version_referencing_the_submitted_one(fresh_db):
    at = open_report("2023-Q2")  # submitted
    assert "Submitted — version 1" in texts(at)
    at.button(key="start_correction").click().run()
    assert not at.exception
    correction = row(fresh_db, "hampshire-west-sussex-2023-Q2-v2")
    assert correction["status"] == "draft" and correction["corrects_report_id"] == "hws-2023-Q2-v1"
    assert correction["version"] == 2
    assert row(fresh_db, "hws-2023-Q2-v1")["status"] == "submitted"
    assert "Draft — version 2, not yet submitted; corrects hws-2023-Q2-v1" in texts(at)


@pytest.mark.parametrize("email, programme", [("ceo.hampshire@example.gov.uk", HWS),
                                              ("cllr.southholland@example.gov.uk", "breckland-south-holland")])
def test_readers_see_the_report_but_nothing_to_edit(demo_db, email, programme):
    at = open_app(PAGE, query={"programme": programme}, email=email)
    assert not at.exception
    assert "You can read this report" in texts(at)
    assert not ({"save_draft", "submit_report", "start_correction"} & buttons(at))
    assert not [t for t in at.text_area]


def test_a_programme_officer_cannot_open_the_page(demo_db):
    at = open_app(PAGE, query={"programme": HWS}, email="officer.sussex@example.gov.uk")
    assert any("not available to a programme officer" in e.value for e in at.error)
    assert not at.header


def test_a_control_character_in_the_narrative_is_refused_with_a_message(fresh_db):
    before = row(fresh_db, "hws-2023-Q3-v1")
    at = open_report()
    at.text_area(key="hws-2023-Q3-v1__n_summary").set_value("Agreed with the council.\x00")
    at.button(key="save_draft").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("Not saved" in e and "Summary for DfE" in e and "control character (U+0000 NUL)" in e for e in errors), errors
    assert row(fresh_db, "hws-2023-Q3-v1") == before
    # A commentary box, and through the write function whatever the page: the same refusal.
    at.text_area(key="hws-2023-Q3-v1__n_summary").set_value("Agreed with the council.")
    at.text_area(key="hws-2023-Q3-v1__n_risks").set_value("Two risks\x07 closed.")
    at.button(key="save_draft").click().run()
    assert any("Commentary on risks" in e.value and "U+0007" in e.value for e in at.error)
    with pytest.raises(WriteRefused, match="narrative_json section 'summary' contains a control character"):
        write([Change("commissioner_report", "update", {"report_id": "hws-2023-Q3-v1"},
                      {"narrative_json": json.dumps({"summary": "Agreed\x00"})})], actor=COMMISSIONER_ACTOR, db=fresh_db)
    assert row(fresh_db, "hws-2023-Q3-v1") == before


def test_submitting_a_quarter_never_saved_makes_a_draft_then_submits_it(fresh_db):
    at = open_report("2019-Q2")
    box = f"new-{HWS}-2019-Q2"
    at.selectbox(key=f"{box}__confidence").set_value("Red")
    at.text_area(key=f"{box}__reason").set_value("The commission has only just begun.")
    at.checkbox(key=f"{box}__confirm").check()
    at.button(key="submit_report").click().run()
    assert not at.exception
    assert "Submitted to DfE" in texts(at)
    saved = row(fresh_db, f"{HWS}-2019-Q2-v1")
    assert saved["status"] == "submitted" and saved["submitted_by"] == COMMISSIONER
    log = fetch(fresh_db, "SELECT action FROM change_log WHERE table_name = 'commissioner_report' ORDER BY change_id")
    assert list(log["action"]) == ["insert", "update"]  # arrived as a draft, then submitted


def test_a_correction_started_on_the_page_is_submitted_on_the_page(fresh_db):
    at = open_report("2023-Q2")
    at.button(key="start_correction").click().run()
    box = "hampshire-west-sussex-2023-Q2-v2"
    at.text_area(key=f"{box}__reason").set_value("Corrected: one milestone was counted twice.")
    at.checkbox(key=f"{box}__confirm").check()
    at.button(key="submit_report").click().run()
    assert not at.exception
    assert "Submitted to DfE" in texts(at), [e.value for e in at.error]
    corrected = row(fresh_db, box)
    assert corrected["status"] == "submitted" and corrected["corrects_report_id"] == "hws-2023-Q2-v1"
