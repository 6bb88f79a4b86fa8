"""Report sections on delivery: milestones (completed, slipped, next), risks and key dates, as at
the end of the report's quarter."""
from __future__ import annotations

import numpy as np
import pandas as pd

from monitor.calendar.rules import last_day_to_give_notice
from monitor.formatting import counted, format_date
from monitor.milestones.rules import (
    CLOSED_STATUSES,
    COMPLETE,
    DROPPED,
    changes_between,
    due_dates,
    is_overdue,
    newly_completed,
    slippage_days,
    slipped_since,
    summary_line,
)
from monitor.periods import next_quarter, previous_quarter, quarter_bounds, shift_quarter
from monitor.report.sections import _empty, _section, _table, live_count
from monitor.risks.rules import (
    MOVEMENT_CLOSED,
    MOVEMENT_DOWN,
    MOVEMENT_NEW,
    MOVEMENT_SAME,
    MOVEMENT_UP,
    movement,
    score_band,
)
from monitor.values import day, day_column, text

KEY_DATE_HORIZON_MONTHS = 6


TOP_RISKS = 5


def milestone_state(milestones: pd.DataFrame, snapshots: pd.DataFrame, on) -> tuple[pd.DataFrame, str]:
    """The milestones as reported at the latest reporting date on or before ``on``: status and
    forecast from the snapshot, titles and baseline dates from the milestone. Returns the frame and
    where it came from ("reported 30 Sep 2023"; "current data" when there is no snapshot yet, then
    only milestones completed by ``on`` count as complete)."""
    cutoff = day(on)
    base = milestones.copy() if not _empty(milestones) else pd.DataFrame(columns=["milestone_id"])
    snaps = snapshots if not _empty(snapshots) else pd.DataFrame(columns=["milestone_id", "reporting_date"])
    dates = day_column(snaps, "reporting_date")
    eligible = snaps.loc[(dates <= cutoff).to_numpy()]
    if not eligible.empty:
        when = day_column(eligible, "reporting_date").max()
        snap = eligible.loc[(day_column(eligible, "reporting_date") == when).to_numpy(),
                            ["milestone_id", "status", "forecast_due_date"]]
        merged = base.drop(columns=[c for c in ("status", "forecast_due_date") if c in base.columns]).merge(
            snap, on="milestone_id", how="inner")
        completed = day_column(merged, "completed_date")
        merged["completed_date"] = completed.where(merged["status"].astype(str).eq("complete") & (completed <= cutoff))
        return merged.reset_index(drop=True), f"reported {format_date(when)}"
    if base.empty:
        return base, "no milestones"
    # No snapshot yet: what the milestone table says, without anything completed after the date.
    work = base.copy()
    completed = day_column(work, "completed_date")
    done_later = work["status"].astype(str).eq("complete") & ~(completed <= cutoff)
    work.loc[done_later.to_numpy(), "status"] = "on track"
    work["completed_date"] = completed.where(~done_later)
    return work.reset_index(drop=True), "current data (no snapshot reported by then)"


def _titles(milestones: pd.DataFrame) -> dict[str, str]:
    if _empty(milestones):
        return {}
    return dict(zip(milestones["milestone_id"].astype(str), milestones["milestone_title"].astype(str)))


def milestones_section(milestones: pd.DataFrame, snapshots: pd.DataFrame, quarter: str) -> dict:
    """Completed this quarter, slipped this quarter (with days), overdue at the reporting date and
    due next quarter, from the snapshots at this and the previous quarter end."""
    q_start, q_end = quarter_bounds(quarter)
    prev_end = quarter_bounds(previous_quarter(quarter))[1]
    next_end = quarter_bounds(next_quarter(quarter))[1]
    sources = [] if _empty(milestones) else list(milestones["source"])
    if _empty(milestones):
        return _section("milestones", "No milestones recorded for this programme.",
                        {"milestones_total": 0, "milestones_dropped": 0, "milestones_complete": 0,
                         "milestones_completed_this_quarter": 0, "milestones_slipped": 0, "milestones_overdue": 0,
                         "milestones_due_next_quarter": 0, "milestones_due_by_reporting_date": 0})
    now, where = milestone_state(milestones, snapshots, q_end)
    before, _ = milestone_state(milestones, snapshots, prev_end)
    has_previous = not _empty(snapshots) and (day_column(snapshots, "reporting_date") <= day(prev_end)).any()
    titles = _titles(milestones)
    owner = dict(zip(milestones["milestone_id"].astype(str), milestones["owner"].astype(str)))
    workstream = dict(zip(milestones["milestone_id"].astype(str), milestones["workstream_name"].astype(str)))
    completed_on = dict(zip(now["milestone_id"].astype(str), now["completed_date"]))

    if has_previous:  # completed and slipped from one snapshot diff
        changes = changes_between(before, now)
        done, slipped = changes["newly_completed"], changes["slipped"]
    else:
        done, slipped = newly_completed(None, now), slipped_since(None, None)
    now_idx = now.set_index(now["milestone_id"].astype(str))
    behind = slippage_days(now).set_axis(now_idx.index)
    overdue_mask = is_overdue(now, q_end).to_numpy()
    overdue = now.loc[overdue_mask]
    due = due_dates(now)
    status = now["status"].astype(str)
    open_ = ~status.isin(CLOSED_STATUSES)
    due_next = now.loc[(open_ & (due > day(q_end)) & (due <= day(next_end))).to_numpy()]
    due_by = int(((due <= day(q_end)) & ~status.eq(DROPPED)).sum())

    facts = {
        "milestones_total": int(len(now)),
        "milestones_dropped": int(status.eq(DROPPED).sum()),
        "milestones_complete": int(status.eq(COMPLETE).sum()),
        "milestones_completed_this_quarter": int(len(done)),
        "milestones_slipped": int(len(slipped)),
        "milestones_overdue": int(overdue_mask.sum()),
        "milestones_due_next_quarter": int(len(due_next)),
        "milestones_due_by_reporting_date": due_by,
    }
    line = summary_line(now, q_end, prev_end if has_previous else None, len(slipped))
    summary = (f"{line}; {facts['milestones_completed_this_quarter']} completed this quarter; "
               f"{facts['milestones_due_next_quarter']} due next quarter (as {where}).")

    tables = [
        _table("Completed this quarter", ["Milestone", "Workstream", "Owner", "Completed"],
               [[titles.get(m, m), workstream.get(m, ""), owner.get(m, ""), format_date(completed_on.get(m))]
                for m in done["milestone_id"]]),
        _table("Slipped this quarter", ["Milestone", "Owner", "Forecast before", "Forecast now", "Days moved",
                                         "Days behind baseline"],
               [[titles.get(m, m), owner.get(m, ""), format_date(b), format_date(a), int(d),
                 "" if pd.isna(behind.get(m)) else int(behind.get(m))]
                for m, b, a, d in zip(slipped["milestone_id"], slipped["forecast_before"],
                                      slipped["forecast_after"], slipped["days_moved"])]),
        _table("Overdue at the reporting date", ["Milestone", "Owner", "Due", "Status", "Days overdue"],
               [[titles.get(m, m), owner.get(m, ""), format_date(d), s, int((day(q_end) - day(d)).days)]
                for m, d, s in zip(overdue["milestone_id"].astype(str), due_dates(overdue),
                                   overdue["status"].astype(str))]),
        _table("Due next quarter", ["Milestone", "Owner", "Due", "Status"],
               [[titles.get(m, m), owner.get(m, ""), format_date(d), s]
                for m, d, s in zip(due_next["milestone_id"].astype(str), due_dates(due_next),
                                   due_next["status"].astype(str))]),
    ]
    order = ["complete", "on track", "at risk", "off track", "not started", "dropped"]
    counts = status.value_counts()
    chart = {"kind": "bar", "title": f"Milestones by reported status at {format_date(q_end)}",
             "summary": f"{facts['milestones_complete']} of {live_count(facts)} milestones complete at "
                        f"{format_date(q_end)}; {facts['milestones_overdue']} overdue.",
             "x_title": "Reported status", "y_title": "Milestones",
             "columns": ["Status", "Milestones"],
             "rows": [[s, int(counts.get(s, 0))] for s in order if counts.get(s, 0) or s in ("complete", "on track")]}
    return _section("milestones", summary, facts, tables, [chart], sources)


def risk_state(risks: pd.DataFrame, snapshots: pd.DataFrame, on) -> pd.DataFrame:
    """The register at the latest reporting date on or before ``on`` (from the snapshots); with no
    snapshot by then, the risks raised by that date with their current scores, closed if closed
    by then."""
    cutoff = day(on)
    cols = ["risk_id", "likelihood", "impact", "status"]
    if not _empty(snapshots):
        dates = day_column(snapshots, "reporting_date")
        eligible = snapshots.loc[(dates <= cutoff).to_numpy()]
        if not eligible.empty:
            when = day_column(eligible, "reporting_date").max()
            return eligible.loc[(day_column(eligible, "reporting_date") == when).to_numpy(), cols].reset_index(drop=True)
    if _empty(risks):
        return pd.DataFrame(columns=cols)
    raised = day_column(risks, "raised_date")
    closed = day_column(risks, "closed_date")
    work = risks.loc[(raised <= cutoff).to_numpy(), cols].copy()
    closed_by = (closed.loc[work.index] <= cutoff).to_numpy()
    work["status"] = np.where(closed_by, "closed", "open")
    return work.reset_index(drop=True)


def risks_section(risks: pd.DataFrame, snapshots: pd.DataFrame, quarter: str) -> dict:
    """The top open risks at the quarter end with their movement since the previous quarter, and
    every risk that was raised, closed, or moved up or down in the quarter."""
    _, q_end = quarter_bounds(quarter)
    prev_end = quarter_bounds(previous_quarter(quarter))[1]
    if _empty(risks):
        return _section("risks", "No risks recorded for this programme.",
                        {"risks_open": 0, "risks_high": 0, "risks_very_high": 0, "risks_up": 0,
                         "risks_down": 0, "risks_new": 0, "risks_closed": 0})
    now = risk_state(risks, snapshots, q_end)
    before = risk_state(risks, snapshots, prev_end)
    moves = movement(before, now)
    was_open = set(before.loc[before["status"].astype(str).eq("open"), "risk_id"].astype(str))
    # "closed" for a risk already closed a quarter ago is not news.
    moves = moves.loc[~(moves["movement"].eq(MOVEMENT_CLOSED) & ~moves["risk_id"].isin(was_open))]
    info = risks.set_index(risks["risk_id"].astype(str))
    open_now = now.loc[now["status"].astype(str).eq("open")].copy()
    open_now["score"] = (open_now["likelihood"].astype(int) * open_now["impact"].astype(int)).astype(int)
    open_now = open_now.sort_values(["score", "risk_id"], ascending=[False, True])
    move_of = dict(zip(moves["risk_id"], moves["movement"]))

    def describe(rid):
        return text(info["description"].get(rid, rid)) if rid in info.index else rid

    def owner(rid):
        return text(info["owner"].get(rid, "")) if rid in info.index else ""

    top = [[describe(r.risk_id), owner(r.risk_id), int(r.likelihood), int(r.impact),
            f"{r.score} ({score_band(r.score)})", move_of.get(r.risk_id, MOVEMENT_SAME)]
           for r in open_now.head(TOP_RISKS).itertuples()]
    changes = [[describe(m.risk_id), m.movement, "" if pd.isna(m.score_before) else int(m.score_before),
                "" if pd.isna(m.score_after) else int(m.score_after)]
               for m in moves.itertuples() if m.movement != MOVEMENT_SAME]
    counts = moves["movement"].value_counts()
    facts = {"risks_open": int(len(open_now)), "risks_high": int((open_now["score"] >= 10).sum()),
             "risks_very_high": int((open_now["score"] >= 16).sum()),
             "risks_up": int(counts.get(MOVEMENT_UP, 0)), "risks_down": int(counts.get(MOVEMENT_DOWN, 0)),
             "risks_new": int(counts.get(MOVEMENT_NEW, 0)), "risks_closed": int(counts.get(MOVEMENT_CLOSED, 0))}
    summary = (f"{counted(facts['risks_open'], 'open risk')} at {format_date(q_end)}, {facts['risks_high']} scoring 10 or "
               f"more and {facts['risks_very_high']} scoring 16 or more; this quarter {facts['risks_new']} new, "
               f"{facts['risks_closed']} closed, {facts['risks_up']} up (worse), {facts['risks_down']} down (better).")
    tables = [_table(f"Top open risks at {format_date(q_end)}",
                     ["Risk", "Owner", "Likelihood", "Impact", "Score (band)", "Movement"], top),
              _table("Changes to risks this quarter", ["Risk", "Movement", "Score before", "Score now"], changes)]
    return _section("risks", summary, facts, tables, [], list(risks["source"]))


def key_dates_section(key_dates: pd.DataFrame, quarter: str, months: int = KEY_DATE_HORIZON_MONTHS) -> dict:
    """Key dates in the six months after the quarter end, with the last day to give notice for a
    clause that has a notice period."""
    _, q_end = quarter_bounds(quarter)
    horizon = pd.Timestamp(quarter_bounds(shift_quarter(quarter, max(1, months // 3)))[1])
    if _empty(key_dates):
        return _section("key_dates", "No key dates recorded for this programme.", {"key_dates_ahead": 0,
                                                                                 "next_dfe_report_due": None})
    kd = key_dates.assign(due_at=day_column(key_dates, "due_date"))
    ahead = kd.loc[(kd["due_at"] > day(q_end)) & (kd["due_at"] <= horizon)].sort_values("due_at")
    rows = []
    for r in ahead.itertuples():
        notice = ""
        if not pd.isna(r.notice_period_months):
            notice = f"give notice by {format_date(last_day_to_give_notice(r.due_at, int(r.notice_period_months)))}"
        rows.append([format_date(r.due_at), r.kind, r.title, notice])
    dfe = ahead.loc[ahead["kind"].astype(str).eq("DfE report due")]
    next_dfe = format_date(dfe["due_at"].iloc[0]) if not dfe.empty else None
    facts = {"key_dates_ahead": len(rows), "next_dfe_report_due": next_dfe}
    summary = (f"{counted(len(rows), 'key date')} in the {months} months to {format_date(horizon)}"
               + (f"; next report to DfE due {next_dfe}." if next_dfe else "; no DfE report due in that time."))
    return _section("key_dates", summary, facts,
                    [_table(f"Key dates to {format_date(horizon)}", ["Date", "Kind", "What", "Notice"], rows)],
                    [], list(ahead["source"]))
