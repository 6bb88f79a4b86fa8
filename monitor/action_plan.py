"""The Action plan page's tables and sentences: filters, the lists (slipped, newly completed,
status changes, overdue), the milestone register with reported status beside the derived RAG, the
tables behind each chart, and the plain messages for the edge cases. Pure: no Streamlit.

Tables keep dates as datetime64 (the page shows them as "3 Feb 2020" through a date column, and the
CSV gets ISO dates); the tables behind charts hold the dates as the chart's hover shows them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from monitor import milestones as ms
from monitor.formatting import counted, format_date

STATUSES = ["not started", "on track", "at risk", "off track", "complete", "dropped"]
ALL_OWNERS = "all"
# Above this many milestones the timeline shows the open ones due soonest (a chart 34 px a row
# tall with a thousand rows cannot be read); the filters narrow it down.
TIMELINE_LIMIT = 60
# Above this many milestones the trend chart shows those that slipped, the latest slips first.
TREND_LIMIT = 80
TREND_ORDER = [ms.TREND_SLIPPED_NOW, ms.TREND_SLIPPED_BEFORE, ms.TREND_HELD, ms.TREND_NO_FORECAST]


def _date(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
    return pd.to_datetime(frame[column]).astype("datetime64[us]")


def day_text(values: pd.Series, missing: str = "") -> list[str]:
    """Dates as "3 Feb 2020", all at once (``format_date`` one by one is slow for 40,000)."""
    stamps = pd.to_datetime(pd.Series(values)).reset_index(drop=True)
    names = {d: format_date(d) for d in stamps.dropna().unique()}  # a few hundred distinct dates at most
    return [missing if pd.isna(d) else names[d] for d in stamps.to_numpy()]


def _text(values: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else str(v) for v in values]


def listing(names, most: int = 5) -> str:
    """'A; B; C' — at most ``most`` names, then 'and 8 more'."""
    names = [str(n) for n in names]
    shown = "; ".join(names[:most])
    return shown + (f"; and {len(names) - most} more" if len(names) > most else "")


def filter_milestones(frame: pd.DataFrame, workstream_ids: list[str], statuses: list[str], owner: str | None) -> pd.DataFrame:
    """Rows matching the filters (an empty list or ``ALL_OWNERS`` means no filter on that field)."""
    if frame is None or frame.empty:
        return frame
    keep = pd.Series(True, index=frame.index)
    if workstream_ids:
        keep &= frame["workstream_id"].isin(workstream_ids)
    if statuses:
        keep &= frame["status"].astype(object).isin(statuses)
    if owner and owner != ALL_OWNERS:
        keep &= frame["owner"].eq(owner)
    return frame.loc[keep.to_numpy()].reset_index(drop=True)


def owners(frame: pd.DataFrame) -> list[str]:
    return sorted({str(o) for o in frame["owner"].dropna()}) if frame is not None and "owner" in frame.columns else []


def _described(diff: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """A diff with the milestone's title, work stream and owner."""
    about = plan[["milestone_id", "milestone_title", "workstream_name", "owner"]].drop_duplicates("milestone_id")
    return diff.merge(about, on="milestone_id", how="left")


def slipped_table(changes: dict, plan: pd.DataFrame, since) -> pd.DataFrame:
    """Milestones whose forecast moved later since the previous reporting date, biggest slip first
    (``changes`` from ``milestones.changes_between``)."""
    slipped = _described(changes["slipped"], plan)
    label = format_date(since)
    return pd.DataFrame({
        "Milestone": _text(slipped["milestone_title"]),
        "Days slipped": slipped["days_moved"].astype("Int64"),
        f"Forecast at {label}": _date(slipped, "forecast_before"),
        "Forecast now reported": _date(slipped, "forecast_after"),
        "Status now reported": _text(slipped["status_after"]),
        "Work stream": _text(slipped["workstream_name"]),
        "Owner": _text(slipped["owner"]),
        "ID": _text(slipped["milestone_id"]),
    })


def completed_table(changes: dict, plan: pd.DataFrame) -> pd.DataFrame:
    """Milestones reported complete now and not at the previous reporting date."""
    done = _described(changes["newly_completed"], plan)
    completed = plan.set_index("milestone_id")["completed_date"] if "completed_date" in plan.columns else pd.Series(dtype="datetime64[us]")
    return pd.DataFrame({
        "Milestone": _text(done["milestone_title"]),
        "Completed on": pd.to_datetime(done["milestone_id"].map(completed)).astype("datetime64[us]"),
        "Status before": _text(done["status_before"]),
        "Work stream": _text(done["workstream_name"]),
        "Owner": _text(done["owner"]),
        "ID": _text(done["milestone_id"]),
    })


def status_change_table(changes: dict, plan: pd.DataFrame) -> pd.DataFrame:
    """Milestones whose reported status changed, as "on track → at risk"."""
    changes = _described(changes["status_changes"], plan)
    return pd.DataFrame({
        "Milestone": _text(changes["milestone_title"]),
        "Status change": _text(changes["status_change"]),
        "Work stream": _text(changes["workstream_name"]),
        "Owner": _text(changes["owner"]),
        "ID": _text(changes["milestone_id"]),
    })


def added_table(changes: dict, plan: pd.DataFrame) -> pd.DataFrame:
    """Milestones reported for the first time at this reporting date."""
    added = _described(changes["added"], plan)
    return pd.DataFrame({
        "Milestone": _text(added["milestone_title"]),
        "Work stream": _text(added["workstream_name"]),
        "Status reported": _text(added["status_after"]),
        "Forecast reported": _date(added, "forecast_after"),
        "ID": _text(added["milestone_id"]),
    })


def overdue_table(plan: pd.DataFrame, as_at) -> pd.DataFrame:
    """Milestones overdue at ``as_at`` (due strictly before it, neither complete nor dropped), the
    longest overdue first. "Due" is the forecast date, or the baseline where there is no forecast."""
    if plan is None or plan.empty:
        plan = pd.DataFrame(columns=["milestone_id", "milestone_title", "workstream_name", "owner",
                                     "baseline_due_date", "forecast_due_date", "status"])
    late = plan.loc[ms.is_overdue(plan, as_at).to_numpy()]
    due = ms.due_dates(late)
    table = pd.DataFrame({
        "Milestone": _text(late["milestone_title"]),
        "Days overdue": pd.array([(pd.Timestamp(as_at).normalize() - d).days for d in due], dtype="Int64"),
        "Due": due.astype("datetime64[us]").to_numpy(),
        "Due date from": ["baseline (no forecast)" if pd.isna(f) else "forecast" for f in _date(late, "forecast_due_date")],
        "Baseline": _date(late, "baseline_due_date").to_numpy(),
        "Reported status": _text(late["status"]),
        "Work stream": _text(late["workstream_name"]),
        "Owner": _text(late["owner"]),
        "ID": _text(late["milestone_id"]),
    })
    return table.sort_values(["Days overdue", "ID"], ascending=[False, True], kind="stable").reset_index(drop=True)


def register_table(plan: pd.DataFrame, reporting_date) -> pd.DataFrame:
    """Every milestone as reported, with the reported status beside the derived RAG."""
    rag = ms.rag_comparison(plan, reporting_date)
    return pd.DataFrame({
        "Milestone": _text(rag["milestone_title"]),
        "Reported status": _text(rag["status"]),
        "Derived RAG (from dates)": rag["derived_rag"].tolist(),
        "Agree?": ["yes" if a else "NO — check" for a in rag["rag_agrees"]],
        "Reported status reads as": rag["reported_rag"].tolist(),
        "Baseline": _date(rag, "baseline_due_date"),
        "Forecast": _date(rag, "forecast_due_date"),
        "Slippage (days)": ms.slippage_days(rag).to_numpy(),
        "Completed": _date(rag, "completed_date"),
        "Last reported": _date(rag, "reported_on"),
        "Work stream": _text(rag["workstream_name"]),
        "Owner": _text(rag["owner"]),
        "Evidence": _text(rag["evidence"]) if "evidence" in rag.columns else "",
        "Source": _text(rag["source"]) if "source" in rag.columns else "",
        "ID": _text(rag["milestone_id"]),
    })


def rag_counts(plan: pd.DataFrame, reporting_date) -> list[tuple[str, int]]:
    """(derived RAG word, count) in ``RAG_RULES`` order, leaving out zeros."""
    counts = ms.derived_rag(plan, reporting_date).value_counts()
    return [(word, int(counts[word])) for word, _rule in ms.RAG_RULES if counts.get(word, 0)]


def disagreements(plan: pd.DataFrame, reporting_date) -> int:
    return int((~ms.rag_comparison(plan, reporting_date)["rag_agrees"]).sum()) if len(plan) else 0


# --------------------------------------------------------------------------------------------
# The charts' sentences and tables


def timeline_rows(plan: pd.DataFrame, limit: int = TIMELINE_LIMIT) -> tuple[pd.DataFrame, str]:
    """The milestones the timeline can show legibly, and a note when some are left out: beyond
    ``limit``, the open milestones due soonest."""
    if plan is None or len(plan) <= limit:
        return plan, ""
    open_ = plan.loc[~plan["status"].isin(ms.CLOSED_STATUSES).to_numpy()]
    shown = open_.assign(_due=ms.due_dates(open_)).sort_values(["_due", "milestone_id"]).head(limit).drop(columns="_due")
    note = (f"The timeline shows {len(shown)} of the {len(plan)} milestones — the open ones due soonest. "
            "Choose a work stream, status or owner above to see others; every milestone is in the table "
            "under *All milestones*.")
    return shown, note


def timeline_summary(plan: pd.DataFrame, reporting_date) -> str:
    counts = rag_counts(plan, reporting_date)
    streams = plan["workstream_name"].nunique() if "workstream_name" in plan.columns else 0
    parts = ", ".join(f"{n} {word.split(' — ')[0].lower() if word in (ms.RAG_COMPLETE, ms.RAG_DROPPED) else word}"
                      for word, n in counts)
    return (f"Baseline (hollow circle) against forecast (diamond) for {counted(len(plan), 'milestone')} in "
            f"{counted(streams, 'work stream')} as reported at {format_date(reporting_date)}: {parts}.")


def timeline_table(plan: pd.DataFrame, reporting_date) -> pd.DataFrame:
    rag = ms.derived_rag(plan, reporting_date)
    return pd.DataFrame({
        "Work stream": _text(plan["workstream_name"]),
        "Milestone": _text(plan["milestone_title"]),
        "Baseline": [format_date(d) for d in _date(plan, "baseline_due_date")],
        "Forecast": [format_date(d) or "none" for d in _date(plan, "forecast_due_date")],
        "Completed": [format_date(d) for d in _date(plan, "completed_date")],
        "Slippage (days)": ms.slippage_days(plan).to_numpy(),
        "Derived RAG": rag.tolist(),
        "Reported status": _text(plan["status"]),
        "Owner": _text(plan["owner"]),
        "ID": _text(plan["milestone_id"]),
    })


def burn_up_summary(plan: pd.DataFrame, reporting_date) -> str:
    burn = ms.burn_up(plan)
    cutoff = pd.Timestamp(reporting_date).normalize()
    upto = burn.loc[burn["date"] <= cutoff]
    planned = int(upto["planned_cumulative"].iloc[-1]) if len(upto) else 0
    done = int(upto["completed_cumulative"].iloc[-1]) if len(upto) else 0
    live = int((~plan["status"].eq(ms.DROPPED)).sum())
    gap = planned - done
    verdict = ("ahead of" if gap < 0 else "in line with" if gap == 0 else "behind") + " the baseline plan"
    return (f"By {format_date(cutoff)}, {done} of {counted(live, 'milestone')} complete against {planned} "
            f"planned by their baseline dates — {verdict}" + (f" by {abs(gap)}" if gap else "") + ".")


def burn_up_as_at(plan: pd.DataFrame, reporting_date) -> pd.DataFrame:
    """``milestones.burn_up`` with a point on the reporting date and no completed count after it
    (completions after the report are not known at the report; the plan line runs on)."""
    burn = ms.burn_up(plan)
    if burn.empty:
        return burn
    cutoff = pd.Timestamp(reporting_date).normalize()
    if not burn["date"].eq(cutoff).any():
        upto = burn.loc[burn["date"] <= cutoff]
        row = {"date": cutoff,
               "planned_cumulative": int(upto["planned_cumulative"].iloc[-1]) if len(upto) else 0,
               "completed_cumulative": int(upto["completed_cumulative"].iloc[-1]) if len(upto) else 0}
        burn = pd.concat([burn, pd.DataFrame([row]).astype(burn.dtypes.to_dict())], ignore_index=True)
        burn = burn.sort_values("date", kind="stable").reset_index(drop=True)
    burn["completed_cumulative"] = burn["completed_cumulative"].astype("Int64").where(burn["date"] <= cutoff)
    return burn


def burn_up_chart(plan: pd.DataFrame, reporting_date):
    """The burn-up figure as at the reporting date, with the reporting date marked."""
    burn = burn_up_as_at(plan, reporting_date)
    fig = ms.burn_up_figure(burn.assign(completed_cumulative=burn["completed_cumulative"].astype("float64")))
    ms.mark_date(fig, reporting_date, "Reporting date")
    return fig, burn


def burn_up_table(burn: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Date": day_text(burn["date"]),
        "Planned (cumulative, by baseline date)": burn["planned_cumulative"].to_numpy(),
        "Completed (cumulative)": burn["completed_cumulative"].astype("Int64").to_numpy(),
    })


def trend_focus(points: pd.DataFrame, limit: int = TREND_LIMIT) -> tuple[pd.DataFrame, str]:
    """The milestones the trend chart can show legibly, and a note when some are left out: beyond
    ``limit``, those that slipped since the previous report, then at an earlier report (the
    biggest slips first), then the rest — open milestones before finished ones."""
    if points is None or points.empty or points["milestone_id"].nunique() <= limit:
        return points, ""
    per = points.groupby("milestone_id", sort=False).agg(
        group=("trend_group", "first"), last_status=("status", "last"),
        first=("forecast_due_date", "first"), last=("forecast_due_date", "last"))
    per["rank"] = per["group"].map({g: i for i, g in enumerate(TREND_ORDER)})
    per["finished"] = per["last_status"].isin(ms.CLOSED_STATUSES)
    per["slip"] = (pd.to_datetime(per["last"]) - pd.to_datetime(per["first"])).dt.days.fillna(0)
    chosen = per.sort_values(["rank", "finished", "slip"], ascending=[True, True, False], kind="stable").head(limit).index
    shown = points.loc[points["milestone_id"].isin(chosen)].reset_index(drop=True)
    note = (f"The trend chart shows {limit} of the {points['milestone_id'].nunique()} milestones: those that slipped "
            "most recently and by most first. Choose a work stream, status or owner above to see others.")
    return shown, note


def trend_table(points: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Milestone": _text(points["milestone_title"]),
        "Reporting date": day_text(points["reporting_date"]),
        "Forecast date as reported": day_text(points["forecast_due_date"], "none"),
        "Status reported": _text(points["status"]),
        "Trend": _text(points["trend_group"]),
        "ID": _text(points["milestone_id"]),
    })


def snapshot_points(snapshots: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """Snapshots of the milestones in ``plan`` (after the filters), with their titles."""
    if snapshots is None or snapshots.empty or plan is None or plan.empty:
        return snapshots.iloc[:0] if snapshots is not None else pd.DataFrame()
    titles = plan[["milestone_id", "milestone_title"]].drop_duplicates("milestone_id")
    return snapshots.merge(titles, on="milestone_id", how="inner")


# --------------------------------------------------------------------------------------------
# Plain messages for the cases users will hit


def edge_notes(plan: pd.DataFrame, unreported: pd.DataFrame, reporting_date) -> list[str]:
    """Sentences about what is unusual in this view: milestones not reported on the reporting date
    (their last report stands in), milestones with no forecast, dropped ones, ones added since."""
    notes = []
    label = format_date(reporting_date)
    if "carried_forward" in plan.columns:
        carried = plan.loc[plan["carried_forward"].astype(bool)]
        if len(carried):
            items = listing(f"{t} (last reported {format_date(d)})"
                            for t, d in zip(carried["milestone_title"], carried["reported_on"]))
            notes.append(f"**Missing report:** {counted(len(carried), 'milestone was', 'milestones were')} not "
                         f"reported at {label}, so the last reported position is used: {items}.")
    no_forecast = plan.loc[_date(plan, "forecast_due_date").isna().to_numpy() & ~plan["status"].isin(ms.CLOSED_STATUSES).to_numpy()]
    if len(no_forecast):
        notes.append(f"**No forecast:** {counted(len(no_forecast), 'open milestone has', 'open milestones have')} no "
                     f"forecast date, so the baseline date counts for overdue and no slippage is shown: "
                     + listing(_text(no_forecast["milestone_title"])) + ".")
    dropped = plan.loc[plan["status"].eq(ms.DROPPED).to_numpy()]
    if len(dropped):
        notes.append(f"**Dropped:** {counted(len(dropped), 'milestone has', 'milestones have')} been dropped from "
                     f"the plan; {'it is' if len(dropped) == 1 else 'they are'} listed but never counted as overdue "
                     "or in the totals: "
                     + listing(_text(dropped["milestone_title"])) + ".")
    if unreported is not None and len(unreported):
        notes.append(f"**Not yet reported:** {counted(len(unreported), 'milestone in the plan has', 'milestones in the plan have')} "
                     f"no report on or before {label} and {'is' if len(unreported) == 1 else 'are'} left out of these figures: "
                     + listing(_text(unreported["milestone_title"])) + ".")
    return notes


# --------------------------------------------------------------------------------------------
# The whole page, computed once


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
    dates = ms.reporting_dates(snapshots)
    has_reports = bool(dates) and reporting is not None
    reporting = pd.Timestamp(reporting if has_reports else today).normalize()
    previous = ms.previous_reporting_date(dates, reporting) if has_reports else None
    if has_reports:
        plan_all = ms.as_reported(plan_now, snapshots, reporting)
        unreported = ms.not_yet_reported(plan_now, snapshots, reporting)
    else:
        plan_all = plan_now.assign(reported_on=pd.NaT, carried_forward=False)
        unreported = plan_now.iloc[:0]
    plan = filter_milestones(plan_all, list(workstream_ids), list(statuses), owner)
    view = View(reporting=reporting, previous=previous, has_reports=has_reports, matches=len(plan))
    if plan.empty:
        return view

    shown = snapshots[snapshots["milestone_id"].isin(plan["milestone_id"])] if has_reports else snapshots.iloc[:0]
    changes = ms.changes_between(ms.reported_by(shown, previous), ms.reported_by(shown, reporting))
    view.slipped = slipped_table(changes, plan, previous)
    view.completed = completed_table(changes, plan)
    view.status_changes = status_change_table(changes, plan)
    view.added = added_table(changes, plan) if previous is not None else view.completed.iloc[:0]
    view.summary = ms.summary_line(plan, reporting, previous, len(view.slipped))
    if not closed and pd.Timestamp(today) > reporting:
        current = filter_milestones(plan_now, list(workstream_ids), list(statuses), owner)
        view.overdue_today = int(ms.is_overdue(current, today).sum())
        view.overdue_now = overdue_table(current, today)
    view.sources = list(plan["source"]) + list(shown["source"])
    view.notes = edge_notes(plan, filter_milestones(unreported, list(workstream_ids), [], owner), reporting)
    view.overdue = overdue_table(plan, reporting)

    rows, note = timeline_rows(plan)
    view.timeline = (ms.timeline_figure(rows, reporting, None if closed else today), timeline_summary(rows, reporting),
                     timeline_table(rows, reporting), note)
    burn_fig, burn = burn_up_chart(plan, reporting)
    view.burn_up = (burn_fig, burn_up_summary(plan, reporting), burn_up_table(burn))
    points, note = trend_focus(ms.trend_points(snapshot_points(shown, plan), reporting, previous))
    view.trend = (ms.trend_overview_figure(points, reporting), ms.trend_summary(points, previous), trend_table(points), note)
    view.register = register_table(plan, reporting)
    view.disagreements = int(view.register["Agree?"].ne("yes").sum())
    counts = view.register["Derived RAG (from dates)"].value_counts()
    view.rag_counts = [(word, int(counts[word])) for word, _rule in ms.RAG_RULES if counts.get(word, 0)]
    return view
