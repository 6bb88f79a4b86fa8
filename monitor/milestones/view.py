"""Everything the Action plan page draws for one programme and one set of filters, computed at once
by `build_view` so the page can keep it per data version and a rerun only draws."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from monitor.milestones.charts import timeline_figure, trend_overview_figure
from monitor.milestones.facts import council_changes
from monitor.milestones.reported import (
    as_reported,
    not_yet_reported,
    previous_reporting_date,
    reported_by,
    reporting_dates,
    trend_points,
    trend_summary,
)
from monitor.milestones.rules import RAG_RULES, changes_between, is_overdue, summary_line
from monitor.milestones.tables import (
    added_table,
    burn_up_chart,
    burn_up_summary,
    burn_up_table,
    completed_table,
    edge_notes,
    filter_milestones,
    overdue_table,
    register_table,
    slipped_table,
    snapshot_points,
    status_change_table,
    timeline_rows,
    timeline_summary,
    timeline_table,
    trend_focus,
    trend_table,
)


@dataclass
class View:
    """Everything the Action plan page draws for one programme, reporting date and set of filters:
    computed once by ``build_view`` (and cached by the page), drawn as it stands."""

    reporting: pd.Timestamp
    previous: pd.Timestamp | None
    has_reports: bool
    matches: int
    summary: str = ""
    overdue_today: int | None = None
    rag_counts: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    slipped: pd.DataFrame | None = None
    completed: pd.DataFrame | None = None
    status_changes: pd.DataFrame | None = None
    added: pd.DataFrame | None = None
    overdue: pd.DataFrame | None = None
    overdue_now: pd.DataFrame | None = None
    timeline: tuple | None = None  # (figure, summary, table, note)
    burn_up: tuple | None = None    # (figure, summary, table)
    trend: tuple | None = None      # (figure, summary, table, note)
    register: pd.DataFrame | None = None
    disagreements: int = 0


def build_view(plan_now: pd.DataFrame, snapshots: pd.DataFrame, reporting, workstream_ids, statuses, owner,
               today, closed: bool) -> View:
    """The page for ``reporting`` (a reporting date, or None when the programme has no reports: then
    the plan as it stands ``today``) with the filters applied. ``closed`` programmes get no
    "today" figures: nothing is overdue after closure."""
    dates = reporting_dates(snapshots)
    has_reports = bool(dates) and reporting is not None
    reporting = pd.Timestamp(reporting if has_reports else today).normalize()
    previous = previous_reporting_date(dates, reporting) if has_reports else None
    if has_reports:
        plan_all = as_reported(plan_now, snapshots, reporting)
        unreported = not_yet_reported(plan_now, snapshots, reporting)
    else:
        plan_all = plan_now.assign(reported_on=pd.NaT, carried_forward=False)
        unreported = plan_now.iloc[:0]
    # A milestone of a council abolished by then is shown as passed to its successor or closed, never
    # as live (monitor.milestones.facts: the rule the headline counts follow).
    plan = council_changes(filter_milestones(plan_all, list(workstream_ids), list(statuses), owner), reporting)
    view = View(reporting=reporting, previous=previous, has_reports=has_reports, matches=len(plan))
    if plan.empty:
        return view

    shown = snapshots[snapshots["milestone_id"].isin(plan["milestone_id"])] if has_reports else snapshots.iloc[:0]
    changes = changes_between(reported_by(shown, previous), reported_by(shown, reporting))
    view.slipped = slipped_table(changes, plan, previous)
    view.completed = completed_table(changes, plan)
    view.status_changes = status_change_table(changes, plan)
    view.added = added_table(changes, plan) if previous is not None else view.completed.iloc[:0]
    view.summary = summary_line(plan, reporting, previous, len(view.slipped))
    if not closed and pd.Timestamp(today) > reporting:
        current = council_changes(filter_milestones(plan_now, list(workstream_ids), list(statuses), owner), today)
        view.overdue_today = int(is_overdue(current, today).sum())
        view.overdue_now = overdue_table(current, today)
    view.sources = list(plan["source"]) + list(shown["source"])
    view.notes = edge_notes(plan, filter_milestones(unreported, list(workstream_ids), [], owner), reporting)
    view.overdue = overdue_table(plan, reporting)

    rows, note = timeline_rows(plan)
    view.timeline = (timeline_figure(rows, reporting, None if closed else today), timeline_summary(rows, reporting),
                     timeline_table(rows, reporting), note)
    burn_fig, burn = burn_up_chart(plan, reporting)
    view.burn_up = (burn_fig, burn_up_summary(plan, reporting), burn_up_table(burn))
    points, note = trend_focus(trend_points(snapshot_points(shown, plan), reporting, previous))
    view.trend = (trend_overview_figure(points, reporting), trend_summary(points, previous), trend_table(points), note)
    view.register = register_table(plan, reporting)
    view.disagreements = int(view.register["Agree?"].ne("yes").sum())
    counts = view.register["Derived RAG (from dates)"].value_counts()
    view.rag_counts = [(word, int(counts[word])) for word, _rule in RAG_RULES if counts.get(word, 0)]
    return view
