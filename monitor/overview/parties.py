"""A programme's parties as its headline facts: who is in it and as what (the Overview card's
"Parties"), and the councils that end — which of its parties have been abolished (the authority
table's abolition date and successor) and which are to be, by a published or proposed vesting day
(the reorganisation reference table) — rendered by the Overview card and the Action plan (query
programmes/party_councils)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from monitor.formatting import format_date
from monitor.values import as_date, records_by, text_or_none


@dataclass(frozen=True)
class EndedParty:
    name: str
    role: str
    abolished: dt.date
    successor: str | None = None


@dataclass(frozen=True)
class VestingParty:
    name: str
    vesting: dt.date
    status: str                   # 'published' or 'proposed'
    successor: str | None = None


@dataclass(frozen=True)
class PartyFacts:
    closed_on: dt.date | None = None
    ended: tuple[EndedParty, ...] = field(default_factory=tuple)      # abolished on or before the date
    ending: tuple[VestingParty, ...] = field(default_factory=tuple)   # a vesting day after it
    # 'West Sussex (supported council)', 'East Sussex (improvement partner, lending)': by role, then name
    members: tuple[str, ...] = field(default_factory=tuple)

    @property
    def any(self) -> bool:
        return bool(self.ended or self.ending)

    def sentence(self) -> str:
        """'South Somerset and Sedgemoor were abolished on 1 Apr 2023, after the programme closed;
        their area is now served by Somerset. West Sussex: vesting day 1 Apr 2028 (proposed).'"""
        out = []
        groups: dict[tuple, list[EndedParty]] = {}
        for p in self.ended:
            groups.setdefault((p.abolished, p.successor), []).append(p)
        for (when, successor), parties in groups.items():
            one = len(parties) == 1
            text = f"{_names(parties)} {'was' if one else 'were'} abolished on {format_date(when)}"
            if self.closed_on and when > self.closed_on:
                text += ", after the programme closed"
            if successor:
                text += f"; {'its' if one else 'their'} area is now served by {successor}"
            out.append(text + ".")
        coming: dict[tuple, list[VestingParty]] = {}
        for p in self.ending:
            coming.setdefault((p.vesting, p.status, p.successor), []).append(p)
        for (when, status, successor), parties in coming.items():
            text = f"{_names(parties)}: vesting day {format_date(when)} ({status}"
            out.append(text + (f"; to be replaced by {successor})." if successor else ")."))
        return " ".join(out)


def _names(parties) -> str:
    names = [p.name for p in parties]
    return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + f" and {names[-1]}"


def party_facts(parties: pd.DataFrame | None, as_at: Mapping[str, dt.date],
                closed_on: Mapping[str, dt.date | None], today: dt.date) -> dict[str, PartyFacts]:
    """PartyFacts for every programme in `as_at`: abolitions on or before its date (a closed
    programme's: today, so its card says what became of its councils since), and the next vesting
    day of each party still to come."""
    out = {pid: PartyFacts(closed_on.get(pid)) for pid in as_at}
    if parties is None or parties.empty:
        return out
    frame = parties.loc[parties["programme_id"].isin(list(as_at))]
    for pid, rows in records_by(frame, "programme_id").items():
        members = tuple(f"{r['authority_name']} ({r['role']}{', lending' if r.get('is_lending') else ''})"
                        for r in sorted(rows, key=lambda r: (str(r["role"]), str(r["authority_name"]))))
        closed = closed_on.get(pid)
        until = today if closed else as_at[pid]
        ended, ending, seen = [], [], set()
        for r in rows:
            if r["ons_code"] in seen:   # a council with two roles is one council
                continue
            seen.add(r["ons_code"])
            abolished = as_date(r.get("abolished_date"))
            vesting = as_date(r.get("vesting_date"))
            if abolished is not None and abolished <= until:
                ended.append(EndedParty(str(r["authority_name"]), str(r["role"]), abolished,
                                        text_or_none(r.get("successor_name"))))
            elif vesting is not None and vesting > until and not closed:
                ending.append(VestingParty(str(r["authority_name"]), vesting, str(r["vesting_status"]),
                                           text_or_none(r.get("vesting_successor"))))
        out[pid] = PartyFacts(closed, tuple(sorted(ended, key=lambda p: (p.abolished, p.name))),
                              tuple(sorted(ending, key=lambda p: (p.vesting, p.name))), members)
    return out
