"""Every programme's headline facts as at today (monitor.overview.facts), computed once per data
version and day and shared read-only. The Overview's cards and table read every programme's; each
domain page's headline reads its programme's, computed by the same function from the same rows
(the consistency tests hold them equal)."""
from __future__ import annotations

import datetime as dt

from monitor import clock
from monitor.overview.facts import ProgrammeFacts, one_programme_facts, programme_facts
from queries.facts import fact_frames
from ui.data import query, shared


def _all_facts(day: dt.date) -> dict[str, ProgrammeFacts]:
    facts = programme_facts(query("programmes/all"), today=day, **fact_frames(query, day))
    return {f.programme_id: f for f in facts}


def all_facts() -> dict[str, ProgrammeFacts]:
    return shared(_all_facts, clock.today())


def _facts_of(programme_id: str, day: dt.date) -> ProgrammeFacts:
    return one_programme_facts(query("programmes/all"), programme_id, today=day,
                               **fact_frames(query, day, programme_id=programme_id))


def facts_of(programme_id: str) -> ProgrammeFacts:
    """One programme's facts for its domain pages: computed from its own rows, read by the same
    queries and computed by the same function as every programme's (a page opened after a change
    need not wait for all of them)."""
    return shared(_facts_of, programme_id, clock.today())
