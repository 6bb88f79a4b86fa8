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
from collections.abc import Mapping

import pandas as pd

from monitor import clock
from monitor.periods import previous_quarter, quarter_bounds
from monitor.report.facts import headline, report_facts
from monitor.report.sections import ReportDate
from monitor.report.confidence import propose_confidence
from monitor.report.delivery import key_dates_section, milestones_section, risks_section
from monitor.report.outcomes import indicators_section, ofsted_section, savings_section

SCHEMA = 1


def assemble_report(programme: Mapping, quarter: str, *, milestones: pd.DataFrame, snapshots: pd.DataFrame,
                    indicator_values: pd.DataFrame, inspections: pd.DataFrame, directions: pd.DataFrame,
                    savings: pd.DataFrame, risks: pd.DataFrame, risk_snapshots: pd.DataFrame,
                    key_dates: pd.DataFrame, today: dt.date, assembled_at: dt.datetime | None = None) -> dict:
    """Every section of the quarterly report for ``programme`` (a mapping with programme_id,
    programme_name, status and end_date) and ``quarter``, as plain JSON-able figures (see the module
    docstring). Its facts are as at the quarter's end — today while the quarter runs, the closing date
    of a programme that closed in it — computed by each domain's facts, as the Overview's are."""
    q_start, q_end = quarter_bounds(quarter)
    when = ReportDate.of(programme, quarter, today)
    facts = report_facts(programme, when, milestones=milestones, snapshots=snapshots,
                         indicator_values=indicator_values, inspections=inspections, savings=savings, risks=risks,
                         risk_snapshots=risk_snapshots, key_dates=key_dates)
    sections = [
        milestones_section(milestones, snapshots, quarter, when, facts.milestones),
        indicators_section(indicator_values, quarter, when, facts.no_detriment),
        ofsted_section(inspections, directions, quarter, when, facts.ofsted),
        savings_section(savings, quarter, when, facts.savings),
        risks_section(risks, risk_snapshots, quarter, when, facts.risks),
        key_dates_section(key_dates, quarter),
    ]
    proposed = propose_confidence({s["key"]: s["facts"] for s in sections})
    return {
        "schema": SCHEMA, "kind": "quarterly",
        "programme_id": str(programme["programme_id"]), "programme_name": str(programme["programme_name"]),
        "quarter": quarter, "period_start": q_start.isoformat(), "reporting_date": q_end.isoformat(),
        "as_at": when.as_at.isoformat(),
        "previous_quarter": previous_quarter(quarter),
        "assembled_at": (assembled_at or clock.now()).isoformat(),
        "illustrative": any(s["illustrative"] for s in sections),
        "headline": headline(facts),
        "proposed_confidence": proposed,
        "sections": sections,
    }


def section(figures: Mapping, key: str) -> dict | None:
    return next((s for s in figures.get("sections", []) if s.get("key") == key), None)
