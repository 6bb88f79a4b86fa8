"""The Quarterly report page's view and form, on hand-made figures: which status and wording a reader
sees for a report not started, a draft and a submitted one; who is offered the form or a
correction; the boxes of the form; what a save or submission does before anything is written."""
import datetime as dt

import pandas as pd

from monitor.permissions import Actor
from monitor.report.audience import BOARD, Audience, audience_of
from monitor.report.form import saving
from monitor.report.page import build_page, default_quarter, versions_table

PID, Q = "hampshire-west-sussex", "2023-Q3"
DFE = audience_of("DfE commission", None)
JLB = Audience(BOARD, "Joint Leaders' Board", "programme officer", "Programme lead", source="002 §12")
QUARTERS = ["2023-Q3", "2023-Q2", "2023-Q1", "2022-Q4", "2022-Q3", "2022-Q2"]
FIGURES = {"sections": [{"key": "summary", "title": "Summary"},
                        {"key": "milestones", "title": "Milestones", "illustrative": True},
                        {"key": "risks", "title": "Risks"}],
           "proposed_confidence": {"level": "Amber", "points": 2, "reasons": ["2 of 8 milestones overdue: +2"]}}
COMMISSIONER = Actor("c@example.gov.uk", "DfE Commissioner (demo)", "commissioner", frozenset({PID}))


def draft(**extra):
    return {"report_id": f"{PID}-{Q}-v1", "version": 1, "status": "draft", "confidence": "Amber",
            "confidence_reason": "Overdue milestones.", "council_confidence": None, "council_confidence_reason": None,
            "programme_id": PID, "quarter_label": Q, "source": "001 para 9", "row_version": 3, **extra}


def submitted():
    frozen = dict(FIGURES, assembled_at="2023-10-02", audience=DFE.to_dict())
    record = draft(status="submitted", submitted_by="c@example.gov.uk", submitted_by_name="DfE Commissioner (demo)",
                   submitted_by_role="commissioner", submitted_at=dt.datetime(2023, 10, 5, 9, 30), docx_sha256="ab12")
    return record, frozen


def page(record=None, figures=FIGURES, frozen=None, audience=DFE, allowed=True, narrative=None):
    return build_page(programme_id=PID, quarter=Q, quarters=QUARTERS, audience=audience, record=record,
                      figures=figures, frozen=frozen, narrative=narrative or {}, allowed=allowed)


def test_the_tabs_compare_with_the_previous_quarter_as_a_council_writes_it():
    view = page()
    assert view.tabs == ["Report", "Compare with Q1 2023/24", "Export"]
    assert view.label == "Q2 2023/24" and view.period == "Q2 2023/24, 1 Jul 2023 to 30 Sep 2023"
    assert view.title == "Commissioner's quarterly report to the Department for Education: Q2 2023/24"


def test_a_quarter_not_started_offers_its_author_a_new_form_keyed_by_programme_and_quarter():
    view = page()
    assert view.tag[0] == "Not started" and "nothing saved for this quarter yet" in view.tag[1]
    assert view.form.report_key == f"new-{PID}-{Q}" and view.form.box("reason") == f"new-{PID}-{Q}__reason"
    assert [label for _, label in view.form.commentary] == ["Summary for DfE", "Commentary on milestones",
                                                            "Commentary on risks"]
    assert view.form.submit_label == "Submit to DfE" and "ready for DfE" in view.form.confirm_label
    assert not view.offers_correction and view.notes == ()
    assert view.export_notes[0].startswith("The Word file holds the report as last saved, marked DRAFT")


def test_a_draft_shows_its_version_and_its_saved_levels_in_the_form():
    view = page(draft(corrects_report_id=f"{PID}-{Q}-v0"), narrative={"summary": "On track."})
    assert view.tag == ("Draft", f"version 1, not yet submitted; corrects {PID}-{Q}-v0")
    assert view.form.levels[0].title == "Commissioner's delivery confidence"
    assert view.form.levels[0].level == "Amber" and view.form.levels[0].reason == "Overdue milestones."
    assert view.form.levels[1].reason_label == "Reason for the council's own assessment"
    assert view.form.narrative == {"summary": "On track."}
    assert view.proposed == ("◑ Amber", "(2 points) — 2 of 8 milestones overdue: +2.")
    assert view.illustrative == ("illustrative", "source")


def test_a_reader_reads_the_saved_levels_and_is_offered_nothing_to_change():
    view = page(draft(), allowed=False, narrative={"summary": "On track."})
    assert view.form is None and not view.offers_correction
    assert view.notes == ("You can read this report. Only the programme's commissioner (commissioner) and "
                          "administrators can change it.",)
    assert [(s.title, s.level, s.reason) for s in view.saved] == [
        ("Commissioner's delivery confidence", "◑ Amber", "Overdue milestones."),
        ("Council's own assessment", "not set", None)]
    assert view.summary == "On track."


def test_a_submitted_report_is_shown_frozen_and_its_author_is_offered_a_correction_only():
    record, frozen = submitted()
    view = page(record, figures=frozen, frozen=frozen)
    assert view.tag == ("Submitted", "version 1, by DfE Commissioner (demo), commissioner on 5 Oct 2023; frozen")
    assert view.form is None and view.offers_correction
    assert view.notes == ("Shown as frozen at submission (figures assembled 2 Oct 2023), not from today's data.",
                          "A submitted report cannot be changed. To correct it, start a new version that references it.")
    assert view.checks_docx and view.export_notes == (
        "The Word file is rendered from the report's frozen record alone, so it is the paper as submitted.",
        "SHA-256 of the Word file at submission: `ab12`")


def test_a_submitted_report_reads_in_the_words_it_was_submitted_with():
    record, frozen = submitted()
    view = page(record, figures=frozen, frozen=frozen, audience=JLB, allowed=False)
    assert view.words.report_to == "Department for Education" and view.title.startswith("Commissioner's")
    assert "Only the programme's programme lead (programme officer)" in view.notes[-1]


def test_a_boards_report_is_submitted_to_the_board_and_has_no_annual_report():
    view = page(audience=JLB)
    assert view.title == "Quarterly progress report to the Joint Leaders' Board: Q2 2023/24"
    assert view.form.submit_label == "Submit to the Joint Leaders' Board"
    assert view.form.commentary[0] == ("summary", "Summary for the board")
    assert view.annual_to is None and view.annual_years == ()


def test_the_annual_report_opens_on_the_quarters_financial_year():
    hampshire = Audience("DfE", "Department for Education", "commissioner", "DfE Commissioner",
                         annual_to="Hampshire County Council Cabinet", annual_council_name="Hampshire")
    view = page(audience=hampshire)
    assert view.annual_years == ("2023/24", "2022/23") and view.annual_year == "2023/24"
    assert view.annual_sentence("2022/23") == (
        "The annual report to Hampshire County Council Cabinet for 2022/23 brings together its quarters "
        "(Q1 2022/23, Q2 2022/23, Q3 2022/23, Q4 2022/23), with Hampshire's own no-detriment position.")


def test_the_page_opens_on_the_newest_quarter_with_a_report():
    reports = pd.DataFrame({"quarter_label": ["2023-Q1", "2022-Q3"]})
    assert default_quarter(QUARTERS, reports) == "2023-Q1"
    assert default_quarter(QUARTERS, reports.iloc[0:0]) == "2023-Q3"


def test_the_versions_table_names_who_submitted_each_version():
    record, _ = submitted()
    reports = pd.DataFrame([record, draft(report_id=f"{PID}-{Q}-v2", version=2, corrects_report_id=record["report_id"],
                                          author="Officer", submitted_at=None)]).assign(author="Officer")
    shown = versions_table(reports, Q)
    assert list(shown.columns) == ["Version", "Status", "Author", "Submitted by", "Submitted at", "Corrects report id"]
    assert list(shown["Submitted by"]) == ["DfE Commissioner (demo), commissioner", ""]
    assert shown["Submitted at"].iloc[0] == "5 Oct 2023"
    assert versions_table(reports, "2020-Q1") is None


def boxes(form, **values):
    return {name: values.get(name) for name in form.boxes}


def save(form, submit=False, confirmed=False, seen=None, **values):
    return saving(form, boxes(form, **values), submit=submit, confirmed=confirmed, seen=seen, seen_figures=FIGURES,
                  proposed="Amber", programme_id=PID, quarter=Q, programme_source="001 para 9", actor=COMMISSIONER,
                  now=dt.datetime(2023, 10, 5, 9, 30))


def test_a_control_character_is_refused_naming_the_box_and_nothing_is_to_be_written():
    form = page().form
    refused = save(form, n_risks="Two risks\x07 closed.")
    assert refused.changes == () and refused.refused.startswith("Not saved: “Commentary on risks”")
    assert "U+0007" in refused.refused
    assert "“Reason for the Commissioner's delivery confidence”" in save(form, reason="x\x00").refused


def test_a_submission_needs_a_level_a_reason_and_the_confirmation():
    refused = save(page().form, submit=True).refused
    assert refused.startswith("Not submitted. Set the delivery confidence")
    assert refused.endswith("Tick the box to confirm the report is ready: once submitted it cannot be changed.")


def test_a_first_draft_is_one_insert_and_a_later_save_one_update_of_the_version_opened():
    first = save(page().form, n_summary="On track.", confidence="Amber")
    assert [(c.action, c.key) for c in first.changes] == [("insert", {"report_id": f"{PID}-{Q}-v1"})]
    assert first.changes[0].values["author"] == "DfE Commissioner (demo)"
    assert first.done == "Draft saved at 09:30. It is kept in the database: reload or come back any time."
    assert first.note == f"quarterly report {Q}: draft saved"
    later = save(page(draft()).form, seen=draft(), reason="Still overdue.")
    assert [(c.action, c.expected_version) for c in later.changes] == [("update", 3)]
