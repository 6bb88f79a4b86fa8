"""Risks: the programme's risk register as a likelihood × impact heat map (click a cell, or pick it,
to list its risks), movement since a reporting date, and the register with overdue reviews first."""
import streamlit as st

from monitor import clock
from monitor.formatting import counted, format_date
from monitor.risks.facts import SOURCE
from monitor.risks.register import CLOSED_EARLIER, cell_risks, describe_cell, parse_cell, register_table
from monitor.risks.rules import (
    HIGH_SCORE,
    MOVEMENT_RULES,
    MOVEMENT_UP,
    POSITIONS,
    SCORE_BANDS,
    reporting_dates,
    score_band,
)
from monitor.risks.view import build_view
from monitor.text import plain
from ui import blocks
from ui.data import query, read_ahead, shared
from ui.facts import facts_of, facts_reads
from ui.setup import page_setup
from ui.sources import REFERENCES

HEAT_KEY = "risk_heat"
CELL_KEY = "risk_cell"
ALL_CELLS = "all"
COLUMNS = {"Description": st.column_config.TextColumn(width="large"),
           "Mitigation": st.column_config.TextColumn(width="medium")}
SCORE_LABELS = {"current": "Current (after mitigation so far)", "inherent": "Inherent (before mitigation)",
                "target": "Target (after planned mitigation)"}


def pick_clicked_cell() -> None:
    """A click on the heat map selects the invisible marker over a cell: make it the picked cell
    (clearing the selection, e.g. by double-click, goes back to all cells)."""
    event = st.session_state.get(f"{HEAT_KEY}_chart") or {}
    points = (event.get("selection") or {}).get("points") or []
    cells = []
    for point in points:
        try:
            cells.append(parse_cell(f"{int(float(point.get('x')))}-{int(float(point.get('y')))}"))
        except (TypeError, ValueError):
            continue
    cells = [c for c in cells if c is not None]
    st.session_state[CELL_KEY] = f"{cells[0][0]}-{cells[0][1]}" if cells else ALL_CELLS


def risk_view(programme_id: str, *filters):
    """The computed page for one programme and set of filters, built once per data version and
    shared read-only (monitor.risks_view.build_view)."""
    return build_view(query("risks/all", programme_id=programme_id),
                      query("risks/snapshots_by_programme", programme_id=programme_id), *filters)


ctx = page_setup(__file__)
today = clock.today()

programmes = ctx.visible_programmes(when_none="You are not registered for any programme, so there is no risk register to show you.")
programme_id = blocks.programme_picker(programmes)
# The register, its history, the headline facts' rows and the sources' references, asked for at once.
one = {"programme_id": programme_id}
read_ahead({"risks": ("risks/all", one), "snapshots": ("risks/snapshots_by_programme", one)},
           facts_reads(programme_id, "risks"), REFERENCES)
programme = programmes.set_index("programme_id").loc[programme_id]
risks = ctx.read("risks/all", programme_id=programme_id)
snapshots = ctx.read("risks/snapshots_by_programme", programme_id=programme_id)
if programme["status"] == "closed":
    st.markdown(f":material/lock: **This programme closed on {format_date(programme['end_date'])}.** Its "
                "register is kept as history: choose Status *closed* to map the risks as they were closed.")

left, middle, right = st.columns(3)
with left:
    categories = blocks.url_multiselect("Category", sorted(risks["category"].unique()), param="category",
                                        key="risks_category")
with middle:
    owners = blocks.url_multiselect("Owner", sorted(risks["owner"].unique()), param="owner", key="risks_owner")
with right:
    statuses = blocks.url_multiselect("Status", ["open", "closed"], param="risk_status", key="risks_status")
left, right = st.columns(2)
with left:
    which = blocks.url_select("Scores on the heat map", list(POSITIONS), param="scores", key="risks_scores",
                              format_func=SCORE_LABELS.get)
dates = [d.date().isoformat() for d in reporting_dates(snapshots, today)]
with right:
    since = blocks.url_select("Movement since reporting date", dates, param="since", key="risks_since",
                              format_func=format_date)
    if since is None:
        st.markdown("No reporting date recorded yet, so there is no movement to show.")

include_closed = "closed" in statuses
wanted = st.session_state.get(CELL_KEY, st.query_params.get("cell"))
view = shared(risk_view, programme_id, tuple(categories), tuple(owners), tuple(statuses), which, since, today,
              parse_cell(wanted))
shown, moved, overdue, counts, counts_moved = view.shown, view.moved, view.overdue, view.counts, view.movement_counts
if view.cells and parse_cell(wanted) is not None and wanted not in view.cells:  # a cell left empty by a filter
    view = shared(risk_view, programme_id, tuple(categories), tuple(owners), tuple(statuses), which, since, today, None)
blocks.illustrative_notice(risks["source"], what="risks")
headline = facts_of(programme_id, "risks")
blocks.headline(headline, "open_high_risks")
origin = headline.origin(SOURCE)

a, b, c, d = st.columns(4)
a.metric("Open risks", f"{view.open_count} of {len(shown)}")
b.metric(f"Open, scoring {HIGH_SCORE} or more", view.high_scoring)
c.metric("Reviews overdue", len(overdue))
d.metric(f"Worse since {format_date(since)}" if since else "Worse since last report",
         counts_moved[MOVEMENT_UP] if since else "–")
if len(overdue):
    st.warning(f"**{len(overdue)} review{'s' if len(overdue) != 1 else ''} overdue** (listed first in the register): "
               + plain("; ".join(f"{r.risk_id} {r.description} ({r.owner}, due {format_date(r.next_review_date)}, "
                                 f"{r.days_overdue} day{'s' if r.days_overdue != 1 else ''} late)"
                                 for r in overdue.itertuples())), icon=":material/event_busy:")
if since:
    st.markdown(f"**Movement since {format_date(since)}:** " + ", ".join(
        f"{n} {word}" for word, n in counts_moved.items()) + ".")

st.header("Heat map")
cells = [ALL_CELLS] + view.cells
blocks.selectable_chart(view.figure, view.summary + " Click a cell, or pick it below, to list its risks.",
                        view.heat_table, key=HEAT_KEY, file_name=f"risk-heat-map-{programme_id}.csv",
                        origin=origin, on_select=pick_clicked_cell)
picked = blocks.url_select("Heat-map cell", cells, param="cell", key=CELL_KEY, default=ALL_CELLS,
                           format_func=lambda k: "All cells" if k == ALL_CELLS else describe_cell(k, counts))
cell = parse_cell(picked)
if cell is not None:
    st.subheader(f"Risks at likelihood {cell[0]} × impact {cell[1]}: {which} score {cell[0] * cell[1]}, "
                 f"{score_band(cell[0] * cell[1])}")
    in_cell = cell_risks(view.mapped, cell[0], cell[1], include_closed)
    blocks.table(register_table(risks.loc[in_cell.index], moved, today), key="risk_cell_table",
                 file_name=f"risks-{programme_id}-cell-{picked}.csv", column_config=COLUMNS, origin=origin)

st.header("Risk register")
st.markdown(f"**{len(shown):,} of {counted(len(risks), 'risk')}** shown: reviews overdue first (longest overdue first), then "
            "the other open risks by current score, highest first, then the closed ones. Scores are likelihood × "
            "impact; movement compares the current score with the one reported"
            + (f" on {format_date(since)}." if since else "."))
blocks.table(view.register, key="risk_register", file_name=f"risk-register-{programme_id}.csv", column_config=COLUMNS,
             origin=origin)

with st.expander("How scores, bands and movement are worked out"):
    st.markdown("**Score** = likelihood (1–5) × impact (1–5). **Bands:** " + "; ".join(
        f"{band} {low}–{high}" for low, high, band in SCORE_BANDS) + ". Each heat-map cell gives its score "
        "and band in words as well as its colour.")
    for word, rule in MOVEMENT_RULES:
        st.markdown(f"- **{word}:** {rule}")
    st.markdown(f"- **{CLOSED_EARLIER}:** closed on or before the reporting date compared with, so not counted.")
    st.markdown("**Review:** a review is overdue when an open risk's next review date is before today "
                f"({format_date(today)}); one due today is not yet late.")
