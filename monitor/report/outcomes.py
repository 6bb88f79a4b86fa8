"""Report sections on outcomes: Ofsted (and, in a report to DfE, the statutory direction) and
savings. The indicator sections are in monitor.report.indicators."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

import pandas as pd

from monitor.formatting import counted, format_date, format_money, format_pounds
from monitor.ofsted.facts import OfstedFacts
from monitor.periods import financial_year, quarter_bounds
from monitor.report.indicators import _publications
from monitor.report.provenance import source_note
from monitor.report.sections import ReportDate, _empty, _section, _table
from monitor.savings.facts import SAVING, SavingFacts, kind_of
from monitor.values import day, day_column, json_number, text


NO_GRADE = "none published"
# How reports frozen before the grade, council and date were kept apart wrote them: one string,
# "Requires improvement to be good (13 Mar 2023, West Sussex)".
_JOINED_GRADE = re.compile(r"^(?P<grade>.+) \((?P<date>\d{1,2} [A-Z][a-z]{2} \d{4}), (?P<council>[^()]+)\)$")


def latest_grade_facts(facts: Mapping) -> dict:
    """The latest overall grade of a report's Ofsted facts as three facts — grade, council, inspection
    date (ISO) — whichever way the report kept them: apart (reports since), or joined in one string
    (records frozen before, read here as they are and never rewritten)."""
    grade = facts.get("latest_overall_grade")
    if "latest_overall_grade_council" in facts or "latest_overall_grade_date" in facts or grade is None:
        return {"latest_overall_grade": grade,
                "latest_overall_grade_council": facts.get("latest_overall_grade_council"),
                "latest_overall_grade_date": facts.get("latest_overall_grade_date")}
    joined = _JOINED_GRADE.match(str(grade))
    if not joined:
        return {"latest_overall_grade": grade, "latest_overall_grade_council": None, "latest_overall_grade_date": None}
    return {"latest_overall_grade": joined["grade"], "latest_overall_grade_council": joined["council"],
            "latest_overall_grade_date": dt.datetime.strptime(joined["date"], "%d %b %Y").date().isoformat()}


def latest_grade_words(facts: Mapping) -> str:
    """'Good (13 Mar 2023, West Sussex)': the latest overall grade in a sentence, from either form."""
    f = latest_grade_facts(facts)
    if f["latest_overall_grade"] is None:
        return "none"
    if not f["latest_overall_grade_date"]:
        return f["latest_overall_grade"]
    return (f"{f['latest_overall_grade']} ({format_date(dt.date.fromisoformat(f['latest_overall_grade_date']))}, "
            f"{f['latest_overall_grade_council']})")


def ofsted_section(inspections: pd.DataFrame, directions: pd.DataFrame, quarter: str, when: ReportDate,
                   latest: OfstedFacts, dfe: bool = True) -> dict:
    """Inspections and visits of the supported council carried out or published in the quarter and
    the latest overall grade known at the report's date (monitor.ofsted.facts, as on the Overview
    card). A report to DfE adds the statutory direction's context: every direction event to the
    report's date, those in the quarter marked; a report to a board has no direction table."""
    q_start, q_end = quarter_bounds(quarter)
    lo, hi = day(q_start), day(q_end)
    events, sources = [], []
    latest_grade = NO_GRADE
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
    ofsted_table = _table("Ofsted inspections and visits in the quarter",
                          ["Date", "Council", "Inspection", "What happened", "Theme", "Overall grade", "Published"],
                          events)
    publications = _publications(inspections) if not _empty(inspections) else {}
    ofsted_table["source"] = source_note("Ofsted's published inspection outcomes for the supported council, as loaded "
                                         "in Improvement Monitor", sources, publications)
    summary = (f"{counted(len(events), 'Ofsted inspection or visit', 'Ofsted inspections or visits')} carried out or "
               f"published in the quarter; latest overall grade: {latest_grade}.")
    facts = {"ofsted_events_in_quarter": len(events), "latest_overall_grade": latest.grade or NO_GRADE,
             "latest_overall_grade_council": latest.council if latest.grade else None,
             "latest_overall_grade_date": latest.inspected.isoformat() if latest.grade else None}
    if not dfe:
        sec = _section("ofsted", summary, facts, [ofsted_table], [], sources, publications=publications)
        sec["title"] = "Ofsted activity"
        return sec
    history, in_quarter, dir_sources = [], 0, []
    if not _empty(directions):
        d = directions.assign(dir_date=day_column(directions, "direction_date")).sort_values("dir_date")
        d = d.loc[d["dir_date"] <= day(when.as_at)]
        for r in d.itertuples():
            inside = lo <= r.dir_date <= hi
            in_quarter += inside
            history.append([format_date(r.dir_date), r.authority_name, r.action, r.summary, "yes" if inside else ""])
        dir_sources = list(d["source"])
    facts.update({"directions_in_quarter": in_quarter, "directions_to_date": len(history)})
    last = f"; the statutory direction was last {history[-1][2]} on {history[-1][0]}" if history else ""
    summary = (f"{counted(len(events), 'Ofsted inspection or visit', 'Ofsted inspections or visits')} carried out or "
               f"published in the quarter; {counted(in_quarter, 'DfE statutory direction event')} in the quarter"
               f"{last}; latest overall grade: {latest_grade}.")
    direction_table = _table(f"DfE statutory direction: every event to {format_date(when.as_at)}",
                             ["Date", "Council", "Action", "Summary", "In the quarter"], history)
    direction_table["source"] = source_note("DfE's statutory directions to the supported council, as recorded in "
                                            "Improvement Monitor's intervention register", dir_sources)
    return _section("ofsted", summary, facts, [ofsted_table, direction_table], [], sources + dir_sources,
                    publications=publications)


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
    if years.empty:  # income only (cost recovery): said apart, as the Overview card and the Savings page say it
        income = (f" Income (not a saving): {format_money(f.income_to_date)} received to date."
                  if f.income_to_date else "")
        return _section("savings", f"No savings planned by {fy}.{income}",
                        {**empty_facts, "income_to_date": json_number(f.income_to_date)},
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
    chart = {"kind": "bar", "money": True, "title": f"Savings by financial year to {fy}",
             "summary": f"Planned, forecast and delivered savings in each financial year to {fy}, in pounds.",
             "x_title": "Financial year", "y_title": "Pounds (£)",
             "columns": ["Financial year", "Planned", "Forecast", "Delivered"],
             "rows": [[r.financial_year, json_number(r.planned_gbp), json_number(r.forecast_gbp), json_number(r.delivered_gbp)]
                      for r in years.itertuples()]}
    table = _table("Savings by financial year", ["Financial year", "Planned", "Forecast", "Delivered",
                                                 "Delivered as share of plan"], rows)
    sources = ledger.loc[ledger["financial_year"].astype(str) <= fy].get("source", pd.Series(dtype=object))
    return _section("savings", summary, facts, [table], [chart], list(sources))
