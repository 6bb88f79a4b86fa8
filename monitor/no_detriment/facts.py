"""The no-detriment headline facts for a programme as at a date — one definition, rendered by the
Overview card and status, the No-detriment page, the quarterly report (screen and Word), the
headline-figures CSV and `make figures`. Each indicator's verdict is `monitor.no_detriment.verdicts`'
rule, judged on the points published up to the as-at date (a closed programme: up to its closing
date). Only *Concern now* counts as a concern; earlier concerns are named with their periods."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from monitor.formatting import counted
from monitor.no_detriment.verdicts import CONCERN_NOW, NO_DATA, VERDICTS, Judgement, verdicts
from monitor.no_detriment.wording import list_labels
from monitor.programme import rows_as_at
from monitor.values import day_column

# What the no-detriment indicators' downloads come from (monitor.tidy.Origin).
SOURCE = ("DfE's published children's social care statistics for the lending council, its statistical "
          "neighbours and England (the no-detriment lines are illustrative)")


@dataclass(frozen=True)
class IndicatorVerdict:
    indicator_id: str
    name: str
    council: str
    verdict: str  # a key of VERDICTS
    concern_labels: tuple[str, ...] = ()  # the periods that were special causes of concern

    @property
    def word(self) -> str:
        return VERDICTS.get(self.verdict, (self.verdict, ""))[0]

    @property
    def concern_now(self) -> bool:
        return self.verdict == CONCERN_NOW

    @property
    def earlier_concern(self) -> bool:
        """A special cause of concern happened, but the indicator is not of concern now."""
        return not self.concern_now and bool(self.concern_labels)

    @property
    def named(self) -> str:
        """'Average caseload (Sep 2020)': an earlier concern with its periods."""
        return f"{self.name} ({list_labels(self.concern_labels)})" if self.concern_labels else self.name


@dataclass(frozen=True)
class NoDetrimentFacts:
    as_at: dt.date
    indicators: tuple[IndicatorVerdict, ...] = field(default_factory=tuple)

    @property
    def concerns(self) -> int:
        """Indicators of concern now — the only ones that count as of concern."""
        return sum(1 for i in self.indicators if i.concern_now)

    @property
    def concern_names(self) -> list[str]:
        return [i.name for i in self.indicators if i.concern_now]

    @property
    def earlier(self) -> list[IndicatorVerdict]:
        """Indicators with an earlier concern, since recovered (named with their periods)."""
        return [i for i in self.indicators if i.earlier_concern]

    @property
    def councils(self) -> str:
        return ", ".join(sorted({i.council for i in self.indicators}))

    @property
    def concerns_of(self) -> str:
        """'1 of 5' (indicators of concern now of all the programme's no-detriment indicators)."""
        return f"{self.concerns} of {len(self.indicators)}"

    def sentence(self) -> str:
        if not self.indicators:
            return "No no-detriment indicators for this programme"
        of_council = f"{counted(len(self.indicators), 'indicator')} of {self.councils}"
        if self.concerns:
            text = f"Concern now: {self.concerns} of {of_council} ({', '.join(self.concern_names)})"
        else:
            text = f"No concern now in any of the {of_council}"
        if self.earlier:
            text += f"; earlier concern, since recovered: {'; '.join(i.named for i in self.earlier)}"
        return text


def concern_now(facts: NoDetrimentFacts) -> list[IndicatorVerdict]:
    """The indicators of concern now — what the overall status and the delivery-confidence proposal
    count (one rule: monitor.no_detriment.verdicts)."""
    return [i for i in facts.indicators if i.concern_now]


def no_detriment_facts(values: pd.DataFrame, as_at: Mapping[str, dt.date]) -> dict[str, NoDetrimentFacts]:
    """NoDetrimentFacts for every programme in `as_at`, from the rows of query no_detriment/values
    (or a report's frame with the same columns)."""
    frame, cut = rows_as_at(values, as_at)
    judged = frame.loc[day_column(frame, "period_end_date").to_numpy() <= cut]
    found: dict[tuple, Judgement] = verdicts(judged)
    # Each indicator's first row, found where the indicator changes (the rows come by indicator; a frame
    # in any other order still lists each once): a frame of rows per indicator, without pandas' sort.
    ids = frame["indicator_id"].to_numpy()
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else np.array([], dtype=int)
    first: dict[tuple, tuple] = {}
    for pid, iid, name, council in zip(*(frame[c].to_numpy()[starts].tolist() for c in
                                         ("programme_id", "indicator_id", "indicator_name", "authority_name"))):
        first.setdefault((pid, iid), (name, council))
    indicators: dict[str, list[IndicatorVerdict]] = {}
    for (pid, iid), (name, council) in sorted(first.items()):
        j = found.get((pid, iid), Judgement(NO_DATA))
        indicators.setdefault(pid, []).append(
            IndicatorVerdict(str(iid), str(name), str(council), j.verdict, j.concern_labels))
    return {pid: NoDetrimentFacts(on, tuple(indicators.get(pid, []))) for pid, on in as_at.items()}
