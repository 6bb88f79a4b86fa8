"""How each headline fact reads as a metric (label, value, help): one wording, used by the Overview's
cards and by every domain page's headline row, so the same fact reads the same wherever it is shown."""
from __future__ import annotations

from dataclasses import dataclass

from monitor.formatting import counted, format_date, format_money
from monitor.milestones.facts import DUE_SOON_DAYS
from monitor.overview.facts import ProgrammeFacts
from monitor.risks.rules import HIGH_SCORE


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str | None = None


def _milestones_complete(f: ProgrammeFacts) -> Metric:
    m = f.milestones
    apart = [f"{counted(m.dropped, 'dropped milestone')}, which will never complete" if m.dropped else "",
             m.council_text]
    apart = [a for a in apart if a]
    return Metric("Milestones complete", m.complete_of, f"Not counting {' nor '.join(apart)}." if apart else None)


def _overdue(f: ProgrammeFacts) -> Metric:
    m = f.milestones
    return Metric("Overdue", m.overdue_text,
                  f"{counted(m.open_at_close, 'milestone')} not delivered when the programme closed; nothing counts "
                  "as overdue after a programme has closed." if m.closed_on else
                  "Milestones due before today (their forecast date, or baseline date if none) and not complete.")


def _due_soon(f: ProgrammeFacts) -> Metric:
    return Metric(f"Due in next {DUE_SOON_DAYS} days", f"{f.milestones.due_soon:,}",
                  "None once the programme has closed." if f.milestones.closed_on else None)


def _high_risks(f: ProgrammeFacts) -> Metric:
    return Metric("Open high risks", f"{f.risks.high:,}",
                  f"Open risks scoring {HIGH_SCORE} or more (likelihood × impact): the High and Very high bands.")


def _savings(f: ProgrammeFacts) -> Metric:
    s = f.savings
    if s.planned_to_date is None:
        return Metric("Savings delivered to date", "–", s.sentence())
    share = f" ({s.delivery_share:.0%})" if s.delivery_share is not None else ""
    return Metric("Savings delivered to date", f"{format_money(s.delivered_to_date)} of {format_money(s.planned_to_date)}",
                  f"Delivered against planned in the financial years to {s.financial_year} that have a delivered "
                  f"figure{share}. Income is not a saving and is not included.")


def _concerns(f: ProgrammeFacts) -> Metric:
    nd = f.no_detriment
    return Metric("No-detriment concerns", nd.concerns_of if nd.indicators else "–", nd.sentence())


def _ofsted(f: ProgrammeFacts) -> Metric:
    """The overall grade; under a framework without one (ILACS 2026) 'No overall judgement', its
    judgement areas' grades in the help."""
    o = f.ofsted
    return Metric("Latest Ofsted judgement", o.judgement, o.latest if o.has_inspection else None)


HEADLINES = {
    "milestones_complete": _milestones_complete, "milestones_due_soon": _due_soon,
    "milestones_overdue": _overdue, "open_high_risks": _high_risks, "savings_delivered": _savings,
    "no_detriment_concerns": _concerns, "latest_ofsted": _ofsted,
}


def metrics(f: ProgrammeFacts, *keys: str) -> list[Metric]:
    return [HEADLINES[k](f) for k in keys]


def as_at_caption(f: ProgrammeFacts) -> str:
    """'As at 4 Dec 2026' or 'As at the programme's close on 30 Sep 2023 (as reported on 30 Sep 2023)'."""
    if f.closed_on:
        return f"As at the programme's close on {format_date(f.closed_on)} ({f.milestones.basis})"
    return f"As at {format_date(f.as_at)}"
