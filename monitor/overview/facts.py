"""A programme's headline facts as at a date, gathered from each domain's one definition: milestones,
risks, savings, no detriment, Ofsted and key dates, and the overall status they give. The Overview's
cards and table, the headline-figures CSV and `make figures` render these; the domain pages and the
quarterly report compute the same facts through the same domain functions.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from monitor.calendar.facts import KeyDateFacts, key_date_facts
from monitor.formatting import counted, format_date
from monitor.milestones.facts import DUE_SOON_DAYS, MilestoneFacts, milestone_facts
from monitor.no_detriment.facts import NoDetrimentFacts, no_detriment_facts
from monitor.ofsted.facts import OfstedFacts, ofsted_facts
from monitor.ofsted.interventions import InterventionFacts, intervention_facts
from monitor.overview.parties import PartyFacts, party_facts
from monitor.programme import as_at_by_programme, closed_by_as_at, closed_by_programme
from monitor.risks.facts import RiskFacts, risk_facts
from monitor.risks.rules import VERY_HIGH_SCORE
from monitor.savings.facts import SavingFacts, saving_facts
from monitor.tidy import Origin

# What the headline figures come from (monitor.tidy.Origin).
SOURCE = ("each programme's action plan, risk register, savings ledger and key dates as recorded in Improvement "
          "Monitor, DfE's published indicators and Ofsted's published inspection outcomes")

# Red when more than this share of the milestones due by the as-at date are overdue.
RED_OVERDUE_SHARE = 0.25

RAG_RULES = (
    ("Closed", "The programme has ended; its figures are as at its closing date and nothing is overdue."),
    ("Red", f"More than {RED_OVERDUE_SHARE:.0%} of the milestones due by today are overdue."),
    ("Amber", "Any milestone overdue, any no-detriment indicator of concern now (its latest point a special "
              "cause of concern, or beyond its no-detriment line; an earlier concern since recovered does not "
              f"count), or any open risk scoring {VERY_HIGH_SCORE} or more (likelihood × impact)."),
    ("Green", "None of the above."),
)
RAG_ORDER = {"Red": 0, "Amber": 1, "Green": 2, "Closed": 3}


# Each domain's facts and the frames (programme_facts' keywords) they are computed from. A domain page's
# headline asks for its own domain only (ui.facts): a domain whose frames are not given is None.
DOMAIN_FRAMES = {
    "milestones": ("milestones", "milestone_snapshots"), "risks": ("risks", "risk_snapshots"),
    "savings": ("savings",), "no_detriment": ("no_detriment_values",), "ofsted": ("grades",),
    "key_dates": ("key_dates",), "interventions": ("interventions",), "parties": ("parties",),
}


def headline_frames(domains: tuple[str, ...], *, closed: bool) -> tuple[str, ...]:
    """The frames a headline of `domains` is computed from: theirs, and the milestones' when the
    programme has closed (its caption says when its figures were last reported: headlines.as_at_caption)."""
    wanted = (*domains, "milestones") if closed and "milestones" not in domains else domains
    return tuple(frame for domain in wanted for frame in DOMAIN_FRAMES[domain])


@dataclass(frozen=True)
class ProgrammeFacts:
    programme_id: str
    programme_name: str
    kind: str
    status: str
    as_at: dt.date
    # None only where the caller asked for other domains (a domain page's headline); the Overview,
    # the reports and the headline figures compute every one.
    milestones: MilestoneFacts | None
    risks: RiskFacts | None
    savings: SavingFacts | None
    no_detriment: NoDetrimentFacts | None
    ofsted: OfstedFacts | None
    key_dates: KeyDateFacts | None
    # DfE's intervention register for the supported council, and the parties that end; empty when
    # the caller gives no frames for them (the quarterly report's own frames, for now).
    interventions: InterventionFacts | None = None
    parties: PartyFacts = field(default_factory=PartyFacts)
    # The day it closed, when its figures are as at that day or later (monitor.programme.closed_by_as_at).
    closed_on: dt.date | None = None

    def origin(self, source: str) -> Origin:
        """A download of this programme's figures: `source` (its domain's SOURCE), as at these facts' date."""
        return Origin(source, self.as_at)

    @property
    def rag(self) -> str:
        return overall_rag(self)[0]

    @property
    def rag_reasons(self) -> list[str]:
        return overall_rag(self)[1]


def overall_rag(f: ProgrammeFacts) -> tuple[str, list[str]]:
    """The overall status by RAG_RULES (first match wins) and the reasons for it."""
    if f.closed_on:
        return "Closed", [f"programme closed on {format_date(f.closed_on)}"]
    m = f.milestones
    reasons = []
    if m.overdue:
        reasons.append(f"{m.overdue} of {counted(m.due_by_as_at, 'milestone')} due by today overdue")
    if f.no_detriment.concerns:
        reasons.append(f"{counted(f.no_detriment.concerns, 'no-detriment indicator')} of concern now")
    if f.risks.very_high:
        reasons.append(f"{counted(f.risks.very_high, 'open risk')} scoring {VERY_HIGH_SCORE} or more")
    if m.due_by_as_at and m.overdue_share > RED_OVERDUE_SHARE:
        return "Red", reasons
    if reasons:
        return "Amber", reasons
    return "Green", [f"no overdue milestones, no no-detriment concern, no open risk scoring {VERY_HIGH_SCORE} or more"]


def programme_facts(programmes: pd.DataFrame, *, today: dt.date, as_at: Mapping[str, dt.date] | None = None,
                    milestones: pd.DataFrame | None = None, milestone_snapshots: pd.DataFrame | None = None,
                    risks: pd.DataFrame | None = None, risk_snapshots: pd.DataFrame | None = None,
                    savings: pd.DataFrame | None = None, no_detriment_values: pd.DataFrame | None = None,
                    grades: pd.DataFrame | None = None, key_dates: pd.DataFrame | None = None,
                    interventions: pd.DataFrame | None = None, parties: pd.DataFrame | None = None
                    ) -> list[ProgrammeFacts]:
    """The facts of every programme in `programmes` (programme_id, programme_name, kind, status,
    end_date), in its order, each as at its own date: `monitor.programme.as_at` (today, or its
    closing date), or the date `as_at` gives it (a report's quarter end), never after it closed.
    `grades` as query ofsted/supported_council_grades gives them (monitor.ofsted.facts). Each domain
    is computed from its frames (DOMAIN_FRAMES; the snapshots may be None): without its main frame
    it is None, and `interventions` (ofsted/supported_council_interventions) and `parties`
    (programmes/party_councils) are then empty."""
    frames = {"milestones": milestones, "milestone_snapshots": milestone_snapshots, "risks": risks,
              "risk_snapshots": risk_snapshots, "savings": savings, "no_detriment_values": no_detriment_values,
              "grades": grades, "key_dates": key_dates, "interventions": interventions, "parties": parties}
    return facts_from_frames(programmes, frames, today=today, as_at=as_at)


def facts_from_frames(programmes: pd.DataFrame, frames: Mapping[str, pd.DataFrame | None], *, today: dt.date,
                      as_at: Mapping[str, dt.date] | None = None) -> list[ProgrammeFacts]:
    """`programme_facts` with its frames as one mapping (programme_facts' keywords; a frame left out is
    None). Each domain reads its own frames when it comes to them, in DOMAIN_FRAMES' order: given rows
    still being read (queries.loader.run_side_by_side), a domain is computed while the next domains'
    rows are read, rather than every domain waiting for the slowest query."""
    as_at = {p: min(d, as_at[p]) if as_at and p in as_at else d
             for p, d in as_at_by_programme(programmes, today).items()}
    closed = closed_by_programme(programmes, today)
    none: dict = {}
    get = frames.get
    ms = milestone_facts(m, get("milestone_snapshots"), as_at, closed, today) \
        if (m := get("milestones")) is not None else none
    rs = risk_facts(r, get("risk_snapshots"), as_at, closed, today) if (r := get("risks")) is not None else none
    sv = saving_facts(s, as_at) if (s := get("savings")) is not None else none
    nd = no_detriment_facts(v, as_at) if (v := get("no_detriment_values")) is not None else none
    of = ofsted_facts(g, as_at) if (g := get("grades")) is not None else none
    kd = key_date_facts(k, as_at, closed) if (k := get("key_dates")) is not None else none
    iv = intervention_facts(get("interventions"), as_at)
    pf = party_facts(get("parties"), as_at, closed, today)
    ended = closed_by_as_at(closed, as_at)
    return [ProgrammeFacts(pid, name, str(kind), str(status), as_at[pid], ms.get(pid), rs.get(pid), sv.get(pid),
                           nd.get(pid), of.get(pid), kd.get(pid), iv[pid], pf[pid], ended.get(pid))
            for pid, name, kind, status in zip(programmes["programme_id"].tolist(), programmes["programme_name"].tolist(),
                                               programmes["kind"].tolist(), programmes["status"].tolist())]


def one_programme_facts(programmes: pd.DataFrame, programme_id: str, *, today: dt.date,
                        as_at: Mapping[str, dt.date] | None = None, **frames: pd.DataFrame) -> ProgrammeFacts:
    """`programme_facts` of one programme, from only its own rows (a frame without a programme_id
    column, the snapshots, is passed whole: its rows join to the programme's own milestones and
    risks) — the same facts, without computing every other programme's first."""
    mine = {name: frame[frame["programme_id"] == programme_id] if frame is not None and "programme_id" in frame.columns
            else frame for name, frame in frames.items()}
    return programme_facts(programmes[programmes["programme_id"] == programme_id], today=today, as_at=as_at, **mine)[0]


def order_worst_first(facts: list[ProgrammeFacts]) -> list[ProgrammeFacts]:
    """Red, Amber, Green, Closed, then by name: what needs attention comes first."""
    return sorted(facts, key=lambda f: (RAG_ORDER.get(f.rag, 9), f.programme_name))


# The headline figures, one column each: the Overview's table and CSV and `make figures` print these.
HEADLINE_COLUMNS = {
    "programme": "Programme", "programme_id": "Programme ID", "kind": "Kind", "status": "Status",
    "as_at": "As at", "overall_status": "Overall status",
    "milestones_complete": "Milestones complete", "milestones_in_plan": "Milestones in plan",
    "milestones_overdue": "Milestones overdue", "milestones_due_soon": f"Milestones due in next {DUE_SOON_DAYS} days",
    "open_risks": "Open risks", "open_high_risks": "Open high risks",
    "savings_planned_to_date_gbp": "Savings planned to date (GBP)",
    "savings_delivered_to_date_gbp": "Savings delivered to date (GBP)",
    "income_to_date_gbp": "Income to date (GBP)",
    "no_detriment_indicators": "No-detriment indicators", "no_detriment_concerns": "No-detriment concerns",
    "latest_ofsted_judgement": "Latest Ofsted judgement", "latest_ofsted_date": "Latest Ofsted inspection",
    "latest_ofsted_framework": "Latest Ofsted framework", "latest_ofsted_areas": "Latest Ofsted judgement areas",
    "dfe_intervention": "DfE intervention",
    "next_key_date": "Next key date", "next_key_date_title": "Next key date title",
}


def headline_row(f: ProgrammeFacts) -> dict:
    """One programme's headline figures as plain values (numbers as numbers, dates as dates)."""
    nxt = f.key_dates.next_date
    return {
        "programme": f.programme_name, "programme_id": f.programme_id, "kind": f.kind, "status": f.status,
        "as_at": f.as_at, "overall_status": f.rag,
        "milestones_complete": f.milestones.complete, "milestones_in_plan": f.milestones.in_plan,
        "milestones_overdue": f.milestones.overdue, "milestones_due_soon": f.milestones.due_soon,
        "open_risks": f.risks.open, "open_high_risks": f.risks.high,
        "savings_planned_to_date_gbp": f.savings.planned_to_date,
        "savings_delivered_to_date_gbp": f.savings.delivered_to_date,
        "income_to_date_gbp": f.savings.income_to_date,
        "no_detriment_indicators": len(f.no_detriment.indicators), "no_detriment_concerns": f.no_detriment.concerns,
        "latest_ofsted_judgement": f.ofsted.judgement if f.ofsted.has_inspection else None,
        "latest_ofsted_date": f.ofsted.inspected, "latest_ofsted_framework": f.ofsted.framework_version,
        "latest_ofsted_areas": f.ofsted.area_grades or None,
        "dfe_intervention": f.interventions.status if f.interventions is not None else None,
        "next_key_date": nxt.due if nxt else None, "next_key_date_title": nxt.title if nxt else None,
    }


def headline_table(facts: list[ProgrammeFacts]) -> pd.DataFrame:
    """Every programme's headline figures, one row each, with human column names."""
    frame = pd.DataFrame([headline_row(f) for f in facts], columns=list(HEADLINE_COLUMNS))
    for column in ("as_at", "latest_ofsted_date", "next_key_date"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    for column in ("savings_planned_to_date_gbp", "savings_delivered_to_date_gbp", "income_to_date_gbp"):
        frame[column] = pd.to_numeric(frame[column]).round(2)
    return frame.rename(columns=HEADLINE_COLUMNS)
