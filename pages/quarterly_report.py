"""Quarterly report: the commissioner's DfE update, assembled from the data; narrative and delivery
confidence added, saved as a draft, submitted (then frozen), compared with the previous quarter,
exported to Word; the annual report for the partner council."""
import streamlit as st

from monitor import clock
from monitor.formatting import format_date, in_sentence
from monitor.imports.text import control_problem
from monitor.periods import previous_quarter, programme_quarters, quarter_bounds
from monitor.permissions import may_write
from monitor.report.annual import annual_quarters, annual_report
from monitor.report.assemble import assemble_report
from monitor.report.compare import compare_narrative
from monitor.report.confidence import (
    CONFIDENCE_DEFINITIONS,
    CONFIDENCE_LEVELS,
    CONFIDENCE_RULES,
    confidence_label,
    submission_problems,
)
from monitor.report.docx import build_docx
from monitor.report.record import (
    annual_file_name,
    current_version,
    docx_file_name,
    dump_narrative,
    freeze,
    new_report_id,
    parse_narrative,
)
from monitor.report.sections import NARRATIVE_SECTIONS, SECTION_TITLES
from monitor.report.view import compare_rows, draw_sections, figures_of, headline_table
from monitor.text import plain
from queries.report import report_frames
from queries.write import Change, WriteRefused, write
from ui import blocks
from ui.data import query, shared_by
from ui.setup import page_setup

ctx = page_setup(__file__)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TABLE = "commissioner_report"

programmes = ctx.visible_programmes(when_none="You are not registered for any programme, so there is no report to show.")
left, right = st.columns(2)
with left:
    pid = blocks.programme_picker(programmes)
programme = programmes.set_index("programme_id").loc[pid]
reports = ctx.read("report/list", programme_id=pid)
quarters = programme_quarters(programme["start_date"], programme["end_date"], clock.today())
with_report = [q for q in quarters if q in set(reports["quarter_label"])]
with right:
    quarter = blocks.url_select("Quarter", quarters, param="quarter", default=(with_report or quarters)[0])

meta = {"programme_id": pid, "programme_name": programme["programme_name"], "status": programme["status"],
        "end_date": programme["end_date"]}


def assembled_report(programme_meta: dict, q: str) -> dict:
    return assemble_report(programme_meta, q, today=clock.today(), **report_frames(programme_meta["programme_id"], db=ctx.db))


def assemble(q: str) -> dict:
    """Assembly is pure: kept per data version, programme and quarter, shared read-only."""
    return shared_by((pid, meta["programme_name"], q, clock.today()), assembled_report, meta, q)


record = current_version(reports, quarter)
status = (record or {}).get("status") or "not started"
assembled = assemble(quarter)
figures, frozen = figures_of(record if status == "submitted" else None, lambda: assembled)
allowed = may_write(ctx.actor, TABLE, pid)[0]
editable = allowed and status != "submitted"
rk = record["report_id"] if record else f"new-{pid}-{quarter}"
narrative = parse_narrative((record or {}).get("narrative_json"))


def box(name: str) -> str:
    return f"{rk}__{name}"


def save(submit: bool, seen: dict | None, seen_figures: dict, proposed: str) -> None:
    """Save the boxes as a draft (or submit, freezing the figures the commissioner saw): one
    write, refused and reported when not allowed."""
    ss = st.session_state
    actor = ctx.fresh_actor()  # callbacks run before this run's set-up: re-read who is signed in
    values = {"narrative_json": dump_narrative({k: ss.get(box(f"n_{k}"), "") for k in NARRATIVE_SECTIONS}),
              "confidence": ss.get(box("confidence")), "confidence_reason": (ss.get(box("reason")) or "").strip() or None,
              "council_confidence": ss.get(box("council")),
              "council_confidence_reason": (ss.get(box("council_reason")) or "").strip() or None,
              "proposed_confidence": proposed}
    boxes = {"Summary for DfE": "n_summary", "Reason for the commissioner's delivery confidence": "reason",
             "Reason for the council's own assessment": "council_reason",
             **{f"Commentary on {in_sentence(SECTION_TITLES[k])}": f"n_{k}" for k in NARRATIVE_SECTIONS if k != "summary"}}
    for label, name in boxes.items():  # the write refuses these too; here the message names the box
        if problem := control_problem(ss.get(box(name)) or ""):
            ss["report_message"] = ("error", f"Not saved: “{label}” {problem}.")
            return
    if submit:
        problems = submission_problems(values["confidence"], values["confidence_reason"])
        if not ss.get(box("confirm")):
            problems.append("Tick the box to confirm the report is ready: once submitted it cannot be changed.")
        if problems:
            ss["report_message"] = ("error", "Not submitted. " + " ".join(problems))
            return
        values.update(status="submitted", submitted_by=actor.email, figures_json=freeze(seen_figures),
                      submitted_at=clock.now())
    if seen is None:  # a report arrives as a draft; submitting at once is that draft, submitted, in one write
        draft = {k: v for k, v in values.items() if k not in ("status", "submitted_by", "figures_json", "submitted_at")}
        report_id = new_report_id(pid, quarter, 1)
        changes = [Change(TABLE, "insert", {"report_id": report_id},
                          {"programme_id": pid, "quarter_label": quarter, "version": 1,
                           "reporting_date": quarter_bounds(quarter)[1], "author": actor.display_name,
                           # A report written here stands on the paper that set up its programme.
                           "status": "draft", "source": programme["source"], **draft})]
        if submit:
            changes.append(Change(TABLE, "update", {"report_id": report_id}, values, programme_id=pid))
    else:
        changes = [Change(TABLE, "update", {"report_id": seen["report_id"]}, values,
                          expected_version=int(seen["row_version"]), programme_id=pid)]
    try:
        write(changes, actor=actor, note=f"quarterly report {quarter}: {'submitted' if submit else 'draft saved'}")
    except WriteRefused as exc:
        ss["report_message"] = ("error", f"Not saved: {exc}")
        return
    when = clock.now().strftime("%H:%M")
    ss["report_message"] = ("success", f"Submitted to DfE at {when}; the report is now frozen." if submit
                            else f"Draft saved at {when}. It is kept in the database: reload or come back any time.")


def correct(seen: dict, proposed: str) -> None:
    """A correction of a submitted report: a new draft version that references it."""
    version = int(reports.loc[reports["quarter_label"] == quarter, "version"].max()) + 1
    actor = ctx.fresh_actor()
    values = {k: seen.get(k) for k in ("confidence", "confidence_reason", "council_confidence",
                                       "council_confidence_reason", "narrative_json")}
    try:
        write([Change(TABLE, "insert", {"report_id": new_report_id(pid, quarter, version)},
                      {"programme_id": pid, "quarter_label": quarter, "version": version,
                       "corrects_report_id": seen["report_id"], "reporting_date": quarter_bounds(quarter)[1],
                       "author": actor.display_name, "status": "draft", "proposed_confidence": proposed,
                       "source": seen["source"], **values})],
              actor=actor, note=f"quarterly report {quarter}: correction started")
        st.session_state["report_message"] = ("success", f"Correction started as version {version} (a draft).")
    except WriteRefused as exc:
        st.session_state["report_message"] = ("error", f"Not saved: {exc}")


# --- Status -------------------------------------------------------------------------------------
kind, text = st.session_state.pop("report_message", (None, None))
if kind:
    (st.success if kind == "success" else st.error)(plain(text))
if record is None:
    blocks.status_tag("Not started", "nothing saved for this quarter yet: the figures below are assembled from the data")
elif status == "submitted":
    blocks.status_tag("Submitted", f"version {record['version']}, by {record['submitted_by']} on "
                                   f"{format_date(record['submitted_at'])}; frozen")
else:
    blocks.status_tag("Draft", f"version {record['version']}, not yet submitted"
                      + (f"; corrects {record['corrects_report_id']}" if record.get("corrects_report_id") else ""))
if frozen and frozen.get("legacy"):
    st.markdown("This report was submitted before full figures were frozen with it; its frozen milestone counts are "
                "in *Compare*, and the sections below are assembled from the current data.")
elif frozen:
    st.markdown(f"Figures as frozen at submission (assembled {format_date(frozen.get('assembled_at'))}).")
if not allowed:
    st.markdown("You can read this report. Only the programme's commissioner and administrators can change it.")
elif status == "submitted":
    st.markdown("A submitted report cannot be changed. To correct it, start a new version that references it.")
blocks.illustrative_notice(["illustrative" if s["illustrative"] else "source" for s in figures["sections"]], "sections")
st.markdown(f"**Period:** {format_date(figures['period_start'])} to {format_date(figures['reporting_date'])}.")

report_tab, compare_tab, export_tab = st.tabs(["Report", f"Compare with {previous_quarter(quarter)}", "Export"])
with report_tab:
    st.header(SECTION_TITLES["summary"])
    head = headline_table(figures)
    if head:
        st.subheader(head[0])
        blocks.table(head[1], key="headline", file_name=f"{pid}_{quarter}_headline.csv")
    proposed = figures["proposed_confidence"] or assembled["proposed_confidence"]
    st.markdown(f"**Proposed from the data: {confidence_label(proposed['level'])}** "
                f"({proposed['points']} point{'' if proposed['points'] == 1 else 's'}) — " + "; ".join(proposed["reasons"]) + ".")
    with st.expander("The five delivery confidence levels, and how the proposal is worked out"):
        for level in CONFIDENCE_LEVELS:
            st.markdown(f"- **{confidence_label(level)}:** {CONFIDENCE_DEFINITIONS[level]}")
        st.markdown("**The proposal:** " + " ".join(CONFIDENCE_RULES))
    levels = list(CONFIDENCE_LEVELS)
    saved = record or {}
    a, b = st.columns(2)
    for column, field, reason, label in ((a, "confidence", "reason", "Commissioner's delivery confidence"),
                                         (b, "council", "council_reason", "Council's own assessment")):
        key_field = "confidence" if field == "confidence" else "council_confidence"
        with column:
            if editable:
                st.session_state.setdefault(box(field), saved.get(key_field))
                st.session_state.setdefault(box(reason), saved.get(f"{key_field}_reason") or "")
                st.selectbox(label, levels, key=box(field), placeholder="Not set",
                             format_func=confidence_label)
                st.text_area(f"Reason for the {label.lower()}", key=box(reason), height=90)
            else:
                st.markdown(f"**{label}:** {confidence_label(saved.get(key_field)) or 'not set'}")
                st.markdown(plain(saved.get(f"{key_field}_reason")) or "No reason recorded.")
    if editable:
        st.session_state.setdefault(box("n_summary"), narrative.get("summary", ""))
        st.text_area("Summary for DfE", key=box("n_summary"), height=120)
    else:
        st.markdown(plain(narrative.get("summary")) or "No summary written.")

    # Frozen figures never change once submitted; assembled ones change with the data version.
    source = ("frozen", record["report_id"]) if figures is frozen else ("assembled",)
    for section in shared_by((pid, quarter, *source), draw_sections, figures):
        st.header(section.title)
        st.markdown(plain(section.summary))
        for n, (figure, summary, chart_rows) in enumerate(section.charts):
            blocks.chart(figure, summary, chart_rows, key=f"{section.key}_{n}", file_name=f"{pid}_{quarter}_{section.key}.csv")
        for n, table in enumerate(section.tables):
            st.subheader(plain(table.heading), anchor=False)
            if table.frame is None:
                st.markdown("None.")
                continue
            blocks.table(table.frame, key=f"{section.key}_t{n}", file_name=f"{pid}_{quarter}_{section.key}_{n}.csv")
            for sentence in table.sentences:
                st.markdown(f"- {plain(sentence)}" if sentence else "")
        if editable:
            st.session_state.setdefault(box(f"n_{section.key}"), narrative.get(section.key, ""))
            st.text_area(f"Commentary on {in_sentence(section.title)}", key=box(f"n_{section.key}"), height=100)
        elif narrative.get(section.key):
            st.markdown(f"**Commentary:** {plain(narrative[section.key])}")

    if editable:
        st.header("Save or submit")
        args = (record, assembled, proposed["level"])
        st.button("Save draft", key="save_draft", icon=":material/save:", on_click=save, args=(False, *args))
        st.checkbox("I confirm this report is ready for DfE: once submitted it is frozen and cannot be changed",
                    key=box("confirm"))
        st.button("Submit to DfE", key="submit_report", type="primary", icon=":material/send:", on_click=save,
                  args=(True, *args))
    elif allowed and status == "submitted":
        st.button("Start a correction (new version)", key="start_correction", icon=":material/edit_note:",
                  on_click=correct, args=(record, assembled["proposed_confidence"]["level"]))

with compare_tab:
    previous_q = previous_quarter(quarter)
    prev_record = current_version(reports, previous_q)
    prev_figures, prev_frozen = figures_of(prev_record, lambda: assemble(previous_q))
    st.markdown(f"**{quarter} against {previous_q}.** Previous figures: "
                + ("as frozen when it was submitted." if prev_figures is prev_frozen else
                   "assembled from the current data (no full frozen figures for that quarter)."))
    blocks.table(compare_rows(figures, record, proposed["level"], prev_record, prev_figures, prev_frozen),
                 key="compare", file_name=f"{pid}_{quarter}_compare.csv")
    st.subheader("Narrative")
    changes = compare_narrative(narrative, parse_narrative((prev_record or {}).get("narrative_json")))
    for change in changes:
        with st.expander(f"{change['section']}: {change['status']}"):
            st.markdown(f"**{previous_q}:** {plain(change['previous']) or '(none)'}")
            st.markdown(f"**{quarter} (as saved):** {plain(change['current']) or '(none)'}")
    if not changes:
        st.markdown("No narrative saved for either quarter.")

with export_tab:
    doc_record = dict(record or {}, status=status if record else None)
    st.markdown("The Word file holds the report as last saved (or as submitted), with its charts, tables and page numbers.")
    st.download_button("Download the report (Word)", data=lambda: build_docx(figures, doc_record),
                       file_name=docx_file_name(pid, quarter, status, (record or {}).get("version")), mime=DOCX,
                       key="download_docx", icon=":material/description:", on_click="ignore")
    four = annual_quarters(quarter)
    parties = query("programmes/parties")
    partner = parties[(parties["programme_id"] == pid) & parties["role"].isin(["improvement partner", "lead"])]
    recipient = partner["authority_name"].iloc[0] if not partner.empty else "the partner council"

    def annual_bytes() -> bytes:  # on the click, in Streamlit's download thread: no page caches here
        frames = report_frames(pid, db=ctx.db)
        recs = [current_version(reports, q) for q in four]
        figs = [figures_of(r, lambda q=q: assemble_report(meta, q, today=clock.today(), **frames))[0] for q, r in zip(four, recs)]
        return build_docx(annual_report(figs, recs, recipient))

    st.markdown(f"The annual report to {plain(recipient)} brings together the four quarters {four[0]} to {four[-1]}.")
    st.download_button(f"Download the annual report to {recipient} (Word)", data=annual_bytes,
                       file_name=annual_file_name(pid, four[0], four[-1]), mime=DOCX, key="download_annual",
                       icon=":material/summarize:", on_click="ignore")
    versions = reports[reports["quarter_label"] == quarter]
    if not versions.empty:
        st.subheader("Versions of this quarter's report")
        shown = versions[["version", "status", "author", "submitted_by", "submitted_at", "corrects_report_id"]].copy()
        shown["submitted_at"] = shown["submitted_at"].map(format_date)
        blocks.table(shown.rename(columns=lambda c: c.replace("_", " ").capitalize()), key="versions",
                     file_name=f"{pid}_{quarter}_versions.csv")
