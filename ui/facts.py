"""Every programme's headline facts as at today (monitor.overview.facts), computed once per data
version and day and shared read-only: the Overview's cards and table and each domain page's headline
read the very same objects, so they cannot disagree."""
from __future__ import annotations

import datetime as dt

from monitor import clock
from monitor.overview.facts import ProgrammeFacts, programme_facts
from ui.data import query, shared


def _all_facts(day: dt.date) -> dict[str, ProgrammeFacts]:
    facts = programme_facts(
        query("programmes/all"), today=day,
        milestones=query("milestones/all"), milestone_snapshots=query("milestones/snapshots_at_close", today=day),
        risks=query("risks/all"), risk_snapshots=query("risks/snapshots_at_close", today=day),
        savings=query("savings/all"), no_detriment_values=query("no_detriment/values"),
        grades=query("ofsted/supported_council_overall_grades"), key_dates=query("calendar/key_dates"))
    return {f.programme_id: f for f in facts}


def all_facts() -> dict[str, ProgrammeFacts]:
    return shared(_all_facts, clock.today())


def facts_of(programme_id: str) -> ProgrammeFacts:
    return all_facts()[programme_id]
