"""How the Quarterly report page draws its view (monitor.report.page.ReportPage): the status and
notes above the tabs, the sections, the form and the Word downloads. What is shown, and to whom, is
decided in the view; text from the data goes through `plain`."""
from __future__ import annotations

import hashlib
from collections.abc import Callable

import streamlit as st

from monitor.report.confidence import CONFIDENCE_DEFINITIONS, CONFIDENCE_LEVELS, CONFIDENCE_RULES, confidence_label
from monitor.report.page import DOCX_DIFFERS, DOCX_SAME, ReportPage
from monitor.report.sections import SECTION_TITLES
from monitor.report.view import DrawnSection
from monitor.text import plain
from ui import blocks
from ui.sources import source_links

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MESSAGE = "report_message"  # what the last save, submission or correction did: (kind, text)


def status(view: ReportPage) -> None:
    kind, message = st.session_state.pop(MESSAGE, (None, None))
    if kind:
        (st.success if kind == "success" else st.error)(plain(message))
    st.subheader(plain(view.title), anchor=False)
    blocks.status_tag(*view.tag)
    for note in view.notes:
        st.markdown(plain(note))
    blocks.illustrative_notice(view.illustrative, "sections")
    st.markdown(f"**Period:** {view.period}. **Report to:** {plain(view.words.report_to)}. "
                f"**Report by:** {plain(view.words.author_title)}.")


def summary(view: ReportPage, headline, *, file_name: str, origin: Callable) -> None:
    """The summary section: headline figures, the data's proposal and the levels as saved."""
    st.header(SECTION_TITLES["summary"])
    if headline:
        st.subheader(headline[0])
        blocks.table(headline[1], key="headline", file_name=file_name, origin=origin())
    if view.proposed:
        st.markdown(f"**Proposed from the data: {plain(view.proposed[0])}** {plain(view.proposed[1])}")
    else:
        st.markdown("**Proposed from the data:** not kept with this report.")
    with st.expander("The five delivery confidence levels, and how the proposal is worked out"):
        for level in CONFIDENCE_LEVELS:
            st.markdown(f"- **{confidence_label(level)}:** {CONFIDENCE_DEFINITIONS[level]}")
        st.markdown("**The proposal:** " + " ".join(CONFIDENCE_RULES))
    if view.form is None:
        for saved in view.saved:
            st.markdown(f"**{plain(saved.title)}:** {plain(saved.level)}")
            st.markdown(plain(saved.reason) or "No reason recorded.")
        st.markdown(plain(view.summary) or "No summary written.")


def sections(drawn: list[DrawnSection], commentary: dict[str, str], *, file_stem: str, origin: Callable) -> None:
    """Each section: its summary, charts (each with its table and source note), tables, the sources
    it cites, and the commentary saved with it (`commentary`: none while the form holds it)."""
    for section in drawn:
        st.header(plain(section.title), anchor=False)
        st.markdown(plain(section.summary))
        for n, (figure, line, chart_rows, note) in enumerate(section.charts):
            blocks.chart(figure, line, chart_rows, key=f"{section.key}_{n}", file_name=f"{file_stem}_{section.key}.csv",
                         origin=origin(note))
            st.markdown(plain(note))  # in body text: a caption's grey is under 4.5:1
        for n, table in enumerate(section.tables):
            st.subheader(plain(table.heading), anchor=False)
            if table.frame is None:
                st.markdown("None.")
            else:
                blocks.table(table.frame, key=f"{section.key}_t{n}", file_name=f"{file_stem}_{section.key}_{n}.csv",
                             origin=origin(table.source))
                for sentence in table.sentences:
                    st.markdown(f"- {plain(sentence)}")
            st.markdown(plain(table.source))
        if section.cited:
            st.markdown("**Sources cited:** " + source_links(section.cited))
        if commentary.get(section.key):
            st.markdown(f"**Commentary:** {plain(commentary[section.key])}")


def form(view: ReportPage, on_save: Callable, args: tuple) -> None:
    """The narrative and both levels in one form: "Save draft" and "Submit" send every box at once
    to `on_save(submit, *args)`."""
    report = view.form
    st.header("Narrative and delivery confidence")
    st.markdown("Write the narrative, set the delivery confidence, then save or submit: the form sends every "
                "box at once.")
    with st.form(key=report.box("form"), border=True):
        for column, level in zip(st.columns(2), report.levels):
            with column:
                st.session_state.setdefault(report.box(level.box), level.level)
                st.session_state.setdefault(report.box(level.reason_box), level.reason)
                st.selectbox(plain(level.title), list(CONFIDENCE_LEVELS), key=report.box(level.box),
                             placeholder="Not set", format_func=confidence_label)
                st.text_area(plain(level.reason_label), key=report.box(level.reason_box), height=90)
        for key, text in report.commentary:
            st.session_state.setdefault(report.box(f"n_{key}"), report.narrative.get(key, ""))
            st.text_area(plain(text), key=report.box(f"n_{key}"), height=120 if key == "summary" else 90)
        st.checkbox(plain(report.confirm_label), key=report.box("confirm"))
        st.form_submit_button("Save draft", key="save_draft", icon=":material/save:", on_click=on_save,
                              args=(False, *args))
        st.form_submit_button(plain(report.submit_label), key="submit_report", type="primary", icon=":material/send:",
                              on_click=on_save, args=(True, *args))


def word_file(view: ReportPage, make: Callable[[], bytes], file_name: str, record: dict | None) -> None:
    """The quarter's Word file, made on the click; a submitted one can be checked against its hash."""
    for note in view.export_notes:
        st.markdown(note)
    st.download_button("Download the report (Word)", data=make, file_name=file_name, mime=DOCX, key="download_docx",
                       icon=":material/description:", on_click="ignore")
    if view.checks_docx and st.button("Check the Word file against the record", key="check_docx",
                                      icon=":material/verified:"):
        same = hashlib.sha256(make()).hexdigest() == record["docx_sha256"]
        (st.success if same else st.warning)(DOCX_SAME if same else DOCX_DIFFERS)


def annual_file(view: ReportPage, make: Callable[[str], bytes], file_name: Callable[[list[str]], str]) -> None:
    """The annual report to the partner's council for a chosen financial year, made on the click."""
    st.subheader(plain(f"Annual report to {view.annual_to}"), anchor=False)
    years = list(view.annual_years)
    year = st.selectbox("Financial year", years, index=years.index(view.annual_year), key="annual_year")
    st.markdown(plain(view.annual_sentence(year)))
    st.download_button(f"Download the annual report {year} (Word)", data=lambda: make(year),
                       file_name=file_name(view.annual_quarters(year)), mime=DOCX, key="download_annual",
                       icon=":material/summarize:", on_click="ignore")
