"""Quarterly report: the commissioner's report to DfE, or a programme's progress report to its
governing board, assembled from the data; narrative and delivery confidence added in one form,
saved as a draft, submitted (then frozen: shown and exported from its record alone), compared with
the previous quarter, exported to Word as a council paper; the annual report to the improvement
partner's council by financial year."""
import hashlib

import streamlit as st

from monitor import clock
from monitor.formatting import format_date, in_sentence
from monitor.imports.text import control_problem
from monitor.periods import council_quarter, financial_year, previous_quarter, programme_quarters, quarter_bounds
from monitor.permissions import may_write
from monitor.report.annual import programme_financial_years
from monitor.report.audience import audience_of
from monitor.report.compare import SOURCE as COMPARE_SOURCE
from monitor.report.compare import compare_narrative
from monitor.report.confidence import (
    CONFIDENCE_DEFINITIONS,
    CONFIDENCE_LEVELS,
    CONFIDENCE_RULES,
    confidence_label,
    submission_problems,
)
from monitor.report.docx import audience_from, build_docx
from monitor.report.export import annual_docx, annual_quarters_of, quarterly
from monitor.report.record import SOURCE as VERSIONS_SOURCE
from monitor.report.record import annual_file_name, current_version, parse_narrative, submitted_by
from monitor.report.sections import SECTION_TITLES
from monitor.report.submission import correction, first_row, form_values, next_version, save_changes, submission
from monitor.report.view import compare_rows, draw_sections, figures_of, headline_table, report_origin
from monitor.text import plain
from queries.report import assemble as assemble_from_db
from queries.report import programme_meta
from queries.write import WriteRefused, write
from ui import blocks
from ui.data import query, shared_by
from ui.setup import page_setup
from ui.sources import source_links

ctx = page_setup(__file__)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TABLE = "commissioner_report"

programmes = ctx.visible_programmes(when_none="You are not registered for any programme, so there is no report to show.")
left, right = st.columns(2)
with left:
    pid = blocks.programme_picker(programmes)
programme = programmes.set_index("programme_id", drop=False).loc[pid]
reports = ctx.read("report/list", programme_id=pid)
quarters = programme_quarters(programme["start_date"], programme["end_date"], clock.today())
with_report = [q for q in quarters if q in set(reports["quarter_label"])]
with right:
    quarter = blocks.url_select("Quarter", quarters, param="quarter", default=(with_report or quarters)[0],
                                format_func=council_quarter)

meta = programme_meta(programme)
found = query("report/audience", programme_id=pid)
row = found.iloc[0].to_dict() if len(found) else {}
audience = audience_of(meta["kind"], row if isinstance(row.get("audience"), str) else None)


def assembled_report(programme_meta: dict, q: str, db: str) -> dict:
    return assemble_from_db(programme_meta, q, db=db)


def assemble(q: str) -> dict:
    """Assembly is pure: kept per data version, programme and quarter, shared read-only."""
    return shared_by((pid, meta["programme_name"], q, clock.today()), assembled_report, meta, q, ctx.db)


record = current_version(reports, quarter)
status = (record or {}).get("status") or "not started"
figures, frozen = figures_of(record, lambda: assemble(quarter))
# A submitted report reads in the words it was submitted with (who it went to, who wrote it); who
# may write is the programme's audience as it is now.
words = audience_from(figures) if frozen is not None and figures is frozen else audience
allowed = may_write(ctx.actor, TABLE, pid, report_author=audience.author_role)[0]
editable = allowed and status != "submitted"
rk = record["report_id"] if record else f"new-{pid}-{quarter}"
narrative = parse_narrative((record or {}).get("narrative_json"))
label = council_quarter(quarter)
sections = [s for s in figures["sections"] if s["key"] != "summary"]
commentary = {"summary": audience.summary_label, **{s["key"]: f"Commentary on {in_sentence(s['title'])}" for s in sections}}
BOXES = ("confidence", "reason", "council", "council_reason", *[f"n_{k}" for k in commentary])


def box(name: str) -> str:
    return f"{rk}__{name}"


def save(submit: bool, seen: dict | None, seen_figures: dict, proposed: str) -> None:
    """Save the form as a draft (or submit, freezing the figures the author saw with the Word file's
    hash): one write, refused and reported when not allowed. The form sends every box at once."""
    ss = st.session_state
    actor = ctx.fresh_actor()  # callbacks run before this run's set-up: re-read who is signed in
    values = form_values({name: ss.get(box(name)) for name in BOXES}, commentary, proposed)
    labels = {commentary["summary"]: "n_summary", f"Reason for the {audience.confidence_label}": "reason",
              "Reason for the council's own assessment": "council_reason",
              **{text: f"n_{k}" for k, text in commentary.items() if k != "summary"}}
    for name, key in labels.items():  # the write refuses these too; here the message names the box
        if problem := control_problem(ss.get(box(key)) or ""):
            ss["report_message"] = ("error", f"Not saved: “{name}” {problem}.")
            return
    row = dict(seen or first_row(pid, quarter, actor.display_name, programme["source"]))
    if submit:
        problems = submission_problems(values["confidence"], values["confidence_reason"])
        if not ss.get(box("confirm")):
            problems.append("Tick the box to confirm the report is ready: once submitted it cannot be changed.")
        if problems:
            ss["report_message"] = ("error", "Not submitted. " + " ".join(problems))
            return
        values = submission(row, values, seen_figures, email=actor.email, name=actor.display_name, role=actor.role,
                            now=clock.now())
    changes = save_changes(row, values, seen, submit=submit, programme_id=pid)
    try:
        write(changes, actor=actor, note=f"quarterly report {quarter}: {'submitted' if submit else 'draft saved'}")
    except WriteRefused as exc:
        ss["report_message"] = ("error", f"Not saved: {exc}")
        return
    when = clock.now().strftime("%H:%M")
    ss["report_message"] = ("success", f"Submitted to {audience.to_short} at {when}; the report is now frozen."
                            if submit else f"Draft saved at {when}. It is kept in the database: reload or come back any time.")


def correct(seen: dict) -> None:
    """A correction of a submitted report: a new draft version that references it, with the level
    the data proposes now."""
    proposed = (assemble(quarter)["proposed_confidence"] or {}).get("level")
    version = next_version(reports.loc[reports["quarter_label"] == quarter, "version"])
    actor = ctx.fresh_actor()
    try:
        write([correction(seen, version=version, author=actor.display_name, proposed=proposed)],
              actor=actor, note=f"quarterly report {quarter}: correction started")
        st.session_state["report_message"] = ("success", f"Correction started as version {version} (a draft).")
    except WriteRefused as exc:
        st.session_state["report_message"] = ("error", f"Not saved: {exc}")


# --- Status -------------------------------------------------------------------------------------
kind, message = st.session_state.pop("report_message", (None, None))
if kind:
    (st.success if kind == "success" else st.error)(plain(message))
st.subheader(plain(figures.get("title") or words.title(label)), anchor=False)
if record is None:
    blocks.status_tag("Not started", "nothing saved for this quarter yet: the figures below are assembled from the data")
elif status == "submitted":
    blocks.status_tag("Submitted", f"version {record['version']}, by {submitted_by(record)} on "
                                   f"{format_date(record['submitted_at'])}; frozen")
else:
    blocks.status_tag("Draft", f"version {record['version']}, not yet submitted"
                      + (f"; corrects {record['corrects_report_id']}" if record.get("corrects_report_id") else ""))
if frozen is not None and figures is frozen:
    if frozen.get("legacy"):
        st.markdown("This report was submitted before full figures were frozen with reports: what it kept — its "
                    "milestone counts — is shown below, and nothing from today's data.")
    elif frozen.get("reconstructed"):
        st.markdown(plain(f"{frozen['reconstructed']['note']} Reconstructed on {format_date(frozen['reconstructed']['at'])}; "
                          "shown from that record, not from today's data."))
    else:
        st.markdown(f"Shown as frozen at submission (figures assembled {format_date(frozen.get('assembled_at'))}), "
                    "not from today's data.")
if not allowed:
    st.markdown(plain(f"You can read this report. Only the programme's {audience.author_title.lower().removeprefix('dfe ')} "
                      f"({audience.author_role}) and administrators can change it."))
elif status == "submitted":
    st.markdown("A submitted report cannot be changed. To correct it, start a new version that references it.")
blocks.illustrative_notice(["illustrative" if s.get("illustrative") else "source" for s in sections], "sections")
st.markdown(f"**Period:** {label}, {format_date(quarter_bounds(quarter)[0])} to {format_date(quarter_bounds(quarter)[1])}. "
            f"**Report to:** {plain(words.report_to)}. **Report by:** {plain(words.author_title)}.")

previous_q = previous_quarter(quarter)
report_tab, compare_tab, export_tab = st.tabs(["Report", f"Compare with {council_quarter(previous_q)}", "Export"])
with report_tab:
    st.header(SECTION_TITLES["summary"])
    head = headline_table(figures)
    if head:
        st.subheader(head[0])
        blocks.table(head[1], key="headline", file_name=f"{pid}_{quarter}_headline.csv",
                     origin=report_origin(figures, quarter))
    proposed = figures.get("proposed_confidence")
    if proposed:
        st.markdown(f"**Proposed from the data: {confidence_label(proposed['level'])}** "
                    f"({proposed['points']} point{'' if proposed['points'] == 1 else 's'}) — " + "; ".join(proposed["reasons"]) + ".")
    else:
        st.markdown("**Proposed from the data:** not kept with this report.")
    with st.expander("The five delivery confidence levels, and how the proposal is worked out"):
        for level in CONFIDENCE_LEVELS:
            st.markdown(f"- **{confidence_label(level)}:** {CONFIDENCE_DEFINITIONS[level]}")
        st.markdown("**The proposal:** " + " ".join(CONFIDENCE_RULES))
    saved = record or {}
    if not editable:
        for field, title in (("confidence", words.confidence_label[:1].upper() + words.confidence_label[1:]),
                             ("council_confidence", "Council's own assessment")):
            st.markdown(f"**{title}:** {confidence_label(saved.get(field)) or 'not set'}")
            st.markdown(plain(saved.get(f"{field}_reason")) or "No reason recorded.")
        st.markdown(plain(narrative.get("summary")) or "No summary written.")

    # Frozen figures never change once submitted; assembled ones change with the data version.
    source = ("frozen", record["report_id"]) if figures is frozen else ("assembled",)
    for section in shared_by((pid, quarter, *source), draw_sections, {"sections": sections}):
        st.header(plain(section.title), anchor=False)
        st.markdown(plain(section.summary))
        for n, (figure, summary, chart_rows, note) in enumerate(section.charts):
            blocks.chart(figure, summary, chart_rows, key=f"{section.key}_{n}",
                         file_name=f"{pid}_{quarter}_{section.key}.csv", origin=report_origin(figures, quarter, note))
            st.markdown(plain(note))  # in body text: a caption's grey is under 4.5:1
        for n, table in enumerate(section.tables):
            st.subheader(plain(table.heading), anchor=False)
            if table.frame is None:
                st.markdown("None.")
            else:
                blocks.table(table.frame, key=f"{section.key}_t{n}", file_name=f"{pid}_{quarter}_{section.key}_{n}.csv",
                             origin=report_origin(figures, quarter, table.source))
                for sentence in table.sentences:
                    st.markdown(f"- {plain(sentence)}")
            st.markdown(plain(table.source))
        if section.cited:
            st.markdown("**Sources cited:** " + source_links(section.cited))
        if not editable and narrative.get(section.key):
            st.markdown(f"**Commentary:** {plain(narrative[section.key])}")

    if editable:
        st.header("Narrative and delivery confidence")
        st.markdown("Write the narrative, set the delivery confidence, then save or submit: the form sends every "
                    "box at once.")
        levels = list(CONFIDENCE_LEVELS)
        with st.form(key=f"{rk}__form", border=True):
            a, b = st.columns(2)
            for column, field, reason, title in (
                    (a, "confidence", "reason", audience.confidence_label[:1].upper() + audience.confidence_label[1:]),
                    (b, "council", "council_reason", "Council's own assessment")):
                key_field = "confidence" if field == "confidence" else "council_confidence"
                with column:
                    st.session_state.setdefault(box(field), saved.get(key_field))
                    st.session_state.setdefault(box(reason), saved.get(f"{key_field}_reason") or "")
                    st.selectbox(plain(title), levels, key=box(field), placeholder="Not set", format_func=confidence_label)
                    st.text_area(plain(f"Reason for the {title[:1].lower() + title[1:]}"), key=box(reason), height=90)
            for key, text in commentary.items():
                st.session_state.setdefault(box(f"n_{key}"), narrative.get(key, ""))
                st.text_area(plain(text), key=box(f"n_{key}"), height=120 if key == "summary" else 90)
            st.checkbox(f"I confirm this report is ready for {plain(audience.to_short)}: once submitted it is frozen and "
                        "cannot be changed", key=box("confirm"))
            args = (record, figures, (proposed or {}).get("level"))
            st.form_submit_button("Save draft", key="save_draft", icon=":material/save:", on_click=save,
                                  args=(False, *args))
            st.form_submit_button(plain(audience.submit_label), key="submit_report", type="primary", icon=":material/send:",
                                  on_click=save, args=(True, *args))
    elif allowed and status == "submitted":
        st.button("Start a correction (new version)", key="start_correction", icon=":material/edit_note:",
                  on_click=correct, args=(record,))

with compare_tab:
    prev_record = current_version(reports, previous_q)
    prev_figures, prev_frozen = figures_of(prev_record, lambda: assemble(previous_q))
    st.markdown(f"**{label} against {council_quarter(previous_q)}.** "
                + ("This quarter as frozen when it was submitted; " if figures is frozen else
                   "This quarter as assembled from the data; ")
                + ("the previous one as frozen when it was submitted." if prev_figures is prev_frozen else
                   "the previous one assembled from the current data (not submitted)."))
    shown_compare, tidy_compare = compare_rows(figures, record, (proposed or {}).get("level"), prev_record,
                                               prev_figures, words.assessment_label)
    blocks.table(shown_compare, key="compare", file_name=f"{pid}_{quarter}_compare.csv", download=tidy_compare,
                 origin=report_origin(figures, quarter, COMPARE_SOURCE))
    st.subheader("Narrative")
    changes = compare_narrative(narrative, parse_narrative((prev_record or {}).get("narrative_json")))
    for change in changes:
        with st.expander(f"{change['section']}: {change['status']}"):
            st.markdown(f"**{council_quarter(previous_q)}:** {plain(change['previous']) or '(none)'}")
            st.markdown(f"**{label} (as saved):** {plain(change['current']) or '(none)'}")
    if not changes:
        st.markdown("No narrative saved for either quarter.")

with export_tab:
    doc_figures, doc_record, doc_name = quarterly(pid, reports, quarter, assemble)
    if status == "submitted":
        st.markdown("The Word file is rendered from the report's frozen record alone, so it is the paper as submitted.")
        if record.get("docx_sha256"):
            st.markdown(f"SHA-256 of the Word file at submission: `{record['docx_sha256']}`")
    else:
        st.markdown("The Word file holds the report as last saved, marked DRAFT on every page, with its charts, tables "
                    "and source notes.")
    st.download_button("Download the report (Word)", data=lambda: build_docx(doc_figures, doc_record),
                       file_name=doc_name, mime=DOCX, key="download_docx", icon=":material/description:",
                       on_click="ignore")
    if status == "submitted" and record.get("docx_sha256"):
        if st.button("Check the Word file against the record", key="check_docx", icon=":material/verified:"):
            same = hashlib.sha256(build_docx(doc_figures, doc_record)).hexdigest() == record["docx_sha256"]
            (st.success if same else st.warning)(
                "The file rendered now is byte for byte the one hashed at submission." if same else
                "The file rendered now differs from the one hashed at submission (the software that draws it has "
                "changed); its content is still the frozen record's.")
    if audience.annual_to:
        years = programme_financial_years(quarters)
        fy = financial_year(quarter_bounds(quarter)[0])
        st.subheader(plain(f"Annual report to {audience.annual_to}"), anchor=False)
        year = st.selectbox("Financial year", years, index=years.index(fy) if fy in years else 0, key="annual_year")
        in_year = annual_quarters_of(year, quarters)

        def annual_bytes() -> bytes:  # on the click, in Streamlit's download thread: no page caches here
            return annual_docx(pid, year, quarters, reports, audience.to_dict(),
                               lambda q: assemble_from_db(meta, q, db=ctx.db), clock.now().replace(microsecond=0).isoformat())[1]

        st.markdown(plain(f"The annual report to {audience.annual_to} for {year} brings together its quarters "
                          f"({', '.join(council_quarter(q) for q in in_year)}), with "
                          f"{audience.annual_council_name or 'the partner council'}'s own no-detriment position."))
        st.download_button(f"Download the annual report {year} (Word)", data=annual_bytes,
                           file_name=annual_file_name(pid, in_year[0], in_year[-1]), mime=DOCX, key="download_annual",
                           icon=":material/summarize:", on_click="ignore")
    versions = reports[reports["quarter_label"] == quarter]
    if not versions.empty:
        st.subheader("Versions of this quarter's report")
        shown = versions[["version", "status", "author", "submitted_at", "corrects_report_id"]].copy()
        shown.insert(3, "submitted_by", [submitted_by(r) if r["status"] == "submitted" else ""
                                         for r in versions.to_dict("records")])
        shown["submitted_at"] = shown["submitted_at"].map(format_date)
        blocks.table(shown.rename(columns=lambda c: c.replace("_", " ").capitalize()), key="versions",
                     file_name=f"{pid}_{quarter}_versions.csv", origin=report_origin(figures, quarter, VERSIONS_SOURCE))
