"""A report's headline facts: the programme's facts as at the report's date, computed by the same
function as the Overview's (monitor.overview.facts.programme_facts) from the report's own frames, and
the headline table the report opens with, worded as the Overview card words them
(monitor.overview.headlines)."""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from monitor.formatting import format_date
from monitor.overview.facts import ProgrammeFacts, programme_facts
from monitor.overview.headlines import metrics
from monitor.report.sections import ReportDate

HEADLINE_KEYS = ("milestones_complete", "milestones_overdue", "milestones_due_soon", "open_high_risks",
                 "savings_delivered", "no_detriment_concerns", "latest_ofsted")

# What each fact needs of a frame that may arrive empty (a programme with no risks, a test's frame).
COLUMNS = {
    "milestones": ["milestone_id", "status", "baseline_due_date", "forecast_due_date", "completed_date"],
    "snapshots": ["milestone_id", "reporting_date", "status", "forecast_due_date"],
    "risks": ["risk_id", "likelihood", "impact", "status", "raised_date", "next_review_date", "closed_date"],
    "risk_snapshots": ["risk_id", "reporting_date", "likelihood", "impact", "status"],
    "savings": ["financial_year", "planned_gbp", "delivered_gbp"],
    "no_detriment": ["indicator_id", "indicator_name", "authority_name", "improvement", "baseline_end_date",
                     "period_end_date", "value"],
    "grades": ["inspection_date", "published_date", "grade", "authority_name"],
    "key_dates": ["due_date", "title", "kind"],
}


def _of(frame: pd.DataFrame | None, name: str, programme_id: str) -> pd.DataFrame:
    """The frame with its programme's id on every row, or an empty frame with the columns needed."""
    if frame is None or frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ["programme_id", *COLUMNS[name]]})
    return frame.assign(programme_id=programme_id)


def report_facts(programme: Mapping, when: ReportDate, *, milestones, snapshots, indicator_values, inspections,
                 savings, risks, risk_snapshots, key_dates, grades: pd.DataFrame | None = None) -> ProgrammeFacts:
    """The programme's facts as at the report's date. ``grades``: the supported council's grades by
    judgement area (query ofsted/supported_council_grades, the programme's rows, the rows the Overview card reads: framework version,
    headline area, every area); without them, the overall grades of ``inspections`` only."""
    pid = when.programme_id
    one = pd.DataFrame([{"programme_id": pid, "programme_name": str(programme.get("programme_name", pid)),
                         "kind": str(programme.get("kind", "")), "status": str(programme.get("status", "active")),
                         "end_date": programme.get("end_date")}])
    values = indicator_values
    if values is not None and not values.empty and "purpose" in values:
        values = values.loc[values["purpose"].astype(str).eq("no_detriment")]
    if grades is None and inspections is not None and not inspections.empty and "overall_grade" in inspections:
        grades = inspections.loc[inspections["overall_grade"].notna()].assign(
            grade=lambda f: f["overall_grade"],
            # as the Overview's query has it: an inspection known only by its publication is dated by it
            inspection_date=lambda f: pd.to_datetime(f["inspection_date"]).fillna(pd.to_datetime(f["published_date"])))
    return programme_facts(
        one, today=when.today, as_at={pid: when.as_at},
        milestones=_of(milestones, "milestones", pid), milestone_snapshots=_of(snapshots, "snapshots", pid),
        risks=_of(risks, "risks", pid), risk_snapshots=_of(risk_snapshots, "risk_snapshots", pid),
        savings=_of(savings, "savings", pid), no_detriment_values=_of(values, "no_detriment", pid),
        grades=_of(grades, "grades", pid), key_dates=_of(key_dates, "key_dates", pid))[0]


def headline(facts: ProgrammeFacts) -> dict:
    """The report's opening table: each headline fact as [label, value], as the Overview card says it."""
    return {"title": f"Headline figures as at {format_date(facts.as_at)}", "columns": ["Measure", "Figure"],
            "rows": [[m.label, m.value] for m in metrics(facts, *HEADLINE_KEYS)],
            "source": (f"Source: the programme's headline facts in Improvement Monitor as at {format_date(facts.as_at)}, "
                       "worded as the Overview gives them; the sections below give the records behind each.")}
