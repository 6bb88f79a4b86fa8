"""Report sections on delivery: milestones (completed, slipped, next), risks and key dates, as at
the end of the report's quarter."""
from __future__ import annotations

import pandas as pd

from monitor.calendar.rules import last_day_to_give_notice
from monitor.formatting import counted, format_date, is_illustrative
from monitor.milestones.rules import (
    CLOSED_STATUSES,
    changes_between,
    due_dates,
    is_overdue,
    newly_completed,
    slippage_days,
    slipped_since,
)
from monitor.periods import next_quarter, previous_quarter, quarter_bounds, shift_quarter
from monitor.report.sections import _empty, _section, _table
from monitor.risks.rules import (
    MOVEMENT_CLOSED,
    MOVEMENT_DOWN,
    MOVEMENT_NEW,
    MOVEMENT_SAME,
    MOVEMENT_UP,
    movement,
    score_band,
)
from monitor.milestones.facts import MilestoneFacts, state_as_at
from monitor.report.sections import ReportDate
from monitor.risks.facts import RiskFacts
from monitor.risks.facts import state_as_at as risk_state_as_at
from monitor.values import day, day_column, text

KEY_DATE_HORIZON_MONTHS = 6
TOP_RISKS = 5


def _titles(milestones: pd.DataFrame) -> dict[str, str]:
    if _empty(milestones):
        return {}
    return dict(zip(milestones["milestone_id"].astype(str), milestones["milestone_title"].astype(str)))


def milestones_section(milestones: pd.DataFrame, snapshots: pd.DataFrame, quarter: str, when: ReportDate,
                       facts_now: MilestoneFacts) -> dict:
    """Completed this quarter, slipped this quarter (with days), overdue at the reporting date and
    due next quarter; the plan as at the report's date (monitor.milestones.facts: the same counts as
    the Overview card and the Action plan) and as reported at the previous quarter end."""
    q_start, q_end = quarter_bounds(quarter)
    prev_end = quarter_bounds(previous_quarter(quarter))[1]
    next_end = quarter_bounds(next_quarter(quarter))[1]
    sources = [] if _empty(milestones) else list(milestones["source"])
    pid = when.programme_id
    milestones = milestones.assign(programme_id=pid) if not _empty(milestones) else milestones
    if _empty(milestones):
        return _section("milestones", "No milestones recorded for this programme.",
                        {"milestones_total": 0, "milestones_dropped": 0, "milestones_complete": 0,
                         "milestones_in_plan": 0, "milestones_completed_this_quarter": 0, "milestones_slipped": 0,
                         "milestones_overdue": 0, "milestones_due_soon": 0, "milestones_due_next_quarter": 0,
                         "milestones_due_by_reporting_date": 0})
    now, basis = state_as_at(milestones, snapshots, {pid: when.as_at}, when.today)
    where = basis[pid]
    before, _ = state_as_at(milestones, snapshots, {pid: min(prev_end, when.as_at)}, when.today)
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
    # Overdue as the facts count it: nothing once the programme has closed.
    overdue_mask = (is_overdue(now, when.as_at) & (when.closed_on is None or when.as_at < when.closed_on)).to_numpy()
    overdue = now.loc[overdue_mask]
    due = due_dates(now)
    status = now["status"].astype(str)
    open_ = ~status.isin(CLOSED_STATUSES)
    due_next = now.loc[(open_ & (due > day(q_end)) & (due <= day(next_end))).to_numpy()]
    f = facts_now
    facts = {
        "milestones_total": f.in_plan + f.dropped,
        "milestones_in_plan": f.in_plan,
        "milestones_dropped": f.dropped,
        "milestones_complete": f.complete,
        "milestones_completed_this_quarter": int(len(done)),
        "milestones_slipped": int(len(slipped)),
        "milestones_overdue": f.overdue,
        "milestones_due_soon": f.due_soon,
        "milestones_due_next_quarter": int(len(due_next)),
        "milestones_due_by_reporting_date": f.due_by_as_at,
    }
    slipped_words = (f"{len(slipped)} slipped since {format_date(prev_end)}" if has_previous
                     else "no earlier report to compare")
    summary = (f"{f.sentence()}; {slipped_words}; {facts['milestones_completed_this_quarter']} completed this quarter; "
               f"{facts['milestones_due_next_quarter']} due next quarter (the plan {where}, as at {format_date(when.as_at)}).")

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
               [[titles.get(m, m), owner.get(m, ""), format_date(d), s, int((day(when.as_at) - day(d)).days)]
                for m, d, s in zip(overdue["milestone_id"].astype(str), due_dates(overdue),
                                   overdue["status"].astype(str))]),
        _table("Due next quarter", ["Milestone", "Owner", "Due", "Status"],
               [[titles.get(m, m), owner.get(m, ""), format_date(d), s]
                for m, d, s in zip(due_next["milestone_id"].astype(str), due_dates(due_next),
                                   due_next["status"].astype(str))]),
    ]
    order = ["complete", "on track", "at risk", "off track", "not started", "dropped"]
    counts = status.value_counts()
    chart = {"kind": "bar", "title": f"Milestones by reported status at {format_date(when.as_at)}",
             "summary": f"{f.complete_of} milestones complete at {format_date(when.as_at)}; "
                        + ("nothing counts as overdue once the programme has closed." if f.closed_on
                           else f"{f.overdue} overdue."),
             "x_title": "Reported status", "y_title": "Milestones",
             "columns": ["Status", "Milestones"],
             "rows": [[s, int(counts.get(s, 0))] for s in order if counts.get(s, 0) or s in ("complete", "on track")]}
    return _section("milestones", summary, facts, tables, [chart], sources,
                    what=f"the programme's milestone register in Improvement Monitor (the plan {where})")


def risks_section(risks: pd.DataFrame, snapshots: pd.DataFrame, quarter: str, when: ReportDate,
                  register: RiskFacts) -> dict:
    """The top open risks at the report's date with their movement since the previous quarter, and
    every risk that was raised, closed, or moved up or down in the quarter. The counts are the
    register's facts as at the report's date (monitor.risks.facts), as on the Overview and Risks page."""
    prev_end = quarter_bounds(previous_quarter(quarter))[1]
    if _empty(risks):
        return _section("risks", "No risks recorded for this programme.",
                        {"risks_open": 0, "risks_high": 0, "risks_very_high": 0, "risks_up": 0,
                         "risks_down": 0, "risks_new": 0, "risks_closed": 0})
    pid = when.programme_id
    risks = risks.assign(programme_id=pid)
    now, _ = risk_state_as_at(risks, snapshots, {pid: when.as_at}, when.today)
    before, _ = risk_state_as_at(risks, snapshots, {pid: min(prev_end, when.as_at)}, when.today)
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
    facts = {"risks_open": register.open, "risks_high": register.high, "risks_very_high": register.very_high,
             "risks_up": int(counts.get(MOVEMENT_UP, 0)), "risks_down": int(counts.get(MOVEMENT_DOWN, 0)),
             "risks_new": int(counts.get(MOVEMENT_NEW, 0)), "risks_closed": int(counts.get(MOVEMENT_CLOSED, 0))}
    summary = (f"{register.sentence()} at {format_date(when.as_at)}; this quarter {facts['risks_new']} new, "
               f"{facts['risks_closed']} closed, {facts['risks_up']} up (worse), {facts['risks_down']} down (better).")
    tables = [_table(f"Top open risks at {format_date(when.as_at)}",
                     ["Risk", "Owner", "Likelihood", "Impact", "Score (band)", "Movement"], top),
              _table("Changes to risks this quarter", ["Risk", "Movement", "Score before", "Score now"], changes)]
    return _section("risks", summary, facts, tables, [], list(risks["source"]),
                    what=f"the programme's risk register in Improvement Monitor, as at {format_date(when.as_at)}")


def key_dates_section(key_dates: pd.DataFrame, quarter: str, months: int = KEY_DATE_HORIZON_MONTHS,
                      meeting_kind: str = "DfE report due", audience: str = "DfE") -> dict:
    """Key dates in the six months after the quarter end, with the last day to give notice for a
    clause that has a notice period; the first date of `meeting_kind` among them is when the report
    is due (to DfE) or presented (to `audience`, the board)."""
    _, q_end = quarter_bounds(quarter)
    horizon = pd.Timestamp(quarter_bounds(shift_quarter(quarter, max(1, months // 3)))[1])
    dfe = meeting_kind == "DfE report due"
    fact = "next_dfe_report_due" if dfe else "next_board_meeting"
    if _empty(key_dates):
        return _section("key_dates", "No key dates recorded for this programme.",
                        {"key_dates_ahead": 0, fact: None, "meeting_date": None, "meeting_illustrative": False})
    kd = key_dates.assign(due_at=day_column(key_dates, "due_date"))
    ahead = kd.loc[(kd["due_at"] > day(q_end)) & (kd["due_at"] <= horizon)].sort_values("due_at")
    rows = []
    for r in ahead.itertuples():
        notice = ""
        if not pd.isna(r.notice_period_months):
            notice = f"give notice by {format_date(last_day_to_give_notice(r.due_at, int(r.notice_period_months)))}"
        rows.append([format_date(r.due_at), r.kind, r.title, notice])
    meetings = ahead.loc[ahead["kind"].astype(str).eq(meeting_kind)]
    meeting = meetings.iloc[0] if not meetings.empty else None
    shown = format_date(meeting["due_at"]) if meeting is not None else None
    facts = {"key_dates_ahead": len(rows), fact: shown,
             "meeting_date": meeting["due_at"].date().isoformat() if meeting is not None else None,
             "meeting_illustrative": bool(meeting is not None and is_illustrative(meeting.get("source")))}
    if dfe:
        tail = f"; next report to DfE due {shown}." if shown else "; no DfE report due in that time."
    else:
        tail = f"; next meeting of {audience}: {shown}." if shown else f"; no meeting of {audience} in that time."
    summary = f"{counted(len(rows), 'key date')} in the {months} months to {format_date(horizon)}{tail}"
    return _section("key_dates", summary, facts,
                    [_table(f"Key dates to {format_date(horizon)}", ["Date", "Kind", "What", "Notice"], rows)],
                    [], list(ahead["source"]))
