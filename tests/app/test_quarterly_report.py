"""Quarterly report under AppTest: every programme renders in its audience's words; a draft is saved
from one form and found again; a submission freezes the whole report — figures, tables, charts'
data, sentences, the Word file's hash, who (name and role) and when — and afterwards no path
changes it: not the page, not the write function, not a change to the live data behind every
section (the page, the Word file and the comparison all read the record). Only the role that
authors a programme's report can write it. A correction is a new version."""
import datetime as dt
import hashlib
import io
import json

import pandas as pd
import pytest

from monitor import clock
from monitor.permissions import Actor
from monitor.report.assemble import section
from monitor.report.record import RECONSTRUCTED_NOTE, thaw
from queries.report import assemble, programme_meta
from queries.loader import run
from queries.write import Change, WriteRefused, write
from tests import docx_checks
from tests.apptest import open_app, texts
from tests.dbutil import fetch

PAGE = "pages/quarterly_report.py"
HWS, EWS, ESSEX = "hampshire-west-sussex", "east-west-sussex", "essex-braintree-brentwood"
BOARDS = [EWS, ESSEX, "breckland-south-holland", "south-somerset-sedgemoor"]
COMMISSIONER = "commissioner@example.gov.uk"
OFFICER = "officer.sussex@example.gov.uk"
COMMISSIONER_ACTOR = Actor(COMMISSIONER, "DfE Commissioner for West Sussex (demo)", "commissioner", frozenset({HWS}))
ADMIN = Actor("admin@example.gov.uk", "Administrator (demo)", "administrator")


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


def shown_everything(at) -> str:
    """Every word the page shows: text, headings, tab and button labels."""
    return "\n".join([texts(at), *[b.proto.label for b in at.button], *[t.label for t in at.tabs],
                      *[e.proto.label for e in at.get("download_button")], *[t.label for t in at.text_area],
                      *[str(df.value.to_dict()) for df in at.dataframe]])


def download(downloads, starts: str) -> bytes:
    return next(data for name, _mime, data in downloads if name and name.startswith(starts))


def submit(at, box, level="Green", reason="The direction was lifted; improvement is sustained."):
    at.selectbox(key=f"{box}__confidence").set_value(level)
    at.text_area(key=f"{box}__reason").set_value(reason)
    at.checkbox(key=f"{box}__confirm").check()
    at.button(key="submit_report").click().run()
    assert not at.exception, at.exception


def test_every_programme_renders_in_its_audiences_words(demo_db):
    for pid in fetch(demo_db, "SELECT programme_id FROM programme ORDER BY programme_id")["programme_id"]:
        at = open_app(PAGE, query={"programme": pid}, email="admin@example.gov.uk")
        assert not at.exception, (pid, at.exception)
        headers = [h.value for h in at.header]
        assert headers[:3] == ["Summary and delivery confidence", "Milestones", headers[2]], pid
        assert headers[2].startswith("Improvement indicators") and headers[3].startswith("No-detriment indicators")
        assert "Period:" in texts(at)
        if pid == HWS:
            assert "Ofsted and DfE activity" in headers and "Report to:** Department for Education" in texts(at)
        else:  # a board's progress report: no DfE anywhere on the page
            assert "Ofsted activity" in headers
            assert "DfE" not in shown_everything(at), pid


def test_the_draft_shows_the_assembled_sections_and_a_form_for_the_narrative(demo_db):
    at = open_report()
    text = texts(at)
    assert "Draft — version 1, not yet submitted" in text
    assert "Commissioner's quarterly report to the Department for Education: Q2 2023/24" in text
    # Hampshire's re-referral concern is the lending council's: it no longer lowers West Sussex's level.
    assert "Proposed from the data: ● Green" in text
    assert "15 of 19 milestones complete (1 dropped)" in text
    assert "Illustrative data" in text
    headers = [h.value for h in at.header]
    assert "Improvement indicators: West Sussex" in headers and "No-detriment indicators: Hampshire" in headers
    assert "Due next quarter (3)" in [s.value for s in at.subheader]
    # Milestones, West Sussex's and Hampshire's indicators; Hampshire's rows are cost-recovery income, not
    # savings, so there is no savings chart (the section says the income apart).
    assert len(at.get("plotly_chart")) == 3
    assert any(m.value.startswith("Source: Hampshire's no-detriment indicators") for m in at.markdown)
    # The narrative is in one form, with the saved text in its boxes.
    assert at.text_area(key="hws-2023-Q3-v1__n_summary").value.startswith("The statutory direction was lifted")
    assert at.text_area(key="hws-2023-Q3-v1__n_summary").label == "Summary for DfE"
    assert at.text_area(key="hws-2023-Q3-v1__n_ofsted").label == "Commentary on Ofsted and DfE activity"
    assert at.text_area(key="hws-2023-Q3-v1__n_no_detriment").label == "Commentary on no-detriment indicators: Hampshire"
    assert buttons(at) >= {"save_draft", "submit_report"}
    assert next(b for b in at.button if b.key == "submit_report").proto.label == "Submit to DfE"
    downloads = [e.proto.label for e in at.get("download_button")]
    assert "Download the report (Word)" in downloads and "Download the annual report 2023/24 (Word)" in downloads
    assert any("Milestones complete" in str(df.value.to_dict()) for df in at.dataframe)


def test_one_save_carries_every_box_of_the_form(fresh_db):
    """Text typed in two boxes and the level, then one click: all of it saved (the form sends every
    box at once — no box is lost to a rerun between them)."""
    at = open_report()
    at.text_area(key="hws-2023-Q3-v1__n_summary").set_value("Both boxes, one save.")
    at.text_area(key="hws-2023-Q3-v1__n_risks").set_value("Workforce stability remains the main risk; two new hires.")
    at.selectbox(key="hws-2023-Q3-v1__confidence").set_value("Amber")
    at.button(key="save_draft").click().run()
    assert not at.exception
    assert "Draft saved" in texts(at)
    saved = row(fresh_db, "hws-2023-Q3-v1")
    assert saved["status"] == "draft" and saved["confidence"] == "Amber" and saved["row_version"] == 2
    narrative = json.loads(saved["narrative_json"])
    assert narrative["summary"] == "Both boxes, one save."
    assert narrative["risks"] == "Workforce stability remains the main risk; two new hires."
    log = fetch(fresh_db, "SELECT changed_by, action FROM change_log WHERE table_name = 'commissioner_report' "
                          "ORDER BY change_id DESC LIMIT 1").iloc[0]
    assert (log["changed_by"], log["action"]) == (COMMISSIONER, "update")
    again = open_report()  # a new session (a browser reload) finds the draft in the database
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


# The live data behind every section of the West Sussex commission's 2023-Q3 report.
def change_everything(db) -> None:
    inspection = fetch(db, "SELECT inspection_id FROM ofsted_judgement JOIN ofsted_inspection USING (inspection_id) "
                           "WHERE ons_code = 'E10000032' AND judgement_area = 'Overall effectiveness' "
                           "ORDER BY inspection_date DESC LIMIT 1")["inspection_id"].iloc[0]
    snapshots = fetch(db, "SELECT milestone_id FROM milestone_snapshot WHERE milestone_id LIKE 'hws-m%' AND "
                          "reporting_date = DATE '2023-09-30' AND status <> 'complete'")["milestone_id"]
    changes = [Change("milestone_snapshot", "update", {"milestone_id": m, "reporting_date": dt.date(2023, 9, 30)},
                      {"status": "complete"}, programme_id=HWS) for m in snapshots]
    changes += [
        Change("milestone", "update", {"milestone_id": "hws-m01"}, {"milestone_title": "Renamed later"}),
        Change("indicator_value", "update", {"indicator_id": "wsx-assess45", "period_end_date": dt.date(2023, 9, 30)},
               {"value": 10.0}, programme_id=HWS),
        Change("indicator_value", "update", {"indicator_id": "hants-nd-rereferral",
                                             "period_end_date": dt.date(2023, 3, 31)}, {"value": 99.0}, programme_id=HWS),
        Change("ofsted_judgement", "update", {"inspection_id": inspection, "judgement_area": "Overall effectiveness"},
               {"grade": "Outstanding"}),
        Change("intervention_event", "update", {"event_id": "wsx-sd-2023-05-11"}, {"summary": "Rewritten later"}),
        Change("saving", "update", {"saving_id": "hws-s001"}, {"delivered_gbp": 999_999}),  # income to date
        Change("risk", "update", {"risk_id": "hws-r01"}, {"description": "Rewritten later"}),
        Change("risk_snapshot", "update", {"risk_id": "hws-r05", "reporting_date": dt.date(2023, 9, 30)},
               {"likelihood": 5, "impact": 5}, programme_id=HWS),
        Change("key_date", "update", {"key_date_id": "hws-k21"}, {"title": "Rewritten later"}),
        Change("report_audience", "update", {"programme_id": HWS}, {"report_to": "Somebody else"}),
        Change("programme", "update", {"programme_id": HWS}, {"programme_name": "Renamed programme"}),
    ]
    write(changes, actor=ADMIN, note="the live data moves on", db=db)


def report_tab(at) -> list[str]:
    """What the Report and Compare tabs show: every text and table."""
    return [texts(at), *[str(df.value.to_dict()) for df in at.dataframe]]


def test_a_submission_freezes_the_whole_report_and_nothing_in_the_live_data_changes_it(fresh_db, downloads, tmp_path,
                                                                                       artifacts):
    at = open_report()
    submit(at, "hws-2023-Q3-v1")
    assert "Submitted to DfE" in texts(at)
    saved = row(fresh_db, "hws-2023-Q3-v1")
    assert saved["status"] == "submitted" and saved["submitted_by"] == COMMISSIONER and saved["submitted_at"]
    assert (saved["submitted_by_name"], saved["submitted_by_role"]) == ("DfE Commissioner for West Sussex (demo)",
                                                                      "commissioner")
    assert saved["confidence"] == "Green" and saved["proposed_confidence"] == "Green"
    frozen = thaw(saved["figures_json"])
    assert frozen["quarter"] == "2023-Q3" and [s["key"] for s in frozen["sections"]][:3] == ["milestones", "indicators",
                                                                                                "no_detriment"]
    assert section(frozen, "milestones")["facts"]["milestones_complete"] == 15
    assert all(t["rows"] is not None and t["source"] for s in frozen["sections"] for t in s["tables"])
    assert all(c["rows"] for s in frozen["sections"] for c in s["charts"])  # each chart's data
    assert "submit_report" not in buttons(at) and "save_draft" not in buttons(at) and "start_correction" in buttons(at)
    assert not [t for t in at.text_area]
    assert "Shown as frozen at submission" in texts(at)

    downloads.clear()
    before = open_report()
    word = download(downloads, "quarterly-report_hampshire-west-sussex_2023-Q3_submitted-v1")
    assert hashlib.sha256(word).hexdigest() == saved["docx_sha256"]
    assert docx_checks.problems(word, draft=False) == []
    shown_before = report_tab(before)
    live_before = assemble(programme_meta(run("programmes/all", db=fresh_db).set_index("programme_id", drop=False)
                                          .loc[HWS]), "2023-Q3", db=fresh_db)

    change_everything(fresh_db)
    live_after = assemble(programme_meta(run("programmes/all", db=fresh_db).set_index("programme_id", drop=False)
                                         .loc[HWS]), "2023-Q3", db=fresh_db)
    for key in ("milestones", "indicators", "no_detriment", "ofsted", "savings", "risks", "key_dates"):
        assert section(live_after, key) != section(live_before, key), f"the {key} data did not change"
    assert live_after["audience"]["report_to"] == "Somebody else"

    downloads.clear()
    after = open_report()
    again = download(downloads, "quarterly-report_hampshire-west-sussex_2023-Q3_submitted-v1")
    assert again == word  # byte for byte: text, tables, charts
    doc_before, doc_after = docx_checks.open_docx(word), docx_checks.open_docx(again)
    assert docx_checks.body_text(doc_after) == docx_checks.body_text(doc_before)
    assert "Rewritten later" not in docx_checks.body_text(doc_after) and "Somebody else" not in docx_checks.body_text(doc_after)
    # On screen: the same words and tables (the compare tab's too: both quarters are frozen records).
    assert report_tab(after) == shown_before
    compare = next(df.value for df in after.dataframe if "Change" in df.value.columns)
    facts = section(frozen, "milestones")["facts"]
    assert compare.set_index("Figure").loc["Milestones complete", "Current"] == str(facts["milestones_complete"])
    # The checked file matches the record; LibreOffice opens it.
    after.button(key="check_docx").click().run()
    assert "byte for byte the one hashed at submission" in texts(after)
    pdf = docx_checks.libreoffice_pdf(again, tmp_path, "submitted.docx")
    assert all("OFFICIAL" in page and "DRAFT" not in page for page in docx_checks.pdf_pages_text(pdf))
    docx_checks.render_pages(pdf, artifacts / "docx", "app-submitted-after-changes")


def test_a_submitted_report_cannot_be_changed_through_the_page_or_the_write_function(fresh_db):
    stale = open_report()  # opened while still a draft
    # Meanwhile the report is submitted (through the same write function the page uses), now.
    write([Change("commissioner_report", "update", {"report_id": "hws-2023-Q3-v1"},
                  {"status": "submitted", "submitted_by": COMMISSIONER, "submitted_at": clock.now(),
                   "submitted_by_name": "DfE Commissioner", "submitted_by_role": "commissioner",
                   "figures_json": "{\"sections\": {}}", "docx_sha256": "0" * 64,
                   "confidence": "Amber/Green"})],
          actor=COMMISSIONER_ACTOR, db=fresh_db)
    frozen = row(fresh_db, "hws-2023-Q3-v1")
    changes_before = fetch(fresh_db, "SELECT count(*) AS n FROM change_log WHERE action <> 'refused'")["n"].iloc[0]

    # Through the page: the stale draft's form is saved, and refused with a clear message.
    stale.text_area(key="hws-2023-Q3-v1__n_summary").set_value("Rewriting history")
    stale.button(key="save_draft").click().run()
    assert not stale.exception
    errors = [e.value for e in stale.error]
    assert any("submitted and can no longer be changed" in e and "correction" in e for e in errors), errors
    assert row(fresh_db, "hws-2023-Q3-v1") == frozen

    # Through the write function directly, even as an administrator.
    with pytest.raises(WriteRefused, match="submitted and can no longer be changed"):
        write([Change("commissioner_report", "update", {"report_id": "hws-2023-Q3-v1"},
                      {"narrative_json": "{\"summary\": \"Rewriting history\"}"})], actor=ADMIN, db=fresh_db)
    with pytest.raises(WriteRefused, match="submitted and can no longer be changed"):
        write([Change("commissioner_report", "delete", {"report_id": "hws-2023-Q3-v1"})], actor=ADMIN, db=fresh_db)
    assert row(fresh_db, "hws-2023-Q3-v1") == frozen
    changes_after = fetch(fresh_db, "SELECT count(*) AS n FROM change_log WHERE action <> 'refused'")["n"].iloc[0]
    assert changes_after == changes_before
    refused = fetch(fresh_db, "SELECT count(*) AS n FROM change_log WHERE action = 'refused' "
                              "AND table_name = 'commissioner_report'")["n"].iloc[0]
    assert refused == 3


def test_the_demo_reports_are_records_frozen_at_build_and_say_so(demo_db, downloads):
    reports = fetch(demo_db, "SELECT report_id, programme_id, figures_json, docx_sha256, submitted_by_role "
                             "FROM commissioner_report WHERE status = 'submitted' ORDER BY report_id")
    assert len(reports) == 20
    for r in reports.itertuples():
        figures = thaw(r.figures_json)
        assert not figures.get("legacy") and figures["reconstructed"]["note"] == RECONSTRUCTED_NOTE, r.report_id
        assert len(figures["sections"]) == 7 and len(r.docx_sha256) == 64
    # The East–West Sussex reports were written by the programme's author: its programme officer.
    assert set(reports.loc[reports["programme_id"] == EWS, "submitted_by_role"]) == {"programme officer"}
    at = open_report("2023-Q2")
    assert RECONSTRUCTED_NOTE in texts(at) and "Submitted — version 1, by DfE Commissioner for West Sussex (demo), commissioner on 15 Jul 2023" in texts(at)
    word = download(downloads, "quarterly-report_hampshire-west-sussex_2023-Q2_submitted-v1")
    assert hashlib.sha256(word).hexdigest() == reports.set_index("report_id").loc["hws-2023-Q2-v1", "docx_sha256"]
    assert RECONSTRUCTED_NOTE in docx_checks.body_text(docx_checks.open_docx(word))


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


def test_a_correction_started_on_the_page_is_submitted_on_the_page(fresh_db):
    at = open_report("2023-Q2")
    at.button(key="start_correction").click().run()
    box = "hampshire-west-sussex-2023-Q2-v2"
    submit(at, box, level="Amber", reason="Corrected: one milestone was counted twice.")
    assert "Submitted to DfE" in texts(at), [e.value for e in at.error]
    corrected = row(fresh_db, box)
    assert corrected["status"] == "submitted" and corrected["corrects_report_id"] == "hws-2023-Q2-v1"


@pytest.mark.parametrize("email, programme", [("ceo.hampshire@example.gov.uk", HWS),
                                              ("cllr.southholland@example.gov.uk", "breckland-south-holland")])
def test_readers_see_the_report_but_nothing_to_edit(demo_db, email, programme):
    at = open_app(PAGE, query={"programme": programme}, email=email)
    assert not at.exception
    assert "You can read this report" in texts(at)
    assert not ({"save_draft", "submit_report", "start_correction"} & buttons(at))
    assert not [t for t in at.text_area]


def test_a_boards_programme_officer_writes_and_submits_its_progress_report(fresh_db):
    at = open_report("2021-Q2", email=OFFICER, programme=EWS)
    assert "Quarterly progress report to the Joint Improvement Board (East and West Sussex): Q1 2021/22" in texts(at)
    box = f"new-{EWS}-2021-Q2"
    assert at.text_area(key=f"{box}__n_summary").label == "Summary for the board"
    assert next(b for b in at.button if b.key == "submit_report").proto.label == (
        "Submit to the Joint Improvement Board (East and West Sussex)")
    submit(at, box, level="Amber", reason="The review after the elections is under way.")
    assert "Submitted to the Joint Improvement Board (East and West Sussex)" in texts(at), [e.value for e in at.error]
    saved = row(fresh_db, f"{EWS}-2021-Q2-v1")
    assert (saved["status"], saved["submitted_by_role"]) == ("submitted", "programme officer")
    assert "DfE" not in saved["figures_json"] and "DfE" not in shown_everything(at)


def test_only_the_role_that_authors_a_programmes_report_may_write_it(fresh_db):
    """A commissioner cannot write a board's progress report, nor a programme officer the commission's
    report to DfE — on the page (no form) and in the write function (refused)."""
    commissioner = Actor(COMMISSIONER, "Commissioner", "commissioner", frozenset({HWS, EWS}))
    officer = Actor(OFFICER, "Officer", "programme officer", frozenset({HWS, EWS}))
    draft = {"programme_id": EWS, "quarter_label": "2021-Q2", "version": 1, "reporting_date": dt.date(2021, 6, 30),
             "author": "x", "status": "draft", "source": "000 §1"}
    with pytest.raises(WriteRefused, match="written by its programme officer, not a commissioner"):
        write([Change("commissioner_report", "insert", {"report_id": "ews-2021-Q2-v1"}, draft)], actor=commissioner,
              db=fresh_db)
    with pytest.raises(WriteRefused, match="written by its commissioner, not a programme officer"):
        write([Change("commissioner_report", "update", {"report_id": "hws-2023-Q3-v1"},
                      {"narrative_json": "{}"})], actor=officer, db=fresh_db)
    write([Change("commissioner_report", "insert", {"report_id": "ews-2021-Q2-v1"}, draft)], actor=officer, db=fresh_db)
    # The page follows: the Sussex programme officer reads the commission's report without a form.
    at = open_report(email="ceo.hampshire@example.gov.uk")
    assert not at.text_area and "You can read this report. Only the programme's commissioner" in texts(at)


def test_a_control_character_in_the_narrative_is_refused_with_a_message(fresh_db):
    before = row(fresh_db, "hws-2023-Q3-v1")
    at = open_report()
    at.text_area(key="hws-2023-Q3-v1__n_summary").set_value("Agreed with the council.\x00")
    at.button(key="save_draft").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("Not saved" in e and "Summary for DfE" in e and "control character (U+0000 NUL)" in e for e in errors), errors
    assert row(fresh_db, "hws-2023-Q3-v1") == before
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
    submit(at, f"new-{HWS}-2019-Q2", level="Red", reason="The commission has only just begun.")
    assert "Submitted to DfE" in texts(at)
    saved = row(fresh_db, f"{HWS}-2019-Q2-v1")
    assert saved["status"] == "submitted" and saved["submitted_by"] == COMMISSIONER and saved["docx_sha256"]
    log = fetch(fresh_db, "SELECT action FROM change_log WHERE table_name = 'commissioner_report' ORDER BY change_id")
    assert list(log["action"]) == ["insert", "update"]  # arrived as a draft, then submitted


def test_the_annual_report_to_hampshire_is_by_financial_year_with_its_own_no_detriment_position(demo_db, downloads,
                                                                                                tmp_path):
    at = open_report("2023-Q1")
    at.selectbox(key="annual_year").set_value("2022/23").run()
    assert not at.exception
    data = download(downloads, "annual-report_hampshire-west-sussex_2022-Q2-to-2023-Q1")
    doc = docx_checks.open_docx(data)
    assert docx_checks.problems(data, draft=False) == []  # all four quarters were submitted: not a draft
    assert docx_checks.header_block(doc)["Report to"] == "Hampshire County Council Cabinet"
    first = [t for level, t in docx_checks.numbered_headings(doc) if level == 1][0]
    assert first == "1. No detriment to Hampshire: position at 31 Mar 2023"
    assert "Q1 2022/23, Q2 2022/23, Q3 2022/23, Q4 2022/23" in docx_checks.body_text(doc)
    pdf = docx_checks.libreoffice_pdf(data, tmp_path, "annual.docx")
    assert all("OFFICIAL" in page for page in docx_checks.pdf_pages_text(pdf))
    assert io.BytesIO(data).getbuffer().nbytes > 0


def test_the_comparison_downloads_as_tidy_data_and_reads_an_old_record_with_the_grade_joined(fresh_db, downloads):
    """The Compare tab's CSV: values as numbers with their unit, the change as a signed number and in
    words, the latest grade's grade, council and date in cells of their own — also when the previous
    quarter is a record frozen before they were kept apart (one joined string), which is read as it
    is and never rewritten."""
    from monitor.tidy import read_tidy_csv, source_line

    old = thaw(row(fresh_db, "hws-2023-Q2-v1")["figures_json"])
    ofsted = section(old, "ofsted")["facts"]
    grade, council, inspected = (ofsted.pop("latest_overall_grade"), ofsted.pop("latest_overall_grade_council"),
                                 ofsted.pop("latest_overall_grade_date"))
    joined = f"{grade} ({dt.date.fromisoformat(inspected):%-d %b %Y}, {council})"
    ofsted["latest_overall_grade"] = joined  # as reports frozen before this change hold it
    fetch(fresh_db, "UPDATE commissioner_report SET figures_json = $f WHERE report_id = 'hws-2023-Q2-v1'",
          {"f": json.dumps(old)})
    record_before = row(fresh_db, "hws-2023-Q2-v1")

    downloads.clear()
    at = open_report("2023-Q3")
    shown = next(df.value for df in at.dataframe if "Change" in df.value.columns).set_index("Figure")
    assert shown.loc["Latest Ofsted overall grade", "Previous"] == grade  # the screen reads it too
    data = download(downloads, f"{HWS}_2023-Q3_compare.csv")
    assert "As at: 2023-09-30." in source_line(data) and "previous quarter" in source_line(data)
    compare = read_tidy_csv(data).set_index("Figure")
    assert list(compare.columns) == ["Section", "Previous", "Current", "Unit", "Change", "Change in words"]
    assert compare.loc["Latest Ofsted overall grade", "Previous"] == grade
    assert compare.loc["Latest Ofsted overall grade: council", "Previous"] == council
    assert compare.loc["Latest Ofsted overall grade: inspection date", "Previous"] == inspected
    assert compare.loc["Latest Ofsted overall grade: council", "Current"] == council  # the new report keeps them apart
    done = compare.loc["Milestones complete"]
    assert done["Unit"] == "count" and float(done["Change"]) == float(done["Current"]) - float(done["Previous"])
    assert done["Change in words"] in {"better", "worse", "no change"}
    assert set(compare["Unit"].dropna()) <= {"count", "GBP", "%"}
    numbers = compare[compare["Unit"].notna()]
    for column in ("Previous", "Current"):  # every value with a unit is a number (or missing)
        given = numbers[column].dropna()
        assert pd.to_numeric(given, errors="coerce").notna().all(), given.tolist()
    text = data.decode("utf-8-sig")
    assert "£" not in text and "▲" not in text and "▼" not in text
    assert row(fresh_db, "hws-2023-Q2-v1") == record_before  # read, never rewritten
