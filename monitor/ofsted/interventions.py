"""DfE's intervention in a programme's supported council as at a date — one definition, rendered by the
Overview card (a line), the headline-figures CSV and `make figures`: the events of the intervention
register known by then (improvement notices, statutory directions issued, revised and lifted,
commissioner and adviser appointments, reviews, revocation), what is in force, and the latest event
with its published document (query ofsted/supported_council_interventions)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from monitor.formatting import counted, format_date
from monitor.programme import rows_as_at
from monitor.values import as_date, day_column, records_by, sorted_rows, text_or_none

DIRECTION, NOTICE = "statutory direction", "improvement notice"
APPOINTED = ("commissioner appointed", "improvement adviser appointed")


@dataclass(frozen=True)
class InterventionEvent:
    date: dt.date
    kind: str
    summary: str
    document: str | None = None   # the published document's web address


@dataclass(frozen=True)
class InterventionFacts:
    as_at: dt.date
    council: str | None = None
    events: tuple[InterventionEvent, ...] = field(default_factory=tuple)   # known by as_at, oldest first

    @property
    def latest(self) -> InterventionEvent | None:
        return self.events[-1] if self.events else None

    def _of(self, what: str) -> list[InterventionEvent]:
        return [e for e in self.events if e.kind.startswith(what)]

    @property
    def in_force(self) -> tuple[str, ...]:
        """The statutory direction and improvement notice in force as at the date (none lifted or
        revoked after its latest issue or revision)."""
        out = []
        for what, ended in ((DIRECTION, "lifted"), (NOTICE, "revoked")):
            mine = self._of(what)
            if mine and not mine[-1].kind.endswith(ended):
                out.append(what)
        return tuple(out)

    @property
    def status(self) -> str:
        """The headline in a few words: 'statutory direction in force', 'statutory direction lifted
        on 11 May 2023', 'improvement notice revoked on …', 'commissioner appointed on …' or 'none recorded'."""
        if not self.events:
            return "none recorded"
        if self.in_force:
            return " and ".join(f"{what} in force" for what in self.in_force)
        for what in (DIRECTION, NOTICE):
            mine = self._of(what)
            if mine:
                return f"{mine[-1].kind} on {format_date(mine[-1].date)}"
        return f"{self.latest.kind} on {format_date(self.latest.date)}"

    def _history(self, what: str, ended: str) -> str | None:
        mine = self._of(what)
        if not mine:
            return None
        issued = [e for e in mine if e.kind.endswith("issued")]
        revised = [e for e in mine if e.kind.endswith("revised")]
        parts = [f"{what} issued {format_date(issued[0].date)}" if issued else what]
        if revised:
            parts.append(f"revised {counted(len(revised), 'time')} (last {format_date(revised[-1].date)})")
        if mine[-1].kind.endswith(ended):
            parts.append(f"{ended} {format_date(mine[-1].date)}")
        else:
            parts.append("in force")
        return ", ".join(parts)

    def sentence(self) -> str:
        """'statutory direction issued 4 Jun 2019, revised 3 times (last 31 Mar 2022), lifted 11 May
        2023; commissioner appointed 1 May 2019 and 3 Feb 2020 — 7 events in DfE's intervention
        register for West Sussex.'"""
        if not self.events:
            return "No DfE intervention recorded."
        parts = [p for p in (self._history(DIRECTION, "lifted"), self._history(NOTICE, "revoked")) if p]
        for kind in APPOINTED:
            dates = [format_date(e.date) for e in self.events if e.kind == kind]
            if dates:
                parts.append(f"{kind} {' and '.join(dates) if len(dates) <= 2 else ', '.join(dates)}")
        reviews = [e for e in self.events if e.kind.startswith("review")]
        if reviews:
            parts.append(f"{reviews[-1].kind} {format_date(reviews[-1].date)}")
        text = "; ".join(parts) or f"{self.latest.kind} {format_date(self.latest.date)}"
        return (f"{text[:1].upper()}{text[1:]} — {counted(len(self.events), 'event')} in DfE's intervention register"
                + (f" for {self.council}." if self.council else "."))


def intervention_facts(events: pd.DataFrame | None,
                       as_at: Mapping[str, dt.date]) -> dict[str, InterventionFacts | None]:
    """InterventionFacts for every programme in `as_at`, from query ofsted/supported_council_interventions
    (one row per programme per event of its supported council): the events on or before its date.
    None for every programme when no frame is given (the register was not read)."""
    if events is None:
        return {pid: None for pid in as_at}
    out = {pid: InterventionFacts(on) for pid, on in as_at.items()}
    if events.empty:
        return out
    frame, cut = rows_as_at(events, as_at)
    frame = frame.loc[day_column(frame, "event_date").to_numpy() <= cut]
    sort = ["programme_id", "event_date"] + (["event_id"] if "event_id" in frame else [])
    for pid, rows in records_by(sorted_rows(frame, sort), "programme_id").items():
        found = tuple(InterventionEvent(as_date(r["event_date"]), str(r["kind"]), str(r["summary"]),
                                        url if (url := text_or_none(r.get("document_url"))) and url.startswith("https://")
                                        else None)
                      for r in rows)
        out[pid] = InterventionFacts(as_at[pid], str(rows[0]["authority_name"]), found)
    return out
