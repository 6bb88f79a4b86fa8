"""Programmes' headline facts as at today (monitor.overview.facts), computed once per data version
and day and shared read-only. The Overview's cards and table read every programme's; each domain
page's headline reads its programme's facts of its own domain, computed by the same functions from
the same queries' rows of that programme (the consistency tests hold them equal). Every programme's
rows are read side by side and uncached: the facts are kept per data version themselves, so caching
the rows too would only copy them (16 MB and about 25 ms of pickling on the national database); one
programme's go through the query cache, where its page reads the same rows."""
from __future__ import annotations

import datetime as dt

from monitor import clock
from monitor.overview.facts import ProgrammeFacts, facts_from_frames, headline_frames, one_programme_facts
from monitor.programme import closed_by_programme
from queries.facts import fact_requests
from queries.loader import run_side_by_side
from ui.data import query, query_many, shared, start_shared


def _all_facts(day: dt.date) -> dict[str, ProgrammeFacts]:
    # Each domain's facts are computed as its rows arrive, while the next domains' are read.
    facts = facts_from_frames(query("programmes/all"), run_side_by_side(fact_requests(day)), today=day)
    return {f.programme_id: f for f in facts}


def all_facts() -> dict[str, ProgrammeFacts]:
    return shared(_all_facts, clock.today())


def start_all_facts() -> None:
    """Begin `all_facts` on a thread of its own (ui.data.start_shared): the Overview asks first, and
    draws its filters and heading while the facts' rows are read."""
    start_shared(_all_facts, clock.today())


def facts_reads(programme_id: str, *domains: str) -> dict[str, tuple[str, dict]]:
    """The named queries `facts_of(programme_id, *domains)` reads, `{keyword: (name, params)}`: for a
    view that reads them side by side with its own (ui.data.query_many), so the facts find them kept.
    Kept per data version (a page asks on every rerun); read-only."""
    return shared(_reads, programme_id, tuple(domains), clock.today())


def _reads(programme_id: str, domains: tuple[str, ...], day: dt.date) -> dict[str, tuple[str, dict]]:
    programmes = query("programmes/all")
    closed = closed_by_programme(programmes[programmes["programme_id"] == programme_id], day).get(programme_id)
    return fact_requests(day, programme_id=programme_id, frames=headline_frames(domains, closed=closed is not None))


def _facts_of(programme_id: str, domains: tuple[str, ...], day: dt.date) -> ProgrammeFacts:
    # Through the query cache: the page reads the same rows of its programme (milestones/all, risks/all).
    return one_programme_facts(query("programmes/all"), programme_id, today=day,
                               **query_many(_reads(programme_id, domains, day)))


def facts_of(programme_id: str, *domains: str) -> ProgrammeFacts:
    """One programme's facts for a domain page: those of `domains` (monitor.overview.facts.DOMAIN_FRAMES;
    none for a page that needs only the date its figures are as at), the others None. Read from the
    programme's own rows, so a page opened after a change waits for neither every programme nor
    every domain."""
    return shared(_facts_of, programme_id, tuple(domains), clock.today())
