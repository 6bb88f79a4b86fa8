"""The quarterly report — the commissioner's report to DfE, or a programme's progress report to its
governing board (monitor.report.audience) — assembled from the data as plain, JSON-able figures;
a delivery confidence proposed on the Infrastructure and Projects Authority's five-level scale
from the supported council's evidence only; comparison with the previous quarter; the annual
report by financial year.

Everything here is a pure function over DataFrames (the column names of the ``report_*`` queries)
and returns plain dicts and lists, so that exactly what the page shows is what gets frozen into
``commissioner_report.figures_json`` at submission and what the Word export prints. A report's
figures look like::

    {"schema": 2, "kind": "quarterly", "programme_id", "programme_name", "programme_kind", "quarter",
     "council_quarter": "Q2 2023/24", "title", "audience": {...monitor.report.audience.Audience},
     "period_start", "reporting_date", "as_at", "previous_quarter", "assembled_at", "illustrative": bool,
     "headline": {"title", "columns", "rows"}, "proposed_confidence": {"level", "points", "reasons": [...]},
     "sections": [{"key", "title", "summary", "facts": {name: number|text}, "source",
                   "tables": [{"title", "columns": [...], "rows": [[...], ...], "source"}],
                   "charts": [{"kind": "bar"|"spc", "title", "summary", "x_title", "y_title", "source",
                               "columns": [...], "rows": [[...], ...], ("council", "units", "money")}],
                   "illustrative": bool}]}

At submission the whole of it is frozen with the report (monitor.report.record): the Word file and
the page render a submitted report from that record alone.

Table cells are the strings a reader sees ("3 Feb 2020", "£1,234"); facts keep raw numbers so two
quarters can be compared; chart rows keep raw numbers for the chart and its "view as table".
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from monitor import clock
from monitor.address import base_url
from monitor.periods import council_quarter, previous_quarter, quarter_bounds
from monitor.report.audience import Audience, audience_of
from monitor.report.confidence import propose_confidence
from monitor.report.delivery import key_dates_section, milestones_section, risks_section
from monitor.report.facts import headline, report_facts
from monitor.report.indicators import IMPROVEMENT, NO_DETRIMENT, indicator_section
from monitor.report.outcomes import ofsted_section, savings_section
from monitor.report.sections import ReportDate
from monitor.sources.links import references

SCHEMA = 2


def assemble_report(programme: Mapping, quarter: str, *, milestones: pd.DataFrame, snapshots: pd.DataFrame,
                    indicator_values: pd.DataFrame, inspections: pd.DataFrame, directions: pd.DataFrame,
                    savings: pd.DataFrame, risks: pd.DataFrame, risk_snapshots: pd.DataFrame,
                    key_dates: pd.DataFrame, today: dt.date, assembled_at: dt.datetime | None = None,
                    audience: Audience | None = None, grades: pd.DataFrame | None = None,
                    source_pages: Mapping[str, str] | None = None, source_names: Mapping[str, str] | None = None,
                    source_releases: Mapping[str, str] | None = None) -> dict:
    """Every section of the quarterly report for ``programme`` (a mapping with programme_id,
    programme_name, kind, status and end_date) and ``quarter``, as plain JSON-able figures (see the
    module docstring), worded for its audience (default: its kind's). Its facts are as at the
    quarter's end — today while the quarter runs, the closing date of a programme that closed in
    it — computed by each domain's facts, as the Overview's are. ``grades``: the supported council's
    grades by judgement area (query ofsted/supported_council_grades, the programme's rows), which the Ofsted headline is read from
    as the Overview card reads it; without them, the overall grades of ``inspections``. Each section's
    cited sources are kept with their address and citation in words (monitor.sources.links:
    `source_pages` gives official files' publisher pages, `source_names` the titles of papers, files
    and documents, `source_releases` official files' publication date, period covered and licence)."""
    audience = audience or audience_of(programme.get("kind"), None)
    q_start, q_end = quarter_bounds(quarter)
    when = ReportDate.of(programme, quarter, today)
    facts = report_facts(programme, when, milestones=milestones, snapshots=snapshots,
                         indicator_values=indicator_values, inspections=inspections, savings=savings, risks=risks,
                         risk_snapshots=risk_snapshots, key_dates=key_dates, grades=grades)
    sections = [
        milestones_section(milestones, snapshots, quarter, when, facts.milestones),
        indicator_section(indicator_values, quarter, when, facts.no_detriment, IMPROVEMENT),
        indicator_section(indicator_values, quarter, when, facts.no_detriment, NO_DETRIMENT),
        ofsted_section(inspections, directions, quarter, when, facts.ofsted, dfe=audience.is_dfe),
        savings_section(savings, quarter, when, facts.savings),
        risks_section(risks, risk_snapshots, quarter, when, facts.risks),
        key_dates_section(key_dates, quarter, meeting_kind=audience.meeting_kind, audience=audience.to_short),
    ]
    # The supported council's evidence only: the no-detriment section is the lending council's.
    proposed = propose_confidence({s["key"]: s["facts"] for s in sections if s["key"] != "no_detriment"})
    label = council_quarter(quarter)
    return {
        "schema": SCHEMA, "kind": "quarterly",
        "programme_id": str(programme["programme_id"]), "programme_name": str(programme["programme_name"]),
        "programme_kind": str(programme.get("kind") or ""),
        "quarter": quarter, "council_quarter": label, "title": audience.title(label),
        "audience": audience.to_dict(),
        "period_start": q_start.isoformat(), "reporting_date": q_end.isoformat(),
        "as_at": when.as_at.isoformat(),
        "previous_quarter": previous_quarter(quarter),
        "assembled_at": (assembled_at or clock.now()).isoformat(),
        "illustrative": any(s["illustrative"] for s in sections),
        "headline": headline(facts),
        "proposed_confidence": proposed,
        "sections": sections,
        "dashboard_address": base_url(),
        "source_references": references([c for s in sections for c in s.get("cited", [])], source_pages,
                                        source_names, source_releases),
    }


def section(figures: Mapping, key: str) -> dict | None:
    return next((s for s in figures.get("sections", []) if s.get("key") == key), None)
