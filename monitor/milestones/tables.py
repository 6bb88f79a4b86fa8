"""The Action plan page's tables and sentences: filters, the lists (slipped, newly completed,
status changes, overdue), the milestone register with reported status beside the derived RAG, the
tables behind each chart, and the plain messages for the edge cases. Pure: no Streamlit."""
from __future__ import annotations

import pandas as pd

from monitor.formatting import counted, format_date
from monitor.milestones.charts import burn_up_figure
from monitor.milestones.reported import (
    TREND_HELD,
    TREND_NO_FORECAST,
    TREND_SLIPPED_BEFORE,
    TREND_SLIPPED_NOW,
    rag_comparison,
)
from monitor.milestones.rules import (
    CLOSED_STATUSES,
    DROPPED,
    RAG_COMPLETE,
    RAG_DROPPED,
    RAG_RULES,
    burn_up,
    derived_rag,
    due_dates,
    is_overdue,
    slippage_days,
)
from monitor.text import plain
from monitor.values import day_column, text_list

STATUSES = ["not started", "on track", "at risk", "off track", "complete", "dropped"]
ALL_OWNERS = "all"


# Above this many milestones the timeline shows the open ones due soonest (a chart 34 px a row
# tall with a thousand rows cannot be read); the filters narrow it down.
TIMELINE_LIMIT = 60


# Above this many milestones the trend chart shows those that slipped, the latest slips first.
TREND_LIMIT = 80
TREND_ORDER = [TREND_SLIPPED_NOW, TREND_SLIPPED_BEFORE, TREND_HELD, TREND_NO_FORECAST]


def day_text(values: pd.Series, missing: str = "") -> list[str]:
    """Dates as "3 Feb 2020", all at once (``format_date`` one by one is slow for 40,000)."""
    stamps = pd.to_datetime(pd.Series(values)).reset_index(drop=True)
    names = {d: format_date(d) for d in stamps.dropna().unique()}  # a few hundred distinct dates at most
    return [missing if pd.isna(d) else names[d] for d in stamps.to_numpy()]


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
        "Milestone": text_list(slipped["milestone_title"]),
        "Days slipped": slipped["days_moved"].astype("Int64"),
        f"Forecast at {label}": day_column(slipped, "forecast_before"),
        "Forecast now reported": day_column(slipped, "forecast_after"),
        "Status now reported": text_list(slipped["status_after"]),
        "Work stream": text_list(slipped["workstream_name"]),
        "Owner": text_list(slipped["owner"]),
        "ID": text_list(slipped["milestone_id"]),
    })


def completed_table(changes: dict, plan: pd.DataFrame) -> pd.DataFrame:
    """Milestones reported complete now and not at the previous reporting date."""
    done = _described(changes["newly_completed"], plan)
    completed = plan.set_index("milestone_id")["completed_date"] if "completed_date" in plan.columns else pd.Series(dtype="datetime64[us]")
    return pd.DataFrame({
        "Milestone": text_list(done["milestone_title"]),
        "Completed on": pd.to_datetime(done["milestone_id"].map(completed)).astype("datetime64[us]"),
        "Status before": text_list(done["status_before"]),
        "Work stream": text_list(done["workstream_name"]),
        "Owner": text_list(done["owner"]),
        "ID": text_list(done["milestone_id"]),
    })


def status_change_table(changes: dict, plan: pd.DataFrame) -> pd.DataFrame:
    """Milestones whose reported status changed, as "on track → at risk"."""
    changes = _described(changes["status_changes"], plan)
    return pd.DataFrame({
        "Milestone": text_list(changes["milestone_title"]),
        "Status change": text_list(changes["status_change"]),
        "Work stream": text_list(changes["workstream_name"]),
        "Owner": text_list(changes["owner"]),
        "ID": text_list(changes["milestone_id"]),
    })


def added_table(changes: dict, plan: pd.DataFrame) -> pd.DataFrame:
    """Milestones reported for the first time at this reporting date."""
    added = _described(changes["added"], plan)
    return pd.DataFrame({
        "Milestone": text_list(added["milestone_title"]),
        "Work stream": text_list(added["workstream_name"]),
        "Status reported": text_list(added["status_after"]),
        "Forecast reported": day_column(added, "forecast_after"),
        "ID": text_list(added["milestone_id"]),
    })


def overdue_table(plan: pd.DataFrame, as_at) -> pd.DataFrame:
    """Milestones overdue at ``as_at`` (due strictly before it, neither complete nor dropped), the
    longest overdue first. "Due" is the forecast date, or the baseline where there is no forecast."""
    if plan is None or plan.empty:
        plan = pd.DataFrame(columns=["milestone_id", "milestone_title", "workstream_name", "owner",
                                     "baseline_due_date", "forecast_due_date", "status"])
    late = plan.loc[is_overdue(plan, as_at).to_numpy()]
    due = due_dates(late)
    table = pd.DataFrame({
        "Milestone": text_list(late["milestone_title"]),
        "Days overdue": pd.array([(pd.Timestamp(as_at).normalize() - d).days for d in due], dtype="Int64"),
        "Due": due.astype("datetime64[us]").to_numpy(),
        "Due date from": ["baseline (no forecast)" if pd.isna(f) else "forecast" for f in day_column(late, "forecast_due_date")],
        "Baseline": day_column(late, "baseline_due_date").to_numpy(),
        "Reported status": text_list(late["status"]),
        "Work stream": text_list(late["workstream_name"]),
        "Owner": text_list(late["owner"]),
        "ID": text_list(late["milestone_id"]),
    })
    return table.sort_values(["Days overdue", "ID"], ascending=[False, True], kind="stable").reset_index(drop=True)


def register_table(plan: pd.DataFrame, reporting_date) -> pd.DataFrame:
    """Every milestone as reported, with the reported status beside the derived RAG."""
    rag = rag_comparison(plan, reporting_date)
    return pd.DataFrame({
        "Milestone": text_list(rag["milestone_title"]),
        "Reported status": text_list(rag["status_shown"] if "status_shown" in rag.columns else rag["status"]),
        "Derived RAG (from dates)": rag["derived_rag"].tolist(),
        "Agree?": ["yes" if a else "NO — check" for a in rag["rag_agrees"]],
        "Reported status reads as": rag["reported_rag"].tolist(),
        "Baseline": day_column(rag, "baseline_due_date"),
        "Forecast": day_column(rag, "forecast_due_date"),
        "Slippage (days)": slippage_days(rag).to_numpy(),
        "Completed": day_column(rag, "completed_date"),
        "Last reported": day_column(rag, "reported_on"),
        "Work stream": text_list(rag["workstream_name"]),
        "Owner": text_list(rag["owner"]),
        "Evidence": text_list(rag["evidence"]) if "evidence" in rag.columns else "",
        "Source": text_list(rag["source"]) if "source" in rag.columns else "",
        "ID": text_list(rag["milestone_id"]),
    })


def rag_counts(plan: pd.DataFrame, reporting_date) -> list[tuple[str, int]]:
    """(derived RAG word, count) in ``RAG_RULES`` order, leaving out zeros."""
    counts = derived_rag(plan, reporting_date).value_counts()
    return [(word, int(counts[word])) for word, _rule in RAG_RULES if counts.get(word, 0)]


def disagreements(plan: pd.DataFrame, reporting_date) -> int:
    return int((~rag_comparison(plan, reporting_date)["rag_agrees"]).sum()) if len(plan) else 0


def timeline_rows(plan: pd.DataFrame, limit: int = TIMELINE_LIMIT) -> tuple[pd.DataFrame, str]:
    """The milestones the timeline can show legibly, and a note when some are left out: beyond
    ``limit``, the open milestones due soonest."""
    if plan is None or len(plan) <= limit:
        return plan, ""
    open_ = plan.loc[~plan["status"].isin(CLOSED_STATUSES).to_numpy()]
    shown = open_.assign(_due=due_dates(open_)).sort_values(["_due", "milestone_id"]).head(limit).drop(columns="_due")
    note = (f"The timeline shows {len(shown)} of the {len(plan)} milestones — the open ones due soonest. "
            "Choose a work stream, status or owner above to see others; every milestone is in the table "
            "under *All milestones*.")
    return shown, note


def timeline_summary(plan: pd.DataFrame, reporting_date) -> str:
    counts = rag_counts(plan, reporting_date)
    streams = plan["workstream_name"].nunique() if "workstream_name" in plan.columns else 0
    parts = ", ".join(f"{n} {word.split(' — ')[0].lower() if word in (RAG_COMPLETE, RAG_DROPPED) else word}"
                      for word, n in counts)
    return (f"Baseline (hollow circle) against forecast (diamond) for {counted(len(plan), 'milestone')} in "
            f"{counted(streams, 'work stream')} as reported at {format_date(reporting_date)}: {parts}.")


def timeline_table(plan: pd.DataFrame, reporting_date) -> pd.DataFrame:
    rag = derived_rag(plan, reporting_date)
    return pd.DataFrame({
        "Work stream": text_list(plan["workstream_name"]),
        "Milestone": text_list(plan["milestone_title"]),
        "Baseline": [format_date(d) for d in day_column(plan, "baseline_due_date")],
        "Forecast": [format_date(d) or "none" for d in day_column(plan, "forecast_due_date")],
        "Completed": [format_date(d) for d in day_column(plan, "completed_date")],
        "Slippage (days)": slippage_days(plan).to_numpy(),
        "Derived RAG": rag.tolist(),
        "Reported status": text_list(plan["status"]),
        "Owner": text_list(plan["owner"]),
        "ID": text_list(plan["milestone_id"]),
        # The chart's hover names it; here it is a link to the passage (ui.sources).
        "Source": text_list(plan["source"]) if "source" in plan.columns else "",
    })


def burn_up_summary(plan: pd.DataFrame, reporting_date) -> str:
    burn = burn_up(plan)
    cutoff = pd.Timestamp(reporting_date).normalize()
    upto = burn.loc[burn["date"] <= cutoff]
    planned = int(upto["planned_cumulative"].iloc[-1]) if len(upto) else 0
    done = int(upto["completed_cumulative"].iloc[-1]) if len(upto) else 0
    live = int((~plan["status"].eq(DROPPED)).sum())
    gap = planned - done
    verdict = ("ahead of" if gap < 0 else "in line with" if gap == 0 else "behind") + " the baseline plan"
    return (f"By {format_date(cutoff)}, {done} of {counted(live, 'milestone')} complete against {planned} "
            f"planned by their baseline dates — {verdict}" + (f" by {abs(gap)}" if gap else "") + ".")


def burn_up_as_at(plan: pd.DataFrame, reporting_date) -> pd.DataFrame:
    """``milestones.burn_up`` with a point on the reporting date and no completed count after it
    (completions after the report are not known at the report; the plan line runs on)."""
    burn = burn_up(plan)
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
    return burn_up_figure(burn.assign(completed_cumulative=burn["completed_cumulative"].astype("float64")),
                          reporting_date), burn


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
    per["finished"] = per["last_status"].isin(CLOSED_STATUSES)
    per["slip"] = (pd.to_datetime(per["last"]) - pd.to_datetime(per["first"])).dt.days.fillna(0)
    chosen = per.sort_values(["rank", "finished", "slip"], ascending=[True, True, False], kind="stable").head(limit).index
    shown = points.loc[points["milestone_id"].isin(chosen)].reset_index(drop=True)
    note = (f"The trend chart shows {limit} of the {points['milestone_id'].nunique()} milestones: those that slipped "
            "most recently and by most first. Choose a work stream, status or owner above to see others.")
    return shown, note


def trend_table(points: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Milestone": text_list(points["milestone_title"]),
        "Reporting date": day_text(points["reporting_date"]),
        "Forecast date as reported": day_text(points["forecast_due_date"], "none"),
        "Status reported": text_list(points["status"]),
        "Trend": text_list(points["trend_group"]),
        "ID": text_list(points["milestone_id"]),
    })


def snapshot_points(snapshots: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """Snapshots of the milestones in ``plan`` (after the filters), with their titles."""
    if snapshots is None or snapshots.empty or plan is None or plan.empty:
        return snapshots.iloc[:0] if snapshots is not None else pd.DataFrame()
    titles = plan[["milestone_id", "milestone_title"]].drop_duplicates("milestone_id")
    return snapshots.merge(titles, on="milestone_id", how="inner")


def edge_notes(plan: pd.DataFrame, unreported: pd.DataFrame, reporting_date) -> list[str]:
    """Sentences about what is unusual in this view: milestones not reported on the reporting date
    (their last report stands in), milestones with no forecast, dropped ones, ones added since."""
    notes = []
    label = format_date(reporting_date)
    if "carried_forward" in plan.columns:
        carried = plan.loc[plan["carried_forward"].astype(bool)]
        if len(carried):
            items = listing(f"{plain(t)} (last reported {format_date(d)})"
                            for t, d in zip(carried["milestone_title"], carried["reported_on"]))
            notes.append(f"**Missing report:** {counted(len(carried), 'milestone was', 'milestones were')} not "
                         f"reported at {label}, so the last reported position is used: {items}.")
    no_forecast = plan.loc[day_column(plan, "forecast_due_date").isna().to_numpy() & ~plan["status"].isin(CLOSED_STATUSES).to_numpy()]
    if len(no_forecast):
        notes.append(f"**No forecast:** {counted(len(no_forecast), 'open milestone has', 'open milestones have')} no "
                     f"forecast date, so the baseline date counts for overdue and no slippage is shown: "
                     + listing(map(plain, text_list(no_forecast["milestone_title"]))) + ".")
    dropped = plan.loc[plan["status"].eq(DROPPED).to_numpy()]
    if len(dropped):
        notes.append(f"**Dropped:** {counted(len(dropped), 'milestone has', 'milestones have')} been dropped from "
                     f"the plan; {'it is' if len(dropped) == 1 else 'they are'} listed but never counted as overdue "
                     "or in the totals: "
                     + listing(map(plain, text_list(dropped["milestone_title"]))) + ".")
    if unreported is not None and len(unreported):
        notes.append(f"**Not yet reported:** {counted(len(unreported), 'milestone in the plan has', 'milestones in the plan have')} "
                     f"no report on or before {label} and {'is' if len(unreported) == 1 else 'are'} left out of these figures: "
                     + listing(map(plain, text_list(unreported["milestone_title"]))) + ".")
    return notes
