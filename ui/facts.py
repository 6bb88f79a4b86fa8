"""Every programme's headline facts as at today (monitor.overview.facts), computed once per data
version and day and shared read-only: the Overview's cards and table and each domain page's headline
read the very same objects, so they cannot disagree."""
from __future__ import annotations

import datetime as dt

from monitor import clock
from monitor.overview.facts import ProgrammeFacts, programme_facts
from queries.facts import fact_frames
from ui.data import query, shared


def _all_facts(day: dt.date) -> dict[str, ProgrammeFacts]:
    facts = programme_facts(query("programmes/all"), today=day, **fact_frames(query, day))
    return {f.programme_id: f for f in facts}


def all_facts() -> dict[str, ProgrammeFacts]:
    return shared(_all_facts, clock.today())


def facts_of(programme_id: str) -> ProgrammeFacts:
    return all_facts()[programme_id]
