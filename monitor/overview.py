"""The Overview's programme cards: plain functions from the query frames to what each card says.

The overall RAG is derived by the rules in `RAG_RULES`, which the page prints word for word.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from monitor import milestones as milestone_rules
from monitor import risks as risk_rules
from monitor import spc
from monitor.formatting import describe_days, format_date, format_money

DUE_SOON_DAYS = 90
RED_OVERDUE_SHARE = 0.25

RAG_RULES = (
    ("Closed", "The programme has ended; its figures are history, nothing is overdue."),
    ("Red", f"More than {RED_OVERDUE_SHARE:.0%} of the milestones due by today are overdue."),
    ("Amber", "Any milestone overdue, any no-detriment indicator showing a special cause of concern "
              "since the partnership began, or any open risk scoring 16 or more (likelihood × impact)."),
    ("Green", "None of the above."),
)

GRADE_RANK = {"Outstanding": 1, "Good": 2, "Requires improvement to be good": 3, "Inadequate": 4}


@dataclass
class Card:
    programme_id: str
    programme_name: str
    kind: str
    status: str
    start_date: object
    end_date: object
    legal_basis: str | None
    parties: list[str]
    rag: str
    rag_reasons: list[str]
    milestones_total: int
    milestones_complete: int
    milestones_due_soon: int
    milestones_overdue: int
    ofsted: str
    ofsted_direction: str
    no_detriment: str
    no_detriment_concerns: int
    savings: str
    high_risks: int
    next_dates: list[str] = field(default_factory=list)
    illustrative: bool = False


def _as_date(value) -> dt.date:
    return pd.Timestamp(value).date()


def ofsted_summary(grades: pd.DataFrame) -> tuple[str, str]:
    """Latest overall-effectiveness grade of the supported council and its direction since the one
    before: ('Requires improvement to be good (13 Mar 2023, West Sussex)', 'improved')."""
    if grades.empty:
        return "No graded Ofsted inspection (no children's services or none published)", "none"
    ordered = grades.sort_values("inspection_date")
    last = ordered.iloc[-1]
    text = f"{last['grade']} ({format_date(last['inspection_date'])}, {last['authority_name']})"
    if len(ordered) < 2:
        return text, "first graded inspection"
    before = GRADE_RANK[ordered.iloc[-2]["grade"]]
    now = GRADE_RANK[last["grade"]]
    direction = "improved" if now < before else "declined" if now > before else "unchanged"
    return text, f"{direction} since {format_date(ordered.iloc[-2]['inspection_date'])} ({ordered.iloc[-2]['grade']})"


def indicator_concern(values: pd.DataFrame) -> bool:
    """True when an indicator shows a special cause of concern after its pre-partnership baseline.

    `values`: one indicator's rows ordered by period, with `value`, `period_end_date`,
    `baseline_end_date` and `improvement`. The baseline is every point up to baseline_end_date.
    """
    values = values.sort_values("period_end_date")
    series = values["value"].astype(float).tolist()
    if sum(not np.isnan(v) for v in series) < 3:
        return False
    baseline_end = values["baseline_end_date"].iloc[0]
    in_baseline = (values["period_end_date"] <= baseline_end).sum() if pd.notna(baseline_end) else len(series)
    baseline_points = int(max(in_baseline, 2))
    result = spc.xmr(series, values["improvement"].iloc[0], baseline_points=min(baseline_points, len(series)))
    after = result.iloc[baseline_points:]
    return bool((after["point_type"] == "special_cause_concern").any())


def no_detriment_summary(values: pd.DataFrame) -> tuple[str, int]:
    if values.empty:
        return "No no-detriment indicators for this programme", 0
    concerns = []
    names = {}
    for indicator_id, rows in values.groupby("indicator_id", sort=True):
        names[indicator_id] = rows["indicator_name"].iloc[0]
        if indicator_concern(rows):
            concerns.append(names[indicator_id])
    council = ", ".join(sorted(values["authority_name"].unique()))
    if not concerns:
        return f"No sign of deterioration: {len(names)} indicators of {council} within their baseline limits", 0
    return (f"Concern: {len(concerns)} of {len(names)} indicators of {council} worse since the partnership "
            f"began ({', '.join(concerns)})"), len(concerns)


def savings_summary(row: pd.Series | None) -> str:
    if row is None or pd.isna(row.get("planned_gbp")):
        return "No savings recorded"
    delivered = float(row["delivered_gbp"] or 0)
    planned = float(row["planned_to_date_gbp"] or 0)
    share = f" ({delivered / planned:.0%})" if planned else ""
    return f"{format_money(delivered)} delivered of {format_money(planned)} planned to date{share}"


def next_key_dates(key_dates: pd.DataFrame, today: dt.date, n: int = 3) -> list[str]:
    """'Improvement board — 12 Jan 2027 (in 51 days)' for the next n dates on or after today."""
    upcoming = key_dates[pd.to_datetime(key_dates["due_date"]).dt.date >= today].sort_values("due_date").head(n)
    return [f"{r.title} — {format_date(r.due_date)} ({describe_days((_as_date(r.due_date) - today).days)})"
            for r in upcoming.itertuples()]


def overall_rag(status: str, due_by_today: int, overdue: int, nd_concerns: int, very_high_risks: int) -> tuple[str, list[str]]:
    if status == "closed":
        return "Closed", ["programme closed"]
    reasons = []
    if overdue:
        reasons.append(f"{overdue} of {due_by_today} milestones due by today overdue")
    if nd_concerns:
        reasons.append(f"{nd_concerns} no-detriment indicator{'s' if nd_concerns != 1 else ''} of concern")
    if very_high_risks:
        reasons.append(f"{very_high_risks} open risk{'s' if very_high_risks != 1 else ''} scoring 16+")
    if due_by_today and overdue / due_by_today > RED_OVERDUE_SHARE:
        return "Red", reasons
    if reasons:
        return "Amber", reasons
    return "Green", ["no overdue milestones, no no-detriment concern, no open risk scoring 16+"]


def build_cards(programmes: pd.DataFrame, parties: pd.DataFrame, milestones: pd.DataFrame,
                grades: pd.DataFrame, nd_values: pd.DataFrame, savings: pd.DataFrame,
                risks: pd.DataFrame, key_dates: pd.DataFrame, today: dt.date) -> list[Card]:
    """One card per programme, in the order of `programmes`."""
    reporting = pd.Timestamp(today)
    savings_by = {r["programme_id"]: r for _, r in savings.iterrows()}
    cards = []
    for p in programmes.itertuples():
        pid = p.programme_id
        ms = milestones[milestones["programme_id"] == pid]
        overdue = int(milestone_rules.is_overdue(ms, reporting).sum()) if not ms.empty else 0
        live = ms[~ms["status"].isin(["complete", "dropped"])]
        due = pd.to_datetime(live["forecast_due_date"]).fillna(pd.to_datetime(live["baseline_due_date"]))
        due_soon = int(((due >= reporting) & (due <= reporting + pd.Timedelta(days=DUE_SOON_DAYS))).sum())
        all_due = pd.to_datetime(ms["forecast_due_date"]).fillna(pd.to_datetime(ms["baseline_due_date"]))
        due_by_today = int(((all_due < reporting) & (ms["status"] != "dropped")).sum())
        ofsted, direction = ofsted_summary(grades[grades["programme_id"] == pid])
        nd_text, nd_concerns = no_detriment_summary(nd_values[nd_values["programme_id"] == pid])
        open_risks = risks[(risks["programme_id"] == pid) & (risks["status"] == "open")]
        scores = open_risks["likelihood"].astype(int) * open_risks["impact"].astype(int)
        bands = scores.map(risk_rules.score_band)
        high = int(bands.isin(["High", "Very high"]).sum())
        very_high = int((scores >= 16).sum())
        rag, reasons = overall_rag(p.status, due_by_today, overdue, nd_concerns, very_high)
        party_rows = parties[parties["programme_id"] == pid]
        cards.append(Card(
            programme_id=pid, programme_name=p.programme_name, kind=p.kind, status=p.status,
            start_date=p.start_date, end_date=p.end_date, legal_basis=p.legal_basis,
            parties=[f"{r.authority_name} ({r.role}{', lending' if r.is_lending else ''})" for r in party_rows.itertuples()],
            rag=rag, rag_reasons=reasons, milestones_total=len(ms),
            milestones_complete=int((ms["status"] == "complete").sum()), milestones_due_soon=due_soon,
            milestones_overdue=overdue, ofsted=ofsted, ofsted_direction=direction, no_detriment=nd_text,
            no_detriment_concerns=nd_concerns, savings=savings_summary(savings_by.get(pid)), high_risks=high,
            next_dates=next_key_dates(key_dates[key_dates["programme_id"] == pid], today) if p.status != "closed" else [],
            illustrative=True,
        ))
    return cards


def filter_programmes(programmes: pd.DataFrame, kinds: list[str], statuses: list[str]) -> pd.DataFrame:
    out = programmes
    if kinds:
        out = out[out["kind"].isin(kinds)]
    if statuses:
        out = out[out["status"].isin(statuses)]
    return out
