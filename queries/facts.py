"""The named queries every programme's headline facts are computed from (monitor.overview.facts), in
one place: the app reads them through its cache (ui.facts), `make figures` straight from the database."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import pandas as pd

# programme_facts' keyword → (query name, whether it takes $as_at and $today)
FACT_QUERIES = {
    "milestones": ("milestones/all", False),
    "milestone_snapshots": ("milestones/snapshots_as_at", True),
    "risks": ("risks/all", False),
    "risk_snapshots": ("risks/snapshots_as_at", True),
    "savings": ("savings/all", False),
    "no_detriment_values": ("no_detriment/values", False),
    "grades": ("ofsted/supported_council_grades", False),
    "key_dates": ("calendar/key_dates", False),
    "interventions": ("ofsted/supported_council_interventions", False),
    "parties": ("programmes/party_councils", False),
}


def fact_requests(today: dt.date, as_at: dt.date | None = None, programme_id: str | None = None,
                  frames: Iterable[str] | None = None) -> dict[str, tuple[str, dict]]:
    """programme_facts' frames for facts as at `as_at` (default today), as `{keyword: (query name,
    params)}`: every programme's rows, or only `programme_id`'s (each query's optional parameter) for
    one programme's facts, which a domain page then need not wait for every programme's rows to read;
    every frame, or only those named in `frames` (a domain's, monitor.overview.facts.DOMAIN_FRAMES)."""
    dates = {"as_at": as_at or today, "today": today}
    one = {"programme_id": programme_id} if programme_id else {}
    wanted = FACT_QUERIES if frames is None else {arg: FACT_QUERIES[arg] for arg in frames}
    return {arg: (name, {**(dates if dated else {}), **one}) for arg, (name, dated) in wanted.items()}


def fact_frames(read: Callable[..., pd.DataFrame], today: dt.date, as_at: dt.date | None = None,
                programme_id: str | None = None, frames: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """`fact_requests`' frames, each read with `read(name, **params)`."""
    return {arg: read(name, **params) for arg, (name, params) in fact_requests(today, as_at, programme_id, frames).items()}
