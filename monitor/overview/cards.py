"""The Overview's programme cards: plain functions from the query frames to what each card says.

The overall RAG is derived by the rules in `RAG_RULES`, which the page prints word for word.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from monitor.milestones.rules import is_overdue
from monitor.no_detriment.verdicts import verdicts
from monitor.risks.rules import score_band
from monitor.values import as_date
from monitor.formatting import counted, describe_days, format_date, format_money

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
    milestones_total: int  # in the plan, not counting dropped ones (as the Action plan's "12 of 20")
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
    milestones_dropped: int = 0


def ofsted_summary(grades: list[dict]) -> tuple[str, str]:
    """Latest overall-effectiveness grade of the supported council and its direction since the one
    before: ('Requires improvement to be good (13 Mar 2023, West Sussex)', 'improved').
    `grades`: the programme's graded inspections, oldest first."""
    if not grades:
        return "No graded Ofsted inspection (no children's services or none published)", "none"
    last = grades[-1]
    text = f"{last['grade']} ({format_date(last['inspection_date'])}, {last['authority_name']})"
    if len(grades) < 2:
        return text, "first graded inspection"
    previous = grades[-2]
    before, now = GRADE_RANK[previous["grade"]], GRADE_RANK[last["grade"]]
    direction = "improved" if now < before else "declined" if now > before else "unchanged"
    return text, f"{direction} since {format_date(previous['inspection_date'])} ({previous['grade']})"


def no_detriment_summary(indicators: list[tuple[str, str, str]]) -> tuple[str, int]:
    """The card's no-detriment line. `indicators`: (name, council, verdict) of each of the
    programme's indicators in indicator order, the verdicts from monitor.no_detriment.verdicts
    (the No-detriment page's own rule, so the card and the page can never disagree)."""
    if not indicators:
        return "No no-detriment indicators for this programme", 0
    concerns = [name for name, _, verdict in indicators if verdict == "concern"]
    council = ", ".join(sorted({council for _, council, _ in indicators}))
    of_council = f"{counted(len(indicators), 'indicator')} of {council}"
    if not concerns:
        return f"No sign of deterioration: {of_council} within their baseline limits", 0
    worse = f"Concern: {len(concerns)} of {of_council} worse since the partnership began ({', '.join(concerns)})"
    return worse, len(concerns)


def savings_summary(row: pd.Series | None) -> str:
    if row is None or pd.isna(row.get("planned_gbp")):
        return "No savings recorded"
    delivered = float(row["delivered_gbp"] or 0)
    planned = float(row["planned_to_date_gbp"] or 0)
    share = f" ({delivered / planned:.0%})" if planned else ""
    return f"{format_money(delivered)} delivered of {format_money(planned)} planned to date{share}"


def next_key_dates(key_dates: list[dict], today: dt.date, n: int = 3) -> list[str]:
    """'Improvement board — 12 Jan 2027 (in 51 days)' for the next n dates on or after today.
    `key_dates`: the programme's dates in date order."""
    upcoming = [r for r in key_dates if as_date(r["due_date"]) >= today][:n]
    return [f"{r['title']} — {format_date(r['due_date'])} ({describe_days((as_date(r['due_date']) - today).days)})"
            for r in upcoming]


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


def _rows_by(frame: pd.DataFrame, order: list[str] | None = None, key: str = "programme_id") -> dict[str, list[dict]]:
    """Each programme's rows as plain dicts, in `order` (splitting once: filtering and sorting a
    frame per programme is what made the national Overview slow)."""
    rows: dict[str, list[dict]] = {}
    for row in (frame.sort_values([key, *order], kind="stable") if order else frame).to_dict("records"):
        rows.setdefault(row[key], []).append(row)
    return rows


def build_cards(programmes: pd.DataFrame, parties: pd.DataFrame, milestones: pd.DataFrame,
                grades: pd.DataFrame, nd_values: pd.DataFrame, savings: pd.DataFrame,
                risks: pd.DataFrame, key_dates: pd.DataFrame, today: dt.date) -> list[Card]:
    """One card per programme, in the order of `programmes`."""
    reporting = pd.Timestamp(today)
    ids = set(programmes["programme_id"])
    milestones = milestones[milestones["programme_id"].isin(ids)]
    overdue_by = (is_overdue(milestones, reporting).groupby(milestones["programme_id"]).sum()
                  if not milestones.empty else pd.Series(dtype=int)).to_dict()
    due = pd.to_datetime(milestones["forecast_due_date"]).fillna(pd.to_datetime(milestones["baseline_due_date"]))
    live = ~milestones["status"].isin(["complete", "dropped"])
    soon = live & (due >= reporting) & (due <= reporting + pd.Timedelta(days=DUE_SOON_DAYS))
    due_by_today = (due < reporting) & (milestones["status"] != "dropped")
    counts = pd.DataFrame({
        "programme_id": milestones["programme_id"],
        # Dropped milestones will never complete: they are not in the "of N" (milestones.summary_line).
        "total": (milestones["status"] != "dropped").astype(int),
        "dropped": (milestones["status"] == "dropped").astype(int),
        "complete": (milestones["status"] == "complete").astype(int),
        "soon": soon.astype(int), "due_by_today": due_by_today.astype(int),
    }).groupby("programme_id").sum().to_dict("index")
    open_risks = risks[(risks["status"] == "open") & risks["programme_id"].isin(ids)]
    scores = open_risks["likelihood"].astype(int) * open_risks["impact"].astype(int)
    risk_counts = pd.DataFrame({
        "programme_id": open_risks["programme_id"],
        "high": scores.map(score_band).isin(["High", "Very high"]).astype(int),
        "very_high": (scores >= 16).astype(int),
    }).groupby("programme_id").sum().to_dict("index")
    savings_by = {r["programme_id"]: r for _, r in savings.iterrows() if r["programme_id"] in ids}
    nd_values = nd_values[nd_values["programme_id"].isin(ids)]
    verdict_by = verdicts(nd_values)
    indicators_by: dict[str, list[tuple[str, str, str]]] = {}
    for pid, iid, name, council in (nd_values.drop_duplicates(["programme_id", "indicator_id"])
                                    .sort_values(["programme_id", "indicator_id"])
                                    [["programme_id", "indicator_id", "indicator_name", "authority_name"]]
                                    .itertuples(index=False)):
        indicators_by.setdefault(pid, []).append((name, council, verdict_by.get((pid, iid), "no_data")))
    grades_by = _rows_by(grades[grades["programme_id"].isin(ids)], ["inspection_date"])
    parties_by = _rows_by(parties[parties["programme_id"].isin(ids)])
    upcoming = key_dates[key_dates["programme_id"].isin(ids) & (pd.to_datetime(key_dates["due_date"]) >= reporting)]
    dates_by = _rows_by(upcoming, ["due_date"])

    def count(table, pid, column):
        return int(table[pid][column]) if pid in table else 0

    cards = []
    for p in programmes.to_dict("records"):
        pid = p["programme_id"]
        ofsted, direction = ofsted_summary(grades_by.get(pid, []))
        nd_text, nd_concerns = no_detriment_summary(indicators_by.get(pid, []))
        overdue = int(overdue_by.get(pid, 0))
        rag, reasons = overall_rag(p["status"], count(counts, pid, "due_by_today"), overdue, nd_concerns,
                                   count(risk_counts, pid, "very_high"))
        cards.append(Card(
            programme_id=pid, programme_name=p["programme_name"], kind=p["kind"], status=p["status"],
            start_date=p["start_date"], end_date=p["end_date"], legal_basis=p["legal_basis"],
            parties=[f"{r['authority_name']} ({r['role']}{', lending' if r['is_lending'] else ''})"
                     for r in parties_by.get(pid, [])],
            rag=rag, rag_reasons=reasons, milestones_total=count(counts, pid, "total"),
            milestones_complete=count(counts, pid, "complete"), milestones_due_soon=count(counts, pid, "soon"),
            milestones_overdue=overdue, ofsted=ofsted, ofsted_direction=direction, no_detriment=nd_text,
            no_detriment_concerns=nd_concerns, savings=savings_summary(savings_by.get(pid)),
            high_risks=count(risk_counts, pid, "high"),
            next_dates=next_key_dates(dates_by.get(pid, []), today) if p["status"] != "closed" else [],
            illustrative=True, milestones_dropped=count(counts, pid, "dropped"),
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
