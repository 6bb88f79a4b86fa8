"""The Options appraisal page's view: whose weights there are (each council's, and an illustrative
mean when there are several), each one's weighted totals, and the what-if verdict in words. The
page reads widgets and draws; these are its rules."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from monitor.appraisal.scoring import combined_weights, weighted_totals
from monitor.appraisal.wording import preferred

# Not the agreed weighting (reached by consensus at a joint meeting, 003 §9; the minutes do not give it):
# a mean of the councils' weights, shown to illustrate, and named so.
COMBINED = "Both councils combined (illustrative mean)"
# What the appraisal's downloads come from (monitor.tidy.Origin), followed by the appraisal's own source.
SOURCE = "the options appraisal's ratings, weights, criteria and options as recorded in Improvement Monitor"


@dataclass(frozen=True)
class Weighed:
    """Each set of weights by whose they are (councils first, then the illustrative mean), and the
    weighted totals of every option under each."""

    councils: tuple[str, ...]
    weights_by: Mapping[str, pd.DataFrame]
    totals_by: Mapping[str, pd.DataFrame]


def weigh(ratings: pd.DataFrame, weights: pd.DataFrame) -> Weighed:
    """`ratings` (option, criterion, rating) and `weights` (council_name, criterion, weight)."""
    councils = tuple(dict.fromkeys(weights["council_name"]))
    weights_by = {c: weights[weights["council_name"] == c][["criterion", "weight"]] for c in councils}
    if len(councils) > 1:
        combined = combined_weights(weights.rename(columns={"council_name": "council"})[["criterion", "council", "weight"]])
        weights_by[COMBINED] = combined[["criterion", "weight"]]
    return Weighed(councils, weights_by, {who: weighted_totals(ratings, w) for who, w in weights_by.items()})


def flip_hint(row: Mapping) -> str:
    """What a criterion's slider says: the weights at which another option would be preferred."""
    parts = (
        f"{row['increase_new_leader']} preferred from {row['increase_weight']:g}"
        if row["increase_weight"] == row["increase_weight"] else "",
        f"{row['decrease_new_leader']} preferred at {row['decrease_weight']:g} or less"
        if row["decrease_weight"] == row["decrease_weight"] else "",
    )
    return "; ".join(p for p in parts if p) or "no change within the range"


@dataclass(frozen=True)
class WhatIf:
    """The totals with the moved weights, and what changed, in words."""

    totals: pd.DataFrame
    moved: tuple[str, ...]
    before: tuple[str, ...]
    after: tuple[str, ...]

    @property
    def changes(self) -> bool:
        return bool(self.moved) and self.after != self.before

    def sentence(self, who: str) -> tuple[str, str]:
        """The verdict as (text before the emphasised word, the rest); the word is " changes " when
        the preferred option changes, else empty."""
        now = ", ".join(self.before)
        if not self.moved:
            return f"These are {who}'s own weights: the preferred option is {now}.", ""
        if not self.changes:
            return f"With {'; '.join(self.moved)}, the preferred option is unchanged: {now}.", ""
        tie = " (a tie)" if len(self.after) > 1 else ""
        return (f"With {'; '.join(self.moved)}, the preferred option",
                f"from {now} to {' and '.join(self.after)}{tie}.")


def what_if(ratings: pd.DataFrame, current: pd.Series, chosen: Mapping[str, float]) -> WhatIf:
    """`current`: weight by criterion as set; `chosen`: the sliders' weights by criterion."""
    moved_weights = current.rename("weight").reset_index().assign(weight=[chosen[c] for c in current.index])
    after = weighted_totals(ratings, moved_weights)
    moved = tuple(f"{c} {current[c]:g} → {chosen[c]:g}" for c in current.index if chosen[c] != current[c])
    before = tuple(preferred(weighted_totals(ratings, current.rename("weight").reset_index())))
    return WhatIf(after, moved, before, tuple(preferred(after)))
