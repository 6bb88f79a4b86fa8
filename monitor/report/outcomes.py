"""Report sections on outcomes: indicator movements (XmR), Ofsted and DfE activity, savings."""
from __future__ import annotations

import pandas as pd

from monitor.formatting import counted, format_date, format_money, format_pounds
from monitor.periods import financial_year
from monitor.no_detriment.spc import xmr
from monitor.no_detriment.spc_icons import ICON_LABELS, describe, variation_icon
from monitor.periods import previous_quarter, quarter_bounds
from monitor.report.sections import _empty, _section, _table
from monitor.no_detriment.facts import NoDetrimentFacts
from monitor.ofsted.facts import OfstedFacts
from monitor.report.sections import ReportDate
from monitor.savings.facts import SAVING, SavingFacts, kind_of
from monitor.values import day, day_column, json_number, text


def _baseline_points(rows: pd.DataFrame) -> int | None:
    end = day(rows["baseline_end_date"].iloc[0]) if "baseline_end_date" in rows.columns else pd.NaT
    if pd.isna(end):
        return None
    ends = rows["_end"] if "_end" in rows.columns else day_column(rows, "period_end_date")
    n = int((ends <= end).sum())
    return n if n >= 2 else None


def indicators_section(values: pd.DataFrame, quarter: str, when: ReportDate, nd: NoDetrimentFacts) -> dict:
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
        rows = rows.assign(_end=day_column(rows, "period_end_date")).sort_values("_end")
        upto = rows.loc[rows["_end"] <= day(q_end)]
        name = str(rows["indicator_name"].iloc[0])
        council = text(rows["authority_name"].iloc[0]) if "authority_name" in rows.columns else ""
        purpose = "no detriment" if str(rows["purpose"].iloc[0]) == "no_detriment" else "improvement"
        unit = text(rows["unit"].iloc[0])
        direction = str(rows["improvement"].iloc[0])
        sources += list(upto["source"]) if "source" in upto.columns else []
        present = upto.loc[upto["value"].notna()]
        if present.empty:
            rows_out.append([name, "", "no data by the quarter end", "", "", council, purpose, ""])
            facts_each[str(indicator_id)] = {"latest": None, "icon": None}
            continue
        latest = present.iloc[-1]
        earlier = present.loc[present["_end"] <= day(prev_end)]
        change = None if earlier.empty else float(latest["value"]) - float(earlier.iloc[-1]["value"])
        is_new = bool(latest["_end"] > day(q_start) - pd.Timedelta(days=1))
        new_data += is_new
        icon, words, sentence = "", "", ""
        if len(present) >= 2:
            frame = xmr(upto["value"].astype(float).tolist(), direction,
                            baseline_points=_baseline_points(upto))
            icon = variation_icon(frame, direction)
            symbol, label = ICON_LABELS[icon]
            words = f"{symbol} {label}"
            baseline = f"{text(rows['baseline_period'].iloc[0]) or 'baseline'} baseline".replace(
                "baseline baseline", "baseline")
            sentence = describe(frame, direction, name, baseline)
            concern += icon.startswith("special_cause_concern")
            improvement += icon.startswith("special_cause_improvement")
            in_q = (upto["_end"] >= day(q_start)).to_numpy() & frame["point_type"].str.startswith("special_cause").to_numpy()
            special_in_q += int(in_q.sum())
            for end, value, mean, lower, upper, point in zip(
                    upto["_end"], frame["value"], frame["mean"], frame["lower_limit"], frame["upper_limit"],
                    frame["point_type"]):
                chart_rows.append([name, end.date().isoformat(), json_number(value), json_number(mean), json_number(lower), json_number(upper),
                                   point])
        value_text = f"{float(latest['value']):,.1f}{'%' if unit == '%' else ' ' + unit}"
        change_text = "" if change is None else (
            "no change" if abs(change) < 1e-9 else f"{'+' if change > 0 else '−'}{abs(change):,.1f}")
        rows_out.append([name, words, f"{text(latest['period_label'])}{' (new)' if is_new else ''}",
                         value_text, change_text, council, purpose, sentence])
        facts_each[str(indicator_id)] = {"name": name, "latest": json_number(latest["value"]), "icon": icon or None}
    n = len(facts_each)
    summary = (f"{counted(n, 'indicator')}; {new_data} with new figures this quarter; latest point a special cause of "
               f"concern for {concern}, of improvement for {improvement}; "
               f"{counted(special_in_q, 'special-cause point')} in the quarter.")
    summary += f" No detriment: {nd.sentence()}." if nd.indicators else ""
    facts = {"indicators": n, "indicators_concern": concern, "indicators_improvement": improvement,
             "indicators_new_data": new_data, "special_causes_in_quarter": special_in_q,
             "no_detriment_indicators": len(nd.indicators), "no_detriment_concerns": nd.concerns,
             "by_indicator": facts_each}
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


GRADE_ORDER = ["Outstanding", "Good", "Requires improvement to be good", "Inadequate"]


def ofsted_section(inspections: pd.DataFrame, directions: pd.DataFrame, quarter: str, when: ReportDate,
                   latest: OfstedFacts) -> dict:
    """Inspections and visits of the supported council carried out or published in the quarter,
    DfE statutory directions in the quarter, and the latest overall grade known at the report's date
    (monitor.ofsted.facts, as on the Overview card)."""
    q_start, q_end = quarter_bounds(quarter)
    lo, hi = day(q_start), day(q_end)
    events, sources = [], []
    latest_grade = "none published"
    if not _empty(inspections):
        insp = inspections.assign(done_at=day_column(inspections, "inspection_date"),
                                  pub_at=day_column(inspections, "published_date"))
        for r in insp.itertuples():
            done_in = not pd.isna(r.done_at) and lo <= r.done_at <= hi
            pub_in = not pd.isna(r.pub_at) and lo <= r.pub_at <= hi
            if done_in or pub_in:
                what = "inspected and published" if done_in and pub_in else "inspected" if done_in else "report published"
                events.append([format_date(r.done_at if not pd.isna(r.done_at) else r.pub_at), r.authority_name,
                               r.inspection_type, what, text(r.visit_theme), text(r.overall_grade) or "not graded",
                               format_date(r.pub_at)])
                sources.append(r.source)
    if latest.grade is not None:
        latest_grade = latest.latest
    dirs = []
    if not _empty(directions):
        d = directions.assign(dir_date=day_column(directions, "direction_date"))
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


def savings_section(savings: pd.DataFrame, quarter: str, when: ReportDate, f: SavingFacts) -> dict:
    """Savings planned, forecast and delivered for the financial year the report's date falls in, and
    for every year to then; delivery against the plan of the years with a delivered figure — the
    savings facts of monitor.savings.facts, as the Overview card gives them. Income is not a saving:
    it is said apart and never added in."""
    fy = financial_year(when.as_at)
    empty_facts = {"savings_year": fy, "savings_planned_year": None, "savings_forecast_year": None,
                   "savings_delivered_year": None, "savings_planned_to_date": None,
                   "savings_delivered_to_date": None, "savings_delivery_pct": None, "income_to_date": None}
    if _empty(savings):
        return _section("savings", "No savings recorded for this programme.", empty_facts)
    ledger = savings.loc[kind_of(savings).eq(SAVING)]
    years = (ledger.loc[ledger["financial_year"].astype(str) <= fy]
             .groupby("financial_year", as_index=False)[["planned_gbp", "forecast_gbp", "delivered_gbp"]]
             .sum(min_count=1).sort_values("financial_year"))
    if years.empty:
        return _section("savings", f"No savings planned by {fy}.", empty_facts,
                        sources=list(savings.get("source", pd.Series(dtype=object))))
    this = years.loc[years["financial_year"].astype(str) == fy]
    pct = f.delivery_share
    pick = (lambda c: json_number(this[c].iloc[0]) if not this.empty else None)
    facts = {"savings_year": fy, "savings_planned_year": pick("planned_gbp"),
             "savings_forecast_year": pick("forecast_gbp"), "savings_delivered_year": pick("delivered_gbp"),
             "savings_planned_to_date": json_number(f.planned_to_date),
             "savings_delivered_to_date": json_number(f.delivered_to_date),
             "savings_delivery_pct": None if pct is None else round(pct * 100, 1),
             "income_to_date": json_number(f.income_to_date)}
    parts = []
    if not this.empty:
        parts.append(f"{fy}: {format_money(facts['savings_planned_year'])} planned, "
                     f"{format_money(facts['savings_forecast_year'])} forecast, "
                     f"{format_money(facts['savings_delivered_year']) if facts['savings_delivered_year'] is not None else 'nothing'} delivered")
    else:
        parts.append(f"no savings planned for {fy}")
    parts.append(f"to date {f.sentence()[0].lower()}{f.sentence()[1:]}" if f.planned_to_date is not None
                 else f.sentence())
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
             "rows": [[r.financial_year, json_number(r.planned_gbp), json_number(r.forecast_gbp), json_number(r.delivered_gbp)]
                      for r in years.itertuples()]}
    table = _table("Savings by financial year", ["Financial year", "Planned", "Forecast", "Delivered",
                                                 "Delivered as share of plan"], rows)
    sources = ledger.loc[ledger["financial_year"].astype(str) <= fy].get("source", pd.Series(dtype=object))
    return _section("savings", summary, facts, [table], [chart], list(sources))
