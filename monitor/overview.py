"""The Overview's programme cards: plain functions from the query frames to what each card says.

The overall RAG is derived by the rules in `RAG_RULES`, which the page prints word for word.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from monitor import milestones as milestone_rules
from monitor import risks as risk_rules
from monitor import no_detriment
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

    `values`: one indicator's rows with `value`, `period_end_date`, `baseline_end_date` and
    `improvement`. The rule is the No-detriment page's own (monitor.no_detriment.is_concern), so
    the card and the page can never disagree.
    """
    return no_detriment.is_concern(values)


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


def _groups(frame: pd.DataFrame, key: str = "programme_id") -> dict:
    """Split a frame by programme once (filtering 400 times is what made the national Overview slow)."""
    return {k: g for k, g in frame.groupby(key, sort=False, observed=True)} if not frame.empty else {}


def build_cards(programmes: pd.DataFrame, parties: pd.DataFrame, milestones: pd.DataFrame,
                grades: pd.DataFrame, nd_values: pd.DataFrame, savings: pd.DataFrame,
                risks: pd.DataFrame, key_dates: pd.DataFrame, today: dt.date) -> list[Card]:
    """One card per programme, in the order of `programmes`."""
    reporting = pd.Timestamp(today)
    ids = set(programmes["programme_id"])
    milestones = milestones[milestones["programme_id"].isin(ids)]
    overdue_by = (milestone_rules.is_overdue(milestones, reporting).groupby(milestones["programme_id"]).sum()
                  if not milestones.empty else pd.Series(dtype=int))
    due = pd.to_datetime(milestones["forecast_due_date"]).fillna(pd.to_datetime(milestones["baseline_due_date"]))
    live = ~milestones["status"].isin(["complete", "dropped"])
    soon = live & (due >= reporting) & (due <= reporting + pd.Timedelta(days=DUE_SOON_DAYS))
    due_by_today = (due < reporting) & (milestones["status"] != "dropped")
    counts = pd.DataFrame({
        "programme_id": milestones["programme_id"], "total": 1,
        "complete": (milestones["status"] == "complete").astype(int),
        "soon": soon.astype(int), "due_by_today": due_by_today.astype(int),
    }).groupby("programme_id").sum()
    open_risks = risks[(risks["status"] == "open") & risks["programme_id"].isin(ids)]
    scores = open_risks["likelihood"].astype(int) * open_risks["impact"].astype(int)
    risk_counts = pd.DataFrame({
        "programme_id": open_risks["programme_id"],
        "high": scores.map(risk_rules.score_band).isin(["High", "Very high"]).astype(int),
        "very_high": (scores >= 16).astype(int),
    }).groupby("programme_id").sum()
    savings_by = {r["programme_id"]: r for _, r in savings.iterrows() if r["programme_id"] in ids}
    grades_by, nd_by = _groups(grades[grades["programme_id"].isin(ids)]), _groups(nd_values[nd_values["programme_id"].isin(ids)])
    parties_by, dates_by = _groups(parties[parties["programme_id"].isin(ids)]), _groups(key_dates[key_dates["programme_id"].isin(ids)])
    empty_grades, empty_nd, empty_dates = grades.iloc[0:0], nd_values.iloc[0:0], key_dates.iloc[0:0]

    def count(frame, pid, column):
        return int(frame.at[pid, column]) if pid in frame.index else 0

    cards = []
    for p in programmes.itertuples():
        pid = p.programme_id
        ofsted, direction = ofsted_summary(grades_by.get(pid, empty_grades))
        nd_text, nd_concerns = no_detriment_summary(nd_by.get(pid, empty_nd))
        overdue = int(overdue_by.get(pid, 0))
        rag, reasons = overall_rag(p.status, count(counts, pid, "due_by_today"), overdue, nd_concerns,
                                   count(risk_counts, pid, "very_high"))
        party_rows = parties_by.get(pid, parties.iloc[0:0])
        cards.append(Card(
            programme_id=pid, programme_name=p.programme_name, kind=p.kind, status=p.status,
            start_date=p.start_date, end_date=p.end_date, legal_basis=p.legal_basis,
            parties=[f"{r.authority_name} ({r.role}{', lending' if r.is_lending else ''})" for r in party_rows.itertuples()],
            rag=rag, rag_reasons=reasons, milestones_total=count(counts, pid, "total"),
            milestones_complete=count(counts, pid, "complete"), milestones_due_soon=count(counts, pid, "soon"),
            milestones_overdue=overdue, ofsted=ofsted, ofsted_direction=direction, no_detriment=nd_text,
            no_detriment_concerns=nd_concerns, savings=savings_summary(savings_by.get(pid)),
            high_risks=count(risk_counts, pid, "high"),
            next_dates=next_key_dates(dates_by.get(pid, empty_dates), today) if p.status != "closed" else [],
            illustrative=True,
        ))
    return cards


RAG_ORDER = {"Red": 0, "Amber": 1, "Green": 2, "Closed": 3}


def cards_table(cards: list[Card]) -> pd.DataFrame:
    """One row per programme: what the cards say, for the sortable 'all programmes' table."""
    return pd.DataFrame([{
        "programme": c.programme_name, "kind": c.kind, "status": c.status, "overall": c.rag,
        "milestones complete": c.milestones_complete, "milestones": c.milestones_total,
        "overdue": c.milestones_overdue, "due in 90 days": c.milestones_due_soon,
        "no-detriment concerns": c.no_detriment_concerns, "open high risks": c.high_risks,
        "programme_id": c.programme_id,
    } for c in cards])


def order_cards(cards: list[Card]) -> list[Card]:
    """Worst first (Red, Amber, Green, Closed), then by name: what needs attention comes first."""
    return sorted(cards, key=lambda c: (RAG_ORDER.get(c.rag, 9), c.programme_name))


def filter_programmes(programmes: pd.DataFrame, kinds: list[str], statuses: list[str]) -> pd.DataFrame:
    out = programmes
    if kinds:
        out = out[out["kind"].isin(kinds)]
    if statuses:
        out = out[out["status"].isin(statuses)]
    return out
