"""The no-detriment headline facts for a programme as at a date — one definition, rendered by the
Overview card, the No-detriment page, the quarterly report (screen and Word), the headline-figures CSV
and `make figures`. Each indicator's verdict is `monitor.no_detriment.verdicts`' rule, judged on the
points published up to the as-at date (a closed programme: up to its closing date)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from monitor.formatting import counted
from monitor.no_detriment.verdicts import VERDICTS, verdicts
from monitor.values import day, day_column

CONCERN = "concern"


@dataclass(frozen=True)
class IndicatorVerdict:
    indicator_id: str
    name: str
    council: str
    verdict: str  # a key of VERDICTS

    @property
    def word(self) -> str:
        return VERDICTS.get(self.verdict, (self.verdict, ""))[0]


@dataclass(frozen=True)
class NoDetrimentFacts:
    as_at: dt.date
    indicators: tuple[IndicatorVerdict, ...] = field(default_factory=tuple)

    @property
    def concerns(self) -> int:
        return sum(1 for i in self.indicators if i.verdict == CONCERN)

    @property
    def concern_names(self) -> list[str]:
        return [i.name for i in self.indicators if i.verdict == CONCERN]

    @property
    def councils(self) -> str:
        return ", ".join(sorted({i.council for i in self.indicators}))

    @property
    def concerns_of(self) -> str:
        """'2 of 5' (indicators of concern of all the programme's no-detriment indicators)."""
        return f"{self.concerns} of {len(self.indicators)}"

    def sentence(self) -> str:
        if not self.indicators:
            return "No no-detriment indicators for this programme"
        of_council = f"{counted(len(self.indicators), 'indicator')} of {self.councils}"
        if not self.concerns:
            return f"No sign of deterioration: {of_council} within their baseline limits"
        return (f"Concern: {self.concerns} of {of_council} worse since the partnership began "
                f"({', '.join(self.concern_names)})")


def no_detriment_facts(values: pd.DataFrame, as_at: Mapping[str, dt.date]) -> dict[str, NoDetrimentFacts]:
    """NoDetrimentFacts for every programme in `as_at`, from the rows of query no_detriment/values."""
    frame = values.loc[values["programme_id"].isin(list(as_at))]
    cut = frame["programme_id"].map({p: day(d) for p, d in as_at.items()}).astype("datetime64[us]")
    judged = frame.loc[(day_column(frame, "period_end_date") <= cut).to_numpy()]
    verdict = verdicts(judged)
    indicators: dict[str, list[IndicatorVerdict]] = {}
    for pid, iid, name, council in (frame.drop_duplicates(["programme_id", "indicator_id"])
                                    .sort_values(["programme_id", "indicator_id"])
                                    [["programme_id", "indicator_id", "indicator_name", "authority_name"]]
                                    .itertuples(index=False)):
        indicators.setdefault(pid, []).append(
            IndicatorVerdict(str(iid), str(name), str(council), verdict.get((pid, iid), "no_data")))
    return {pid: NoDetrimentFacts(on, tuple(indicators.get(pid, []))) for pid, on in as_at.items()}
