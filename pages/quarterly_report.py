"""Quarterly report: the commissioner's report to DfE, or a programme's progress report to its
governing board, assembled from the data; narrative and delivery confidence added in one form,
saved as a draft, submitted (then frozen: shown and exported from its record alone), compared with
the previous quarter, exported to Word as a council paper; the annual report to the improvement
partner's council by financial year."""
from functools import partial

import streamlit as st

from monitor import clock
from monitor.periods import council_quarter, programme_quarters
from monitor.permissions import may_write
from monitor.report.audience import audience_of
from monitor.report.compare import SOURCE as COMPARE_SOURCE
from monitor.report.compare import compare_narrative
from monitor.report.docx import build_docx
from monitor.report.export import annual_docx, quarterly
from monitor.report.form import saving
from monitor.report.page import build_page, default_quarter, shown_sections, versions_table
from monitor.report.record import SOURCE as VERSIONS_SOURCE
from monitor.report.record import annual_file_name, current_version, parse_narrative
from monitor.report.submission import correction, next_version
from monitor.report.view import compare_rows, draw_sections, figures_of, headline_table, report_origin
from monitor.text import plain
from queries.report import assemble as assemble_from_db
from queries.report import programme_meta, report_inputs
from queries.write import WriteRefused, write
from ui import blocks
from ui import report as draw
from ui.data import query, read_ahead, shared, shared_by
from ui.setup import page_setup
from ui.sources import REFERENCES

ctx = page_setup(__file__)
TABLE = "commissioner_report"

programmes = ctx.visible_programmes(when_none="You are not registered for any programme, so there is no report to show.")
left, right = st.columns(2)
with left:
    pid = blocks.programme_picker(programmes)
programme = programmes.set_index("programme_id", drop=False).loc[pid]
# The programme's reports, its audience and the sources' references, asked for at once (ui.data.read_ahead).
read_ahead({"reports": ("report/list", {"programme_id": pid}), "audience": ("report/audience", {"programme_id": pid})},
           REFERENCES)
reports = ctx.read("report/list", programme_id=pid)
quarters = programme_quarters(programme["start_date"], programme["end_date"], clock.today())
with right:
    quarter = blocks.url_select("Quarter", quarters, param="quarter", default=default_quarter(quarters, reports),
                                format_func=council_quarter)

meta = programme_meta(programme)
found = query("report/audience", programme_id=pid)
row = found.iloc[0].to_dict() if len(found) else {}
audience = audience_of(meta["kind"], row if isinstance(row.get("audience"), str) else None)


def report_inputs_of(programme_id: str, db: str) -> dict:
    """The programme's rows a report is assembled from, whichever its quarter: read once (side by
    side) for the quarter shown and the one it is compared with, shared read-only."""
    return report_inputs(programme_id, db=db)


def assembled_report(programme_meta: dict, q: str, db: str) -> dict:
    return assemble_from_db(programme_meta, q, inputs=shared(report_inputs_of, programme_meta["programme_id"], db))


def assemble(q: str) -> dict:
    """Assembly is pure: kept per data version, programme and quarter, shared read-only."""
    return shared_by((pid, meta["programme_name"], q, clock.today()), assembled_report, meta, q, ctx.db)


record = current_version(reports, quarter)
figures, frozen = figures_of(record, lambda: assemble(quarter))
narrative = parse_narrative((record or {}).get("narrative_json"))
view = build_page(programme_id=pid, quarter=quarter, quarters=quarters, audience=audience, record=record,
                  figures=figures, frozen=frozen, narrative=narrative,
                  allowed=may_write(ctx.actor, TABLE, pid, report_author=audience.author_role)[0])
words, label, previous_q, proposed = view.words, view.label, view.previous, figures.get("proposed_confidence")


def save(submit: bool, seen: dict | None, seen_figures: dict, proposed: str) -> None:
    """Save the form as a draft, or submit it: one write, refused and reported when not allowed."""
    ss, form = st.session_state, view.form
    actor = ctx.fresh_actor()  # callbacks run before this run's set-up: re-read who is signed in
    planned = saving(form, {name: ss.get(form.box(name)) for name in form.boxes}, submit=submit,
                     confirmed=bool(ss.get(form.box("confirm"))), seen=seen, seen_figures=seen_figures,
                     proposed=proposed, programme_id=pid, quarter=quarter, programme_source=programme["source"],
                     actor=actor, now=clock.now())
    if planned.refused:
        ss[draw.MESSAGE] = ("error", planned.refused)
        return
    try:
        write(list(planned.changes), actor=actor, note=planned.note)
    except WriteRefused as exc:
        ss[draw.MESSAGE] = ("error", f"Not saved: {exc}")
        return
    ss[draw.MESSAGE] = ("success", planned.done)


def correct(seen: dict) -> None:
    """A correction of a submitted report: a new draft version that references it, with the level
    the data proposes now."""
    level = (assemble(quarter)["proposed_confidence"] or {}).get("level")
    version = next_version(reports.loc[reports["quarter_label"] == quarter, "version"])
    actor = ctx.fresh_actor()
    try:
        write([correction(seen, version=version, author=actor.display_name, proposed=level)],
              actor=actor, note=f"quarterly report {quarter}: correction started")
        st.session_state[draw.MESSAGE] = ("success", f"Correction started as version {version} (a draft).")
    except WriteRefused as exc:
        st.session_state[draw.MESSAGE] = ("error", f"Not saved: {exc}")


origin_of = partial(report_origin, figures, quarter)  # each download's source note and as-at date
# What the figures are, for the tables made from them (kept, so a rerun draws the same frames): frozen
# ones never change once submitted; assembled ones change with the data version and the day.
source = ("frozen", record["report_id"]) if figures is frozen else ("assembled", clock.today())
draw.status(view)
report_tab, compare_tab, export_tab = st.tabs(view.tabs)
with report_tab:
    draw.summary(view, shared_by((pid, quarter, *source), headline_table, figures),
                 file_name=f"{pid}_{quarter}_headline.csv", origin=origin_of)
    drawn = shared_by((pid, quarter, *source), draw_sections, {"sections": shown_sections(figures)})
    draw.sections(drawn, {} if view.form else narrative, file_stem=f"{pid}_{quarter}",
                  origin=origin_of)
    if view.form:
        draw.form(view, save, (record, figures, (proposed or {}).get("level")))
    elif view.offers_correction:
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
    prev_source = ("frozen", prev_record["report_id"]) if prev_figures is prev_frozen else ("assembled", clock.today())
    level = (proposed or {}).get("level")
    shown_compare, tidy_compare = shared_by((pid, quarter, *source, previous_q, *prev_source, level, words.assessment_label),
                                            compare_rows, figures, record, level, prev_record, prev_figures,
                                            words.assessment_label)
    blocks.table(shown_compare, key="compare", file_name=f"{pid}_{quarter}_compare.csv", download=tidy_compare,
                 origin=origin_of(COMPARE_SOURCE))
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
    draw.word_file(view, lambda: build_docx(doc_figures, doc_record), doc_name, record)
    if view.annual_to:
        def annual_bytes(year: str) -> bytes:  # on the click, in Streamlit's download thread: no page caches here
            return annual_docx(pid, year, quarters, reports, audience.to_dict(),
                               lambda q: assemble_from_db(meta, q, db=ctx.db), clock.now().replace(microsecond=0).isoformat())[1]

        draw.annual_file(view, annual_bytes, lambda in_year: annual_file_name(pid, in_year[0], in_year[-1]))
    versions = versions_table(reports, quarter)
    if versions is not None:
        st.subheader("Versions of this quarter's report")
        blocks.table(versions, key="versions", file_name=f"{pid}_{quarter}_versions.csv",
                     origin=origin_of(VERSIONS_SOURCE))
