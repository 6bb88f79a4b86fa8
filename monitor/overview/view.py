"""What the Overview draws: one card per programme, worst first, and the headline-figures table of
every programme — both rendered from the same `ProgrammeFacts` (monitor.overview.facts)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from monitor.overview.facts import ProgrammeFacts, headline_table, order_worst_first


@dataclass(frozen=True)
class Card:
    facts: ProgrammeFacts
    legal_basis: str | None
    parties: tuple[str, ...]   # 'West Sussex (supported council)', 'East Sussex (improvement partner, lending)'


@dataclass(frozen=True)
class OverviewView:
    cards: tuple[Card, ...]     # worst first
    table: pd.DataFrame         # the headline figures, in the cards' order


def build_view(programmes: pd.DataFrame, facts: Mapping[str, ProgrammeFacts]) -> OverviewView:
    """The cards and table of `programmes`, from every programme's facts (monitor.overview.facts)."""
    facts = order_worst_first([facts[p] for p in programmes["programme_id"]])
    basis = dict(zip(programmes["programme_id"], programmes["legal_basis"]))
    cards = tuple(Card(f, basis.get(f.programme_id), f.parties.members) for f in facts)
    return OverviewView(cards, headline_table(list(facts)))


def filter_programmes(programmes: pd.DataFrame, kinds: list[str], statuses: list[str]) -> pd.DataFrame:
    out = programmes
    if kinds:
        out = out[out["kind"].isin(kinds)]
    if statuses:
        out = out[out["status"].isin(statuses)]
    return out
