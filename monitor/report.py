"""The quarterly DfE report: assembled from the data as plain, JSON-able figures; a delivery
confidence proposed on the Infrastructure and Projects Authority's five-level scale; comparison
with the previous quarter; the annual report that aggregates four quarters.

Everything here is a pure function over DataFrames (the column names of the ``report_*`` queries)
and returns plain dicts and lists, so that exactly what the page shows is what gets frozen into
``commissioner_report.figures_json`` at submission and what the Word export prints. A report's
figures look like::

    {"schema": 1, "kind": "quarterly", "programme_id", "programme_name", "quarter", "period_start",
     "reporting_date", "previous_quarter", "assembled_at", "illustrative": bool,
     "proposed_confidence": {"level", "points", "reasons": [...]},
     "sections": [{"key", "title", "summary", "facts": {name: number|text},
                   "tables": [{"title", "columns": [...], "rows": [[...], ...]}],
                   "charts": [{"kind": "bar"|"spc", "title", "summary", "x_title", "y_title",
                               "columns": [...], "rows": [[...], ...]}],
                   "illustrative": bool}]}

Table cells are the strings a reader sees ("3 Feb 2020", "£1,234"); facts keep raw numbers so two
quarters can be compared; chart rows keep raw numbers for the chart and its "view as table".
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from monitor import milestones as ms_rules
from monitor import risks as risk_rules
from monitor import spc
from monitor.calendar import last_day_to_give_notice
from monitor.formatting import counted, financial_year, format_date, format_money, format_pounds, is_illustrative

SCHEMA = 1

# --------------------------------------------------------------------------------------------
# The IPA delivery confidence scale

CONFIDENCE_LEVELS: tuple[str, ...] = ("Green", "Amber/Green", "Amber", "Amber/Red", "Red")

# The Infrastructure and Projects Authority's definitions (Annual Report on Major Projects).
CONFIDENCE_DEFINITIONS: dict[str, str] = {
    "Green": "Successful delivery of the project on time, budget and quality appears highly likely and there "
             "are no major outstanding issues that at this stage appear to threaten delivery significantly.",
    "Amber/Green": "Successful delivery appears probable. However, constant attention will be needed to ensure "
                   "risks do not materialise into major issues threatening delivery.",
    "Amber": "Successful delivery appears feasible but significant issues already exist, requiring management "
             "attention. These appear resolvable at this stage and, if addressed promptly, should not present "
             "a cost/schedule overrun.",
    "Amber/Red": "Successful delivery of the project is in doubt, with major risks or issues apparent in a number "
                 "of key areas. Urgent action is needed to address these problems and/or assess whether "
                 "resolution is feasible.",
    "Red": "Successful delivery of the project appears to be unachievable. There are major issues with project "
           "definition, schedule, budget, quality and/or benefits delivery, which at this stage do not appear "
           "to be manageable or resolvable. The project may need re-scoping and/or its overall viability "
           "reassessing.",
}

# Symbols so the level is never colour alone.
CONFIDENCE_SYMBOLS: dict[str, str] = {"Green": "●", "Amber/Green": "◕", "Amber": "◑", "Amber/Red": "◔", "Red": "○"}

OVERDUE_SHARE_HIGH = 0.25
SAVINGS_SHORTFALL = 0.90
SLIPPED_MANY = 3

# How the proposal is worked out: points per rule, then the total sets the level. The page and the
# Word export print these word for word.
CONFIDENCE_RULES: tuple[str, ...] = (
    f"Milestones overdue at the reporting date: more than {OVERDUE_SHARE_HIGH:.0%} of those due by then "
    "→ 2 points; any → 1 point.",
    f"Milestones slipped during the quarter: {SLIPPED_MANY} or more → 1 point.",
    "Indicators whose latest point is a special cause of concern (SPC): 2 or more → 2 points; 1 → 1 point.",
    "Open risks scoring 16 or more (likelihood × impact): 3 or more → 2 points; any → 1 point.",
    f"Savings delivered below {SAVINGS_SHORTFALL:.0%} of the plan for the years reported → 1 point.",
    "Total 0 → Green; 1 → Amber/Green; 2–3 → Amber; 4–5 → Amber/Red; 6 or more → Red.",
)

SECTION_TITLES: dict[str, str] = {
    "summary": "Summary and delivery confidence",
    "milestones": "Milestones",
    "indicators": "Indicators",
    "ofsted": "Ofsted and DfE activity",
    "savings": "Savings against plan",
    "risks": "Risks",
    "key_dates": "Key dates ahead",
}
NARRATIVE_SECTIONS: tuple[str, ...] = tuple(SECTION_TITLES)

KEY_DATE_HORIZON_MONTHS = 6
TOP_RISKS = 5

# --------------------------------------------------------------------------------------------
# Quarters


def quarter_bounds(label: str) -> tuple[dt.date, dt.date]:
    """'2023-Q3' → (1 Jul 2023, 30 Sep 2023): calendar quarters, as the DfE returns are made."""
    try:
        year_text, q_text = label.split("-Q")
        year, q = int(year_text), int(q_text)
    except (AttributeError, ValueError):
        raise ValueError(f"not a quarter label like '2023-Q3': {label!r}") from None
    if not 1 <= q <= 4:
        raise ValueError(f"not a quarter label like '2023-Q3': {label!r}")
    start = dt.date(year, 3 * q - 2, 1)
    end = (dt.date(year + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1))
    return start, end


def quarter_of(value) -> str:
    d = pd.Timestamp(value).date()
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def shift_quarter(label: str, n: int) -> str:
    start, _ = quarter_bounds(label)
    index = start.year * 4 + (start.month - 1) // 3 + n
    return f"{index // 4}-Q{index % 4 + 1}"


def previous_quarter(label: str) -> str:
    return shift_quarter(label, -1)


def next_quarter(label: str) -> str:
    return shift_quarter(label, 1)


def programme_quarters(start_date, end_date, today) -> list[str]:
    """Every quarter from the programme's start to its end (or to today's quarter while it
    runs), newest first."""
    first = quarter_of(start_date)
    last_day = today if end_date is None or pd.isna(end_date) else min(pd.Timestamp(end_date), pd.Timestamp(today))
    last = quarter_of(last_day)
    if quarter_bounds(last)[0] < quarter_bounds(first)[0]:
        last = first
    out = [first]
    while out[-1] != last:
        out.append(next_quarter(out[-1]))
    return out[::-1]


# --------------------------------------------------------------------------------------------
# Small helpers


def _ts(value) -> pd.Timestamp:
    if value is None:
        return pd.NaT
    stamp = pd.Timestamp(value)
    return stamp if pd.isna(stamp) else stamp.normalize()


def _col_dates(frame: pd.DataFrame, column: str) -> pd.Series:
    if frame is None or column not in frame.columns:
        return pd.Series(pd.NaT, index=None if frame is None else frame.index, dtype="datetime64[us]")
    return pd.to_datetime(frame[column]).dt.normalize()


def _num(value):
    """A JSON-able number (None for missing)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    value = float(value)
    return int(value) if value.is_integer() else round(value, 4)


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _table(title: str, columns: list[str], rows: list[list]) -> dict:
    return {"title": title, "columns": list(columns), "rows": [list(r) for r in rows]}


def _section(key: str, summary: str, facts: dict, tables: list[dict] | None = None,
             charts: list[dict] | None = None, sources: Sequence[str] = ()) -> dict:
    return {"key": key, "title": SECTION_TITLES[key], "summary": summary, "facts": facts,
            "tables": tables or [], "charts": charts or [],
            "illustrative": any(is_illustrative(s) for s in sources)}


def _empty(frame) -> bool:
    return frame is None or frame.empty


# --------------------------------------------------------------------------------------------
# Milestones


def milestone_state(milestones: pd.DataFrame, snapshots: pd.DataFrame, on) -> tuple[pd.DataFrame, str]:
    """The milestones as reported at the latest reporting date on or before ``on``: status and
    forecast from the snapshot, titles and baseline dates from the milestone. Returns the frame and
    where it came from ("reported 30 Sep 2023"; "current data" when there is no snapshot yet, then
    only milestones completed by ``on`` count as complete)."""
    cutoff = _ts(on)
    base = milestones.copy() if not _empty(milestones) else pd.DataFrame(columns=["milestone_id"])
    snaps = snapshots if not _empty(snapshots) else pd.DataFrame(columns=["milestone_id", "reporting_date"])
    dates = _col_dates(snaps, "reporting_date")
    eligible = snaps.loc[(dates <= cutoff).to_numpy()]
    if not eligible.empty:
        when = _col_dates(eligible, "reporting_date").max()
        snap = eligible.loc[(_col_dates(eligible, "reporting_date") == when).to_numpy(),
                            ["milestone_id", "status", "forecast_due_date"]]
        merged = base.drop(columns=[c for c in ("status", "forecast_due_date") if c in base.columns]).merge(
            snap, on="milestone_id", how="inner")
        completed = _col_dates(merged, "completed_date")
        merged["completed_date"] = completed.where(merged["status"].astype(str).eq("complete") & (completed <= cutoff))
        return merged.reset_index(drop=True), f"reported {format_date(when)}"
    if base.empty:
        return base, "no milestones"
    # No snapshot yet: what the milestone table says, without anything completed after the date.
    work = base.copy()
    completed = _col_dates(work, "completed_date")
    done_later = work["status"].astype(str).eq("complete") & ~(completed <= cutoff)
    work.loc[done_later.to_numpy(), "status"] = "on track"
    work["completed_date"] = completed.where(~done_later)
    return work.reset_index(drop=True), "current data (no snapshot reported by then)"


def _titles(milestones: pd.DataFrame) -> dict[str, str]:
    if _empty(milestones):
        return {}
    return dict(zip(milestones["milestone_id"].astype(str), milestones["milestone_title"].astype(str)))


def counts_only(chart: Mapping) -> bool:
    """True when every value of a bar chart is a whole number (milestones, risks): its axis should
    step in whole numbers, on screen and in the Word export alike."""
    return all(float(v).is_integer() for r in chart["rows"] for v in r[1:] if v is not None)


def live_count(facts: Mapping) -> int:
    """Milestones in the plan less the dropped ones: the "of N" of "15 of 19 milestones complete"
    (milestones.summary_line). Reports frozen before the dropped count was kept count them all."""
    return int(facts.get("milestones_total") or 0) - int(facts.get("milestones_dropped") or 0)


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
    has_previous = not _empty(snapshots) and (_col_dates(snapshots, "reporting_date") <= _ts(prev_end)).any()
    titles = _titles(milestones)
    owner = dict(zip(milestones["milestone_id"].astype(str), milestones["owner"].astype(str)))
    workstream = dict(zip(milestones["milestone_id"].astype(str), milestones["workstream_name"].astype(str)))
    completed_on = dict(zip(now["milestone_id"].astype(str), now["completed_date"]))

    if has_previous:  # completed and slipped from one snapshot diff
        changes = ms_rules.changes_between(before, now)
        done, slipped = changes["newly_completed"], changes["slipped"]
    else:
        done, slipped = ms_rules.newly_completed(None, now), ms_rules.slipped_since(None, None)
    now_idx = now.set_index(now["milestone_id"].astype(str))
    behind = ms_rules.slippage_days(now).set_axis(now_idx.index)
    overdue_mask = ms_rules.is_overdue(now, q_end).to_numpy()
    overdue = now.loc[overdue_mask]
    due = ms_rules.due_dates(now)
    status = now["status"].astype(str)
    open_ = ~status.isin(ms_rules.CLOSED_STATUSES)
    due_next = now.loc[(open_ & (due > _ts(q_end)) & (due <= _ts(next_end))).to_numpy()]
    due_by = int(((due <= _ts(q_end)) & ~status.eq(ms_rules.DROPPED)).sum())

    facts = {
        "milestones_total": int(len(now)),
        "milestones_dropped": int(status.eq(ms_rules.DROPPED).sum()),
        "milestones_complete": int(status.eq(ms_rules.COMPLETE).sum()),
        "milestones_completed_this_quarter": int(len(done)),
        "milestones_slipped": int(len(slipped)),
        "milestones_overdue": int(overdue_mask.sum()),
        "milestones_due_next_quarter": int(len(due_next)),
        "milestones_due_by_reporting_date": due_by,
    }
    line = ms_rules.summary_line(now, q_end, prev_end if has_previous else None, len(slipped))
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
               [[titles.get(m, m), owner.get(m, ""), format_date(d), s, int((_ts(q_end) - _ts(d)).days)]
                for m, d, s in zip(overdue["milestone_id"].astype(str), ms_rules.due_dates(overdue),
                                   overdue["status"].astype(str))]),
        _table("Due next quarter", ["Milestone", "Owner", "Due", "Status"],
               [[titles.get(m, m), owner.get(m, ""), format_date(d), s]
                for m, d, s in zip(due_next["milestone_id"].astype(str), ms_rules.due_dates(due_next),
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


# --------------------------------------------------------------------------------------------
# Indicators (SPC)


def _baseline_points(rows: pd.DataFrame) -> int | None:
    end = _ts(rows["baseline_end_date"].iloc[0]) if "baseline_end_date" in rows.columns else pd.NaT
    if pd.isna(end):
        return None
    ends = rows["_end"] if "_end" in rows.columns else _col_dates(rows, "period_end_date")
    n = int((ends <= end).sum())
    return n if n >= 2 else None


def indicators_section(values: pd.DataFrame, quarter: str) -> dict:
    """Each indicator's latest value by the quarter end, its change since the previous quarter, and
    its SPC position (Making Data Count) against its pre-programme baseline; special causes that
    fell in the quarter."""
    q_start, q_end = quarter_bounds(quarter)
    prev_end = quarter_bounds(previous_quarter(quarter))[1]
    if _empty(values):
        return _section("indicators", "No indicators recorded for this programme.",
                        {"indicators": 0, "indicators_concern": 0, "indicators_improvement": 0,
                         "indicators_new_data": 0, "special_causes_in_quarter": 0})
    rows_out, chart_rows, facts_each = [], [], {}
    concern = improvement = new_data = special_in_q = 0
    sources = []
    for indicator_id, rows in values.groupby("indicator_id", sort=False):
        rows = rows.assign(_end=_col_dates(rows, "period_end_date")).sort_values("_end")
        upto = rows.loc[rows["_end"] <= _ts(q_end)]
        name = str(rows["indicator_name"].iloc[0])
        council = _text(rows["authority_name"].iloc[0]) if "authority_name" in rows.columns else ""
        purpose = "no detriment" if str(rows["purpose"].iloc[0]) == "no_detriment" else "improvement"
        unit = _text(rows["unit"].iloc[0])
        direction = str(rows["improvement"].iloc[0])
        sources += list(upto["source"]) if "source" in upto.columns else []
        present = upto.loc[upto["value"].notna()]
        if present.empty:
            rows_out.append([name, "", "no data by the quarter end", "", "", council, purpose, ""])
            facts_each[str(indicator_id)] = {"latest": None, "icon": None}
            continue
        latest = present.iloc[-1]
        earlier = present.loc[present["_end"] <= _ts(prev_end)]
        change = None if earlier.empty else float(latest["value"]) - float(earlier.iloc[-1]["value"])
        is_new = bool(latest["_end"] > _ts(q_start) - pd.Timedelta(days=1))
        new_data += is_new
        icon, words, sentence = "", "", ""
        if len(present) >= 2:
            frame = spc.xmr(upto["value"].astype(float).tolist(), direction,
                            baseline_points=_baseline_points(upto))
            icon = spc.variation_icon(frame, direction)
            symbol, label = spc.ICON_LABELS[icon]
            words = f"{symbol} {label}"
            baseline = f"{_text(rows['baseline_period'].iloc[0]) or 'baseline'} baseline".replace(
                "baseline baseline", "baseline")
            sentence = spc.describe(frame, direction, name, baseline)
            concern += icon.startswith("special_cause_concern")
            improvement += icon.startswith("special_cause_improvement")
            in_q = (upto["_end"] >= _ts(q_start)).to_numpy() & frame["point_type"].str.startswith("special_cause").to_numpy()
            special_in_q += int(in_q.sum())
            for end, value, mean, lower, upper, point in zip(
                    upto["_end"], frame["value"], frame["mean"], frame["lower_limit"], frame["upper_limit"],
                    frame["point_type"]):
                chart_rows.append([name, end.date().isoformat(), _num(value), _num(mean), _num(lower), _num(upper),
                                   point])
        value_text = f"{float(latest['value']):,.1f}{'%' if unit == '%' else ' ' + unit}"
        change_text = "" if change is None else (
            "no change" if abs(change) < 1e-9 else f"{'+' if change > 0 else '−'}{abs(change):,.1f}")
        rows_out.append([name, words, f"{_text(latest['period_label'])}{' (new)' if is_new else ''}",
                         value_text, change_text, council, purpose, sentence])
        facts_each[str(indicator_id)] = {"name": name, "latest": _num(latest["value"]), "icon": icon or None}
    n = len(facts_each)
    summary = (f"{counted(n, 'indicator')}; {new_data} with new figures this quarter; latest point a special cause of "
               f"concern for {concern}, of improvement for {improvement}; "
               f"{counted(special_in_q, 'special-cause point')} in the quarter.")
    facts = {"indicators": n, "indicators_concern": concern, "indicators_improvement": improvement,
             "indicators_new_data": new_data, "special_causes_in_quarter": special_in_q, "by_indicator": facts_each}
    table = _table("Indicators at the quarter end",
                   ["Indicator", "Variation (SPC)", "Latest period", "Value", "Change since last quarter", "Council",
                    "Purpose", "In words"], rows_out)
    charts = []
    if chart_rows:
        charts.append({"kind": "spc", "title": f"Indicators to {format_date(q_end)}: values with SPC mean and limits",
                       "summary": "One panel per indicator: its values with the SPC mean and process limits; "
                                  "special causes are marked by shape (circle: concern, square: improvement).",
                       "x_title": "Period end", "y_title": "Value",
                       "columns": ["Indicator", "Period end", "Value", "Mean", "Lower limit", "Upper limit",
                                   "Point type"], "rows": chart_rows})
    return _section("indicators", summary, facts, [table], charts, sources)


# --------------------------------------------------------------------------------------------
# Ofsted and DfE activity

GRADE_ORDER = ["Outstanding", "Good", "Requires improvement to be good", "Inadequate"]


def ofsted_section(inspections: pd.DataFrame, directions: pd.DataFrame, quarter: str) -> dict:
    """Inspections and visits of the supported council carried out or published in the quarter,
    DfE statutory directions in the quarter, and the latest overall grade at the quarter end."""
    q_start, q_end = quarter_bounds(quarter)
    lo, hi = _ts(q_start), _ts(q_end)
    events, sources = [], []
    latest_grade = "none published"
    if not _empty(inspections):
        insp = inspections.assign(done_at=_col_dates(inspections, "inspection_date"),
                                  pub_at=_col_dates(inspections, "published_date"))
        for r in insp.itertuples():
            done_in = not pd.isna(r.done_at) and lo <= r.done_at <= hi
            pub_in = not pd.isna(r.pub_at) and lo <= r.pub_at <= hi
            if done_in or pub_in:
                what = "inspected and published" if done_in and pub_in else "inspected" if done_in else "report published"
                events.append([format_date(r.done_at if not pd.isna(r.done_at) else r.pub_at), r.authority_name,
                               r.inspection_type, what, _text(r.visit_theme), _text(r.overall_grade) or "not graded",
                               format_date(r.pub_at)])
                sources.append(r.source)
        known = insp.assign(when_at=insp["pub_at"].fillna(insp["done_at"]))
        graded = known.loc[known["overall_grade"].notna() & (known["when_at"] <= hi)].sort_values("when_at")
        if not graded.empty:
            g = graded.iloc[-1]
            latest_grade = f"{g['overall_grade']} ({g['authority_name']}, published {format_date(g['when_at'])})"
    dirs = []
    if not _empty(directions):
        d = directions.assign(dir_date=_col_dates(directions, "direction_date"))
        d = d.loc[(d["dir_date"] >= lo) & (d["dir_date"] <= hi)]
        dirs = [[format_date(r.dir_date), r.authority_name, r.action, r.summary] for r in d.itertuples()]
        sources += list(d["source"])
    facts = {"ofsted_events_in_quarter": len(events), "directions_in_quarter": len(dirs),
             "latest_overall_grade": latest_grade}
    summary = (f"{counted(len(events), 'Ofsted inspection or visit', 'Ofsted inspections or visits')} carried out or "
               f"published in the quarter; {counted(len(dirs), 'DfE statutory direction')} issued, revised or lifted; "
               f"latest overall grade: {latest_grade}.")
    tables = [_table("Ofsted inspections and visits in the quarter",
                     ["Date", "Council", "Inspection", "What happened", "Theme", "Overall grade", "Published"], events),
              _table("DfE statutory directions in the quarter", ["Date", "Council", "Action", "Summary"], dirs)]
    return _section("ofsted", summary, facts, tables, [], sources)


# --------------------------------------------------------------------------------------------
# Savings


def savings_section(savings: pd.DataFrame, quarter: str) -> dict:
    """Savings planned, forecast and delivered for the financial year the quarter falls in, and for
    every year to then; delivery against the plan of the years with a delivered figure."""
    _, q_end = quarter_bounds(quarter)
    fy = financial_year(q_end)
    empty_facts = {"savings_year": fy, "savings_planned_year": None, "savings_forecast_year": None,
                   "savings_delivered_year": None, "savings_planned_to_date": None,
                   "savings_delivered_to_date": None, "savings_delivery_pct": None}
    if _empty(savings):
        return _section("savings", "No savings recorded for this programme.", empty_facts)
    years = savings.loc[savings["financial_year"].astype(str) <= fy].sort_values("financial_year")
    if years.empty:
        return _section("savings", f"No savings planned by {fy}.", empty_facts, sources=list(savings["sources"]))
    this = years.loc[years["financial_year"].astype(str) == fy]
    reported = years.loc[years["delivered_gbp"].notna()]
    planned_to_date = float(reported["planned_gbp"].sum()) if not reported.empty else None
    delivered_to_date = float(reported["delivered_gbp"].sum()) if not reported.empty else None
    pct = delivered_to_date / planned_to_date if planned_to_date else None
    pick = (lambda c: _num(this[c].iloc[0]) if not this.empty else None)
    facts = {"savings_year": fy, "savings_planned_year": pick("planned_gbp"),
             "savings_forecast_year": pick("forecast_gbp"), "savings_delivered_year": pick("delivered_gbp"),
             "savings_planned_to_date": _num(planned_to_date), "savings_delivered_to_date": _num(delivered_to_date),
             "savings_delivery_pct": None if pct is None else round(pct * 100, 1)}
    parts = []
    if not this.empty:
        parts.append(f"{fy}: {format_money(facts['savings_planned_year'])} planned, "
                     f"{format_money(facts['savings_forecast_year'])} forecast, "
                     f"{format_money(facts['savings_delivered_year']) if facts['savings_delivered_year'] is not None else 'nothing'} delivered")
    else:
        parts.append(f"no savings planned for {fy}")
    if pct is not None:
        parts.append(f"to date {format_money(delivered_to_date)} delivered of {format_money(planned_to_date)} "
                     f"planned for the years reported ({pct:.0%})")
    summary = "Savings " + "; ".join(parts) + "."
    rows = []
    for r in years.itertuples():
        share = "" if pd.isna(r.delivered_gbp) or not r.planned_gbp else f"{float(r.delivered_gbp) / float(r.planned_gbp):.0%}"
        rows.append([r.financial_year, format_pounds(r.planned_gbp), format_pounds(r.forecast_gbp),
                     format_pounds(r.delivered_gbp), share])
    chart = {"kind": "bar", "title": f"Savings by financial year to {fy}",
             "summary": f"Planned, forecast and delivered savings in each financial year to {fy}, in pounds.",
             "x_title": "Financial year", "y_title": "Pounds (£)",
             "columns": ["Financial year", "Planned", "Forecast", "Delivered"],
             "rows": [[r.financial_year, _num(r.planned_gbp), _num(r.forecast_gbp), _num(r.delivered_gbp)]
                      for r in years.itertuples()]}
    table = _table("Savings by financial year", ["Financial year", "Planned", "Forecast", "Delivered",
                                                 "Delivered as share of plan"], rows)
    return _section("savings", summary, facts, [table], [chart], list(years["sources"]))


# --------------------------------------------------------------------------------------------
# Risks


def risk_state(risks: pd.DataFrame, snapshots: pd.DataFrame, on) -> pd.DataFrame:
    """The register at the latest reporting date on or before ``on`` (from the snapshots); with no
    snapshot by then, the risks raised by that date with their current scores, closed if closed
    by then."""
    cutoff = _ts(on)
    cols = ["risk_id", "likelihood", "impact", "status"]
    if not _empty(snapshots):
        dates = _col_dates(snapshots, "reporting_date")
        eligible = snapshots.loc[(dates <= cutoff).to_numpy()]
        if not eligible.empty:
            when = _col_dates(eligible, "reporting_date").max()
            return eligible.loc[(_col_dates(eligible, "reporting_date") == when).to_numpy(), cols].reset_index(drop=True)
    if _empty(risks):
        return pd.DataFrame(columns=cols)
    raised = _col_dates(risks, "raised_date")
    closed = _col_dates(risks, "closed_date")
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
    moves = risk_rules.movement(before, now)
    was_open = set(before.loc[before["status"].astype(str).eq("open"), "risk_id"].astype(str))
    # "closed" for a risk already closed a quarter ago is not news.
    moves = moves.loc[~(moves["movement"].eq(risk_rules.MOVEMENT_CLOSED) & ~moves["risk_id"].isin(was_open))]
    info = risks.set_index(risks["risk_id"].astype(str))
    open_now = now.loc[now["status"].astype(str).eq("open")].copy()
    open_now["score"] = (open_now["likelihood"].astype(int) * open_now["impact"].astype(int)).astype(int)
    open_now = open_now.sort_values(["score", "risk_id"], ascending=[False, True])
    move_of = dict(zip(moves["risk_id"], moves["movement"]))

    def describe(rid):
        return _text(info["description"].get(rid, rid)) if rid in info.index else rid

    def owner(rid):
        return _text(info["owner"].get(rid, "")) if rid in info.index else ""

    top = [[describe(r.risk_id), owner(r.risk_id), int(r.likelihood), int(r.impact),
            f"{r.score} ({risk_rules.score_band(r.score)})", move_of.get(r.risk_id, risk_rules.MOVEMENT_SAME)]
           for r in open_now.head(TOP_RISKS).itertuples()]
    changes = [[describe(m.risk_id), m.movement, "" if pd.isna(m.score_before) else int(m.score_before),
                "" if pd.isna(m.score_after) else int(m.score_after)]
               for m in moves.itertuples() if m.movement != risk_rules.MOVEMENT_SAME]
    counts = moves["movement"].value_counts()
    facts = {"risks_open": int(len(open_now)), "risks_high": int((open_now["score"] >= 10).sum()),
             "risks_very_high": int((open_now["score"] >= 16).sum()),
             "risks_up": int(counts.get(risk_rules.MOVEMENT_UP, 0)), "risks_down": int(counts.get(risk_rules.MOVEMENT_DOWN, 0)),
             "risks_new": int(counts.get(risk_rules.MOVEMENT_NEW, 0)), "risks_closed": int(counts.get(risk_rules.MOVEMENT_CLOSED, 0))}
    summary = (f"{counted(facts['risks_open'], 'open risk')} at {format_date(q_end)}, {facts['risks_high']} scoring 10 or "
               f"more and {facts['risks_very_high']} scoring 16 or more; this quarter {facts['risks_new']} new, "
               f"{facts['risks_closed']} closed, {facts['risks_up']} up (worse), {facts['risks_down']} down (better).")
    tables = [_table(f"Top open risks at {format_date(q_end)}",
                     ["Risk", "Owner", "Likelihood", "Impact", "Score (band)", "Movement"], top),
              _table("Changes to risks this quarter", ["Risk", "Movement", "Score before", "Score now"], changes)]
    return _section("risks", summary, facts, tables, [], list(risks["source"]))


# --------------------------------------------------------------------------------------------
# Key dates


def key_dates_section(key_dates: pd.DataFrame, quarter: str, months: int = KEY_DATE_HORIZON_MONTHS) -> dict:
    """Key dates in the six months after the quarter end, with the last day to give notice for a
    clause that has a notice period."""
    _, q_end = quarter_bounds(quarter)
    horizon = pd.Timestamp(quarter_bounds(shift_quarter(quarter, max(1, months // 3)))[1])
    if _empty(key_dates):
        return _section("key_dates", "No key dates recorded for this programme.", {"key_dates_ahead": 0,
                                                                                 "next_dfe_report_due": None})
    kd = key_dates.assign(due_at=_col_dates(key_dates, "due_date"))
    ahead = kd.loc[(kd["due_at"] > _ts(q_end)) & (kd["due_at"] <= horizon)].sort_values("due_at")
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


# --------------------------------------------------------------------------------------------
# Delivery confidence


def propose_confidence(facts: Mapping[str, Mapping]) -> dict:
    """A proposed IPA level from the assembled facts (section key → facts), by ``CONFIDENCE_RULES``.
    The commissioner sets the final level; this is the data's starting point, with its reasons."""
    m = facts.get("milestones", {})
    i = facts.get("indicators", {})
    r = facts.get("risks", {})
    s = facts.get("savings", {})
    points, reasons = 0, []
    overdue, due_by = int(m.get("milestones_overdue") or 0), int(m.get("milestones_due_by_reporting_date") or 0)
    if overdue:
        share = overdue / due_by if due_by else 1.0
        p = 2 if share > OVERDUE_SHARE_HIGH else 1
        points += p
        reasons.append(f"{overdue} of {due_by} milestones due by the reporting date overdue ({share:.0%}): +{p}")
    slipped = int(m.get("milestones_slipped") or 0)
    if slipped >= SLIPPED_MANY:
        points += 1
        reasons.append(f"{counted(slipped, 'milestone')} slipped during the quarter: +1")
    concern = int(i.get("indicators_concern") or 0)
    if concern:
        p = 2 if concern >= 2 else 1
        points += p
        names = [v.get("name", k) for k, v in (i.get("by_indicator") or {}).items()
                 if str(v.get("icon") or "").startswith("special_cause_concern")]
        which = f" ({'; '.join(names)})" if names else ""
        reasons.append(f"{counted(concern, 'indicator')} with a special cause of concern at the latest point{which}: +{p}")
    very_high = int(r.get("risks_very_high") or 0)
    if very_high:
        p = 2 if very_high >= 3 else 1
        points += p
        reasons.append(f"{counted(very_high, 'open risk')} scoring 16 or more: +{p}")
    pct = s.get("savings_delivery_pct")
    if pct is not None and pct < SAVINGS_SHORTFALL * 100:
        points += 1
        reasons.append(f"savings delivered at {pct:.0f}% of plan: +1")
    level = ("Green" if points == 0 else "Amber/Green" if points == 1 else "Amber" if points <= 3
             else "Amber/Red" if points <= 5 else "Red")
    if not reasons:
        reasons.append("no overdue milestones, no indicator of concern, no open risk scoring 16+, savings on plan")
    return {"level": level, "points": points, "reasons": reasons}


def confidence_label(level: str | None) -> str:
    """'◑ Amber' — symbol and word, never colour alone; '' when not set."""
    if not level:
        return ""
    return f"{CONFIDENCE_SYMBOLS.get(level, '')} {level}".strip()


# --------------------------------------------------------------------------------------------
# The whole report


def assemble_report(programme: Mapping, quarter: str, *, milestones: pd.DataFrame, snapshots: pd.DataFrame,
                    indicator_values: pd.DataFrame, inspections: pd.DataFrame, directions: pd.DataFrame,
                    savings: pd.DataFrame, risks: pd.DataFrame, risk_snapshots: pd.DataFrame,
                    key_dates: pd.DataFrame, assembled_at: dt.datetime | None = None) -> dict:
    """Every section of the quarterly report for ``programme`` (a mapping with programme_id and
    programme_name) and ``quarter``, as plain JSON-able figures (see the module docstring)."""
    q_start, q_end = quarter_bounds(quarter)
    sections = [
        milestones_section(milestones, snapshots, quarter),
        indicators_section(indicator_values, quarter),
        ofsted_section(inspections, directions, quarter),
        savings_section(savings, quarter),
        risks_section(risks, risk_snapshots, quarter),
        key_dates_section(key_dates, quarter),
    ]
    proposed = propose_confidence({s["key"]: s["facts"] for s in sections})
    return {
        "schema": SCHEMA, "kind": "quarterly",
        "programme_id": str(programme["programme_id"]), "programme_name": str(programme["programme_name"]),
        "quarter": quarter, "period_start": q_start.isoformat(), "reporting_date": q_end.isoformat(),
        "previous_quarter": previous_quarter(quarter),
        "assembled_at": (assembled_at or dt.datetime.now()).replace(microsecond=0).isoformat(),
        "illustrative": any(s["illustrative"] for s in sections),
        "proposed_confidence": proposed,
        "sections": sections,
    }


def section(figures: Mapping, key: str) -> dict | None:
    return next((s for s in figures.get("sections", []) if s.get("key") == key), None)


def freeze(figures: Mapping) -> str:
    """The figures as the JSON stored in ``figures_json`` at submission (stable key order)."""
    return json.dumps(figures, sort_keys=True, ensure_ascii=False, allow_nan=False, default=_json_default)


def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON-able: {value!r}")


def thaw(text: str | None) -> dict | None:
    """Frozen figures back from ``figures_json``. Reports submitted before full figures were
    frozen carry only milestone counts: they come back as a ``legacy`` report whose milestones
    section holds those counts and nothing else."""
    if text is None or (not isinstance(text, str) and pd.isna(text)) or not str(text).strip():
        return None
    data = json.loads(text)
    if isinstance(data, dict) and "sections" in data:
        return data
    facts = data if isinstance(data, dict) else {}
    return {"schema": 0, "kind": "quarterly", "legacy": True, "illustrative": True, "proposed_confidence": None,
            "sections": [{"key": "milestones", "title": SECTION_TITLES["milestones"],
                          "summary": "Milestone counts frozen at submission (this report predates full frozen figures).",
                          "facts": facts, "tables": [], "charts": [], "illustrative": True}]}


def parse_narrative(text: str | None) -> dict[str, str]:
    if text is None or (not isinstance(text, str) and pd.isna(text)) or not str(text).strip():
        return {}
    data = json.loads(text)
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def dump_narrative(narrative: Mapping[str, str]) -> str:
    """Narrative as stored: known sections in report order, empty boxes left out."""
    ordered = {k: narrative[k].strip() for k in NARRATIVE_SECTIONS if (narrative.get(k) or "").strip()}
    ordered.update({k: v.strip() for k, v in narrative.items() if k not in ordered and k not in NARRATIVE_SECTIONS
                    and (v or "").strip()})
    return json.dumps(ordered, ensure_ascii=False)


# --------------------------------------------------------------------------------------------
# Reports table: which version is current, ids for new drafts and corrections


def current_version(reports: pd.DataFrame, quarter: str) -> dict | None:
    """The highest version of the quarter's report as a plain dict, or None."""
    if _empty(reports):
        return None
    rows = reports.loc[reports["quarter_label"].astype(str) == quarter]
    if rows.empty:
        return None
    row = rows.sort_values("version").iloc[-1]
    return {k: (None if (not isinstance(v, (str, list, dict)) and pd.isna(v)) else v) for k, v in row.items()}


def new_report_id(programme_id: str, quarter: str, version: int) -> str:
    return f"{programme_id}-{quarter}-v{int(version)}"


def submission_problems(confidence: str | None, reason: str | None) -> list[str]:
    """What stops a draft from being submitted (the final level and its reason are required)."""
    problems = []
    if confidence not in CONFIDENCE_LEVELS:
        problems.append("Set the delivery confidence (one of the five IPA levels).")
    if not (reason or "").strip():
        problems.append("Give the reason for the delivery confidence; it is kept with the report.")
    return problems


# --------------------------------------------------------------------------------------------
# Comparison with the previous quarter

FACT_LABELS: dict[str, str] = {
    "milestones_total": "Milestones in the plan",
    "milestones_dropped": "Dropped from the plan",
    "milestones_complete": "Milestones complete",
    "milestones_completed_this_quarter": "Completed in the quarter",
    "milestones_slipped": "Slipped in the quarter",
    "milestones_overdue": "Overdue at the reporting date",
    "milestones_due_next_quarter": "Due in the next quarter",
    "milestones_due_by_reporting_date": "Due by the reporting date",
    "indicators": "Indicators",
    "indicators_concern": "Indicators: latest point of concern",
    "indicators_improvement": "Indicators: latest point of improvement",
    "indicators_new_data": "Indicators with new figures",
    "special_causes_in_quarter": "Special-cause points in the quarter",
    "ofsted_events_in_quarter": "Ofsted inspections and visits",
    "directions_in_quarter": "DfE statutory directions",
    "latest_overall_grade": "Latest Ofsted overall grade",
    "savings_year": "Financial year",
    "savings_planned_year": "Savings planned (year)",
    "savings_forecast_year": "Savings forecast (year)",
    "savings_delivered_year": "Savings delivered (year)",
    "savings_planned_to_date": "Savings planned (years reported)",
    "savings_delivered_to_date": "Savings delivered (years reported)",
    "savings_delivery_pct": "Savings delivered as % of plan",
    "risks_open": "Open risks",
    "risks_high": "Open risks scoring 10+",
    "risks_very_high": "Open risks scoring 16+",
    "risks_new": "Risks new in the quarter",
    "risks_closed": "Risks closed in the quarter",
    "risks_up": "Risks up (worse)",
    "risks_down": "Risks down (better)",
    "key_dates_ahead": "Key dates in the next six months",
    "next_dfe_report_due": "Next DfE report due",
}
MONEY_FACTS = {"savings_planned_year", "savings_forecast_year", "savings_delivered_year", "savings_planned_to_date",
               "savings_delivered_to_date"}


def _show(key: str, value) -> str:
    if value is None:
        return "–"
    if key in MONEY_FACTS:
        return format_pounds(value)
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def _change(key: str, before, after) -> str:
    if before is None and after is None:
        return "no change"
    if before is None:
        return "new"
    if after is None:
        return "no longer reported"
    if isinstance(before, (int, float)) and isinstance(after, (int, float)) and not isinstance(before, bool):
        diff = after - before
        if abs(diff) < 1e-9:
            return "no change"
        shown = format_pounds(abs(diff)) if key in MONEY_FACTS else (f"{abs(diff):,.1f}" if isinstance(diff, float)
                                                                      and not float(diff).is_integer() else f"{abs(int(diff))}")
        return f"{'▲ +' if diff > 0 else '▼ −'}{shown}"
    return "no change" if before == after else "changed"


def compare(current: Mapping | None, previous: Mapping | None) -> list[dict]:
    """Figure by figure, what changed between two quarters' figures: one row per fact, in report
    order, with the previous and current value as a reader sees them and the change in words
    ("▲ +2", "▼ −£10,000", "no change", "changed", "new")."""
    rows = []
    cur_sections = {s["key"]: s for s in (current or {}).get("sections", [])}
    prev_sections = {s["key"]: s for s in (previous or {}).get("sections", [])}
    for key in [k for k in SECTION_TITLES if k in cur_sections or k in prev_sections]:
        cur = cur_sections.get(key, {}).get("facts", {})
        prev = prev_sections.get(key, {}).get("facts", {})
        names = [n for n in FACT_LABELS if n in cur or n in prev]
        names += [n for n in list(cur) + list(prev) if n not in names and n not in FACT_LABELS and n != "by_indicator"]
        for name in dict.fromkeys(names):
            before, after = prev.get(name), cur.get(name)
            rows.append({"section": SECTION_TITLES[key], "figure": FACT_LABELS.get(name, name.replace("_", " ")),
                         "previous": _show(name, before), "current": _show(name, after),
                         "change": _change(name, before, after)})
    return rows


def compare_confidence(current: Mapping, previous: Mapping | None) -> list[dict]:
    """The proposed, commissioner's and council's levels side by side with the previous quarter."""
    previous = previous or {}
    rows = []
    for field, label in (("proposed_confidence", "Proposed from the data"), ("confidence", "Commissioner's assessment"),
                         ("council_confidence", "Council's own assessment")):
        before, after = previous.get(field), current.get(field)
        change = ("no change" if before == after else "new" if not before else "not set" if not after else
                  ("▲ better" if CONFIDENCE_LEVELS.index(after) < CONFIDENCE_LEVELS.index(before) else "▼ worse"))
        rows.append({"section": "Delivery confidence", "figure": label, "previous": confidence_label(before) or "–",
                     "current": confidence_label(after) or "–", "change": change})
    return rows


def compare_narrative(current: Mapping[str, str], previous: Mapping[str, str]) -> list[dict]:
    """Section by section: 'unchanged', 'rewritten', 'new' or 'removed', with both texts."""
    rows = []
    keys = [k for k in NARRATIVE_SECTIONS if k in current or k in previous]
    keys += [k for k in list(current) + list(previous) if k not in keys]
    for key in dict.fromkeys(keys):
        before, after = (previous.get(key) or "").strip(), (current.get(key) or "").strip()
        if not before and not after:
            continue
        status = ("unchanged" if before == after else "new" if not before else "removed" if not after else "rewritten")
        rows.append({"section": SECTION_TITLES.get(key, key), "status": status, "previous": before, "current": after})
    return rows


# --------------------------------------------------------------------------------------------
# Annual report (for the partner council): four quarters


def annual_report(quarters: Sequence[Mapping], records: Sequence[Mapping | None], recipient: str) -> dict:
    """Aggregate four quarters' figures (oldest first) and their report records (the
    ``commissioner_report`` rows as dicts, or None where no report was written) into one report
    for the partner council: confidence quarter by quarter, milestones over the year, the last
    quarter's indicators, savings and risks, and each quarter's summary narrative."""
    if not quarters:
        raise ValueError("an annual report needs at least one quarter")
    last = quarters[-1]
    labels = [q["quarter"] for q in quarters]
    conf_rows, ms_rows, summaries = [], [], []
    completed = slipped = 0
    for q, rec in zip(quarters, records):
        rec = rec or {}
        conf_rows.append([q["quarter"], _text(rec.get("status")) or "no report",
                          confidence_label((q.get("proposed_confidence") or {}).get("level")),
                          confidence_label(rec.get("confidence")), confidence_label(rec.get("council_confidence")),
                          _text(rec.get("confidence_reason"))])
        f = (section(q, "milestones") or {}).get("facts", {})
        completed += int(f.get("milestones_completed_this_quarter") or 0)
        slipped += int(f.get("milestones_slipped") or 0)
        ms_rows.append([q["quarter"], f.get("milestones_completed_this_quarter", 0), f.get("milestones_slipped", 0),
                        f.get("milestones_overdue", 0), f.get("milestones_complete", 0), live_count(f)])
        text = parse_narrative(rec.get("narrative_json")).get("summary", "") if rec else ""
        summaries.append([q["quarter"], text or "(no summary written)"])
    end = (section(last, "milestones") or {}).get("facts", {})
    summary_sec = {"key": "summary", "title": "Delivery confidence over the year",
                   "summary": f"Delivery confidence quarter by quarter, {labels[0]} to {labels[-1]}.",
                   "facts": {}, "illustrative": False, "charts": [],
                   "tables": [_table("Delivery confidence by quarter",
                                     ["Quarter", "Report", "Proposed from the data", "Commissioner", "Council", "Reason"],
                                     conf_rows),
                              _table("The commissioner's summary each quarter", ["Quarter", "Summary"], summaries)]}
    ms_sec = {"key": "milestones", "title": "Milestones over the year",
              "summary": (f"{counted(completed, 'milestone')} completed and {slipped} slipped over the four quarters; "
                          f"{end.get('milestones_complete', 0)} of {live_count(end)} complete at "
                          f"{format_date(last['reporting_date'])}."),
              "facts": {"milestones_completed_in_year": completed, "milestones_slipped_in_year": slipped},
              "illustrative": any((section(q, "milestones") or {}).get("illustrative") for q in quarters),
              "tables": [_table("Milestones quarter by quarter",
                                ["Quarter", "Completed", "Slipped", "Overdue at quarter end", "Complete (cumulative)",
                                 "In the plan (not dropped)"], ms_rows)],
              "charts": [{"kind": "bar", "title": "Milestones completed and slipped each quarter",
                          "summary": f"{completed} completed and {slipped} slipped over the year.",
                          "x_title": "Quarter", "y_title": "Milestones", "columns": ["Quarter", "Completed", "Slipped"],
                          "rows": [[r[0], r[1], r[2]] for r in ms_rows]}]}
    ofsted_rows = []
    for q in quarters:
        for t in (section(q, "ofsted") or {}).get("tables", []):
            if t["title"].startswith("Ofsted"):
                ofsted_rows += [[q["quarter"], *r] for r in t["rows"]]
    of_last = section(last, "ofsted") or {"facts": {}}
    of_sec = {"key": "ofsted", "title": "Ofsted and DfE activity over the year",
              "summary": (f"{counted(len(ofsted_rows), 'Ofsted inspection or visit', 'Ofsted inspections or visits')} "
                          f"over the year; latest overall grade: {of_last['facts'].get('latest_overall_grade', 'none')}."),
              "facts": {}, "illustrative": False, "charts": [],
              "tables": [_table("Ofsted inspections and visits over the year",
                                ["Quarter", "Date", "Council", "Inspection", "What happened", "Theme", "Overall grade",
                                 "Published"], ofsted_rows)]}
    carried = [dict(s, title=f"{s['title']} at the end of {last['quarter']}")
               for s in last.get("sections", []) if s["key"] in ("indicators", "savings", "risks", "key_dates")]
    return {"schema": SCHEMA, "kind": "annual", "programme_id": last.get("programme_id"),
            "programme_name": last.get("programme_name"), "recipient": recipient,
            "quarter": f"{labels[0]} to {labels[-1]}", "quarters": labels,
            "period_start": quarters[0].get("period_start"), "reporting_date": last.get("reporting_date"),
            "assembled_at": last.get("assembled_at"), "proposed_confidence": last.get("proposed_confidence"),
            "illustrative": any(q.get("illustrative") for q in quarters),
            "sections": [summary_sec, ms_sec, *[c for c in carried if c["key"] == "indicators"], of_sec,
                         *[c for c in carried if c["key"] != "indicators"]]}


def annual_quarters(quarter: str) -> list[str]:
    """The four quarters ending with ``quarter``, oldest first."""
    return [shift_quarter(quarter, -n) for n in (3, 2, 1, 0)]


# --------------------------------------------------------------------------------------------
# File names


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-" else "-" for c in str(text)).strip("-")


def docx_file_name(programme_id: str, quarter: str, status: str, version: int | None = None) -> str:
    """'quarterly-report_hampshire-west-sussex_2023-Q3_draft-v1.docx': programme, quarter, status."""
    tail = f"{_slug(status or 'not-saved')}" + (f"-v{int(version)}" if version else "")
    return f"quarterly-report_{_slug(programme_id)}_{_slug(quarter)}_{tail}.docx"


def annual_file_name(programme_id: str, first: str, last: str) -> str:
    return f"annual-report_{_slug(programme_id)}_{_slug(first)}-to-{_slug(last)}.docx"



# --------------------------------------------------------------------------------------------
# Charts for the page (the Word export draws the same chart data with matplotlib)

SERIES_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]
SERIES_PATTERNS = ["", "/", ".", "x"]
POINT_STYLE = {"special_cause_concern": ("circle", "#E69F00", "Special cause of concern"),
               "special_cause_improvement": ("square", "#0072B2", "Special cause of improvement"),
               "special_cause_neutral_high": ("triangle-up", "#6A3D9A", "Special cause (neutral)"),
               "special_cause_neutral_low": ("triangle-down", "#6A3D9A", "Special cause (neutral)")}


def chart_table(chart: Mapping) -> pd.DataFrame:
    """Exactly what a chart shows, as a table (for "View as table" and its CSV)."""
    return pd.DataFrame(chart["rows"], columns=chart["columns"])


def chart_figure(chart: Mapping):
    """A Plotly figure of one assembled chart: grouped bars (patterns as well as colours, so the
    series never rely on colour alone), or SPC small multiples (value, mean, process limits, and
    special-cause points marked by shape and named in the legend)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    if chart["kind"] == "spc":
        names = list(dict.fromkeys(r[0] for r in chart["rows"]))
        cols = 3 if len(names) > 4 else 2 if len(names) > 1 else 1
        nrows = -(-len(names) // cols)
        titles = [n if len(n) <= 45 else n[:43] + "…" for n in names]
        fig = make_subplots(rows=nrows, cols=cols, subplot_titles=titles, vertical_spacing=0.45 / max(nrows, 1))
        shown: set[str] = set()
        for k, name in enumerate(names):
            row, col = k // cols + 1, k % cols + 1
            rows = [r for r in chart["rows"] if r[0] == name]
            x = [r[1] for r in rows]
            for label, idx, style in (("Value", 2, {"color": "#505a5f"}), ("Mean", 3, {"color": "#0b0c0c", "width": 1}),
                                      ("Process limits", 4, {"color": "#0b0c0c", "width": 1, "dash": "dash"}),
                                      ("Upper limit", 5, {"color": "#0b0c0c", "width": 1, "dash": "dash"})):
                legend = label if label != "Upper limit" else "Process limits"
                fig.add_trace(go.Scatter(x=x, y=[r[idx] for r in rows], mode="lines+markers" if idx == 2 else "lines",
                                         name=legend, legendgroup=legend, line=style,
                                         showlegend=legend not in shown and label != "Upper limit",
                                         hovertemplate=f"{name}<br>%{{x}}: %{{y}}<extra>{legend}</extra>"), row=row, col=col)
                if label != "Upper limit":
                    shown.add(legend)
            for kind, (symbol, colour, label) in POINT_STYLE.items():
                pts = [r for r in rows if r[6] == kind and r[2] is not None]
                if pts:
                    fig.add_trace(go.Scatter(x=[r[1] for r in pts], y=[r[2] for r in pts], mode="markers", name=label,
                                             legendgroup=label, showlegend=label not in shown,
                                             marker={"symbol": symbol, "color": colour, "size": 9,
                                                     "line": {"width": 1, "color": "#0b0c0c"}},
                                             hovertemplate=f"{name}<br>%{{x}}: %{{y}}<extra>{label}</extra>"),
                                  row=row, col=col)
                    shown.add(label)
        fig.update_annotations(font_size=11)
        fig.update_xaxes(title_text=chart.get("x_title", ""), title_font_size=10, type="date")
        fig.update_yaxes(title_text=chart.get("y_title", ""), title_font_size=10)
        fig.update_layout(title={"text": chart["title"]}, height=260 * nrows + 140,
                          legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
                          margin={"l": 10, "r": 10, "t": 90, "b": 80})
        return fig
    fig = go.Figure()
    categories = [str(r[0]) for r in chart["rows"]]
    for i, name in enumerate(chart["columns"][1:]):
        fig.add_trace(go.Bar(x=categories, y=[r[i + 1] for r in chart["rows"]], name=name,
                             marker={"color": SERIES_COLOURS[i % 4], "pattern": {"shape": SERIES_PATTERNS[i % 4]},
                                     "line": {"color": "#0b0c0c", "width": 0.5}},
                             text=[r[i + 1] for r in chart["rows"]] if len(chart["columns"]) == 2 else None,
                             textposition="outside", cliponaxis=False,
                             hovertemplate=f"%{{x}}: %{{y:,}}<extra>{name}</extra>"))
    values = [v for r in chart["rows"] for v in r[1:] if v is not None]
    # Small counts: a tick per whole number (Plotly's own 0.2 or 0.5 steps would print "0 0 1 1").
    whole_steps = {"dtick": 1} if values and counts_only(chart) and max(values) <= 10 else {}
    fig.update_layout(title={"text": chart["title"]}, barmode="group",
                      xaxis={"title": {"text": chart.get("x_title", "")}, "type": "category"},
                      yaxis={"title": {"text": chart.get("y_title", "")}, "rangemode": "tozero", "tickformat": ",d",
                             **whole_steps},
                      legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
                      margin={"l": 10, "r": 10, "t": 60, "b": 80}, height=380, showlegend=len(chart["columns"]) > 2)
    return fig
