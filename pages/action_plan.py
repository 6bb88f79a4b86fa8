"""Action plan: are we on track, and what slipped since the last report? The plan as reported at a
reporting date (the latest by default), what changed since the report before, what is overdue, the
timeline, the burn-up and the milestone trend; filters in the URL."""
import datetime as dt

import pandas as pd
import streamlit as st

from monitor import clock
from monitor.formatting import counted, format_date
from monitor.milestones.facts import SOURCE
from monitor.milestones.reported import REPORTED_AS_RAG, reporting_dates
from monitor.milestones.rules import RAG_RULES
from monitor.milestones.tables import ALL_OWNERS, STATUSES, owners
from monitor.milestones.view import View, build_view
from monitor.text import plain
from monitor.tidy import Origin
from ui import blocks
from ui.data import query, read_ahead, shared
from ui.facts import facts_of, facts_reads
from ui.setup import page_setup
from ui.sources import REFERENCES

ctx = page_setup(__file__)
today = clock.today()


def view_of(programme_id: str, reporting: str | None, streams: tuple, statuses: tuple, owner: str, on: dt.date,
            closed: bool) -> View:
    """The computed page (sentences, tables, figures) for one view, shared read-only between reruns and
    sessions (nothing here changes a figure or frame once built), so a rerun only draws."""
    return build_view(query("milestones/all", programme_id=programme_id),
                      query("milestones/snapshots_by_programme", programme_id=programme_id),
                      reporting, streams, statuses, owner, on, closed)


programmes = ctx.visible_programmes(when_none="You are not registered for any programme yet, so there is no "
                                               "action plan to show. Ask an administrator to add you to a programme.")
programme_id = blocks.programme_picker(programmes)
# The headline facts' rows, the plan's work streams and history, and the sources' references, at once.
one = {"programme_id": programme_id}
read_ahead(facts_reads(programme_id, "milestones", "parties"),
           {"workstreams": ("milestones/workstreams_by_programme", one),
            "snapshots": ("milestones/snapshots_by_programme", one)}, REFERENCES)
programme = programmes.set_index("programme_id").loc[programme_id]
closed = programme["status"] == "closed"
headline = facts_of(programme_id, "milestones", "parties")
blocks.headline(headline, "milestones_complete", "milestones_overdue", "milestones_due_soon")
if headline.parties.any:
    m = headline.milestones
    moved = "; ".join(t for t in (m.council_text, f"{counted(m.passed_to_successor, 'milestone')} passed to a successor "
                                  "council in the programme" if m.passed_to_successor else "") if t)
    (st.warning if headline.parties.ended else st.info)(
        f"**Councils that end:** {plain(headline.parties.sentence())}"
        + (f" {plain(moved[:1].upper() + moved[1:])}." if moved else "")
        + " A milestone of an abolished council is shown as passed to its successor or closed, never as live.",
        icon=":material/domain_disabled:")
if closed:
    st.info(f"**This programme closed on {format_date(programme['end_date'])}.** The plan is shown as it was "
            "reported; milestones still open at closure were never delivered, and nothing counts as overdue "
            "after a programme has closed.", icon=":material/lock:")

plan_now = ctx.read("milestones/all", programme_id=programme_id)
if plan_now.empty:
    st.info("**No milestones are recorded for this programme yet**, so there is no plan to track. A programme "
            "officer can load the action plan from the milestone template on the Data page.",
            icon=":material/flag:")
    st.stop()
workstreams = ctx.read("milestones/workstreams_by_programme", programme_id=programme_id)
stream_names = dict(zip(workstreams["workstream_id"], workstreams["workstream_name"]))
dates = reporting_dates(ctx.read("milestones/snapshots_by_programme", programme_id=programme_id))

f_date, f_stream, f_status, f_owner = st.columns([2, 3, 3, 3])
with f_date:
    if dates:
        chosen = blocks.url_select("Reporting date", [d.date().isoformat() for d in dates], param="reporting_date",
                                   format_func=format_date)
    else:
        chosen = None
        st.markdown(f"**Reporting date:** none recorded — the plan as it stands today, {format_date(today)}")
with f_stream:
    chosen_streams = blocks.url_multiselect("Work stream", list(stream_names), param="workstream",
                                            format_func=lambda w: stream_names.get(w, w))
with f_status:
    chosen_statuses = blocks.url_multiselect("Status (as reported)", STATUSES, param="milestone_status")
with f_owner:
    owner = blocks.url_select("Owner", [ALL_OWNERS, *owners(plan_now)], param="owner",
                              format_func=lambda o: "All owners" if o == ALL_OWNERS else o)

view = shared(view_of, programme_id, chosen, tuple(chosen_streams), tuple(chosen_statuses), owner, today,
              bool(closed))
reporting, previous = view.reporting, view.previous
if not view.has_reports:
    st.info("**No quarterly reports are recorded for this programme yet.** The plan is shown as it stands today; "
            "what changed between reports and the milestone trend appear once reports are loaded.",
            icon=":material/event_busy:")
if not view.matches:
    st.warning("No milestone matches these filters at this reporting date. Clear the work stream, status or owner "
               "filter, or choose another reporting date.")
    st.stop()

st.markdown(f"**As reported at {format_date(reporting)}:** {plain(view.summary)}.")
if view.overdue_today is not None:
    st.markdown(f"**Today, {format_date(today)}, on the current plan:** {counted(view.overdue_today, 'milestone')} "
                "overdue (the figure on the Overview; see *Overdue* below).")
for column, (word, n) in zip(st.columns(len(view.rag_counts)), view.rag_counts):
    with column:
        colour, _, meaning = word.partition(" — ")
        blocks.status_tag(colour, f"{meaning}: {n}" if meaning else str(n))
blocks.illustrative_notice(view.sources, what="milestone records and quarterly reports")
for note in view.notes:
    st.markdown(note)


# The plan as reported at the reporting date: every download is as at that date (the overdue list of
# today, on the current plan, as at today).
origin = Origin(SOURCE, reporting.date())


def show(frame: pd.DataFrame, key: str, empty: str, as_at: dt.date | None = None) -> None:
    """A list with its CSV, dates read as "3 Feb 2020"; a plain sentence when it is empty."""
    if frame.empty:
        st.markdown(plain(empty))
        return
    dates_as_days = {c: st.column_config.DateColumn(c, format="D MMM YYYY") for c in frame.columns
                     if str(frame[c].dtype).startswith("datetime64")}
    blocks.table(frame, key=key, file_name=f"{programme_id}-{key}-{reporting.date().isoformat()}.csv",
                 column_config=dates_as_days, origin=Origin(SOURCE, as_at) if as_at else origin)


if previous is None:
    st.header("What changed")
    st.markdown(f"{format_date(reporting)} is the first report of this programme: there is no earlier report to "
                "compare with." if view.has_reports else "Nothing to compare until two reports are recorded.")
else:
    since = format_date(previous)
    st.header(f"What changed since {since}")
    st.subheader("Slipped")
    show(view.slipped, "slipped", f"No milestone's forecast moved later since {since}.")
    st.subheader("Newly completed")
    show(view.completed, "completed", f"No milestone was completed since {since}.")
    st.subheader("Status changes")
    show(view.status_changes, "status_changes", f"No reported status changed since {since}.")
    if len(view.added):
        st.subheader("Added to the plan")
        show(view.added, "added", "")

st.header("Overdue")
st.markdown("Overdue means due (the forecast date, or the baseline where there is no forecast) before the date, "
            "and neither complete nor dropped. A milestone due on the date itself is not yet overdue.")
st.subheader(f"At the reporting date, {format_date(reporting)}")
show(view.overdue, "overdue", f"No milestone was overdue at {format_date(reporting)}.")
if view.overdue_now is not None:
    st.subheader(f"Today, {format_date(today)}, on the current plan")
    show(view.overdue_now, "overdue_today", "No milestone is overdue today.", as_at=today)

stamp = reporting.date().isoformat()
st.header("Timeline")
fig, summary, table, note = view.timeline
if note:
    st.markdown(note)
blocks.chart(fig, summary, table, key="timeline", file_name=f"{programme_id}-timeline-{stamp}.csv", origin=origin)

st.header("Completion against plan")
fig, summary, table = view.burn_up
blocks.chart(fig, summary, table, key="burn_up", file_name=f"{programme_id}-burn-up-{stamp}.csv", origin=origin)

st.header("Milestone trend")
fig, summary, table, note = view.trend
st.markdown("Each line is one milestone's forecast date as reported at each reporting date: a flat line held its "
            "date, a rising line slipped. A line that meets the diagonal was due at that report. Stars mark "
            "reports of *complete*, crosses *dropped*; a line stops there." + (f" {note}" if note else ""))
blocks.chart(fig, summary, table, key="trend", file_name=f"{programme_id}-milestone-trend-{stamp}.csv",
             origin=origin)

st.header("All milestones")
st.markdown("The reported status beside a RAG derived from the dates alone — **Red** if overdue at the reporting "
            "date, **Amber** if the forecast is later than the baseline, **Green** otherwise (the rules in full below). "
            f"They disagree for {counted(view.disagreements, 'milestone')}"
            + (" (marked *NO — check*)." if view.disagreements else "."))
show(view.register, "milestones", "")
with st.expander("How the derived RAG is worked out", icon=":material/rule:"):
    st.markdown(f"Worked out at the reporting date ({format_date(reporting)}); the first rule that matches applies.")
    for word, rule in RAG_RULES:
        st.markdown(f"- **{word}:** {rule}")
    st.markdown("A reported status reads as: " + "; ".join(f"*{s}* → {r}" for s, r in REPORTED_AS_RAG.items()) + ".")
