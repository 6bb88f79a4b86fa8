"""What the Options appraisal page says and tabulates: the preferred option in words, whether the
councils' weightings agree, the sensitivity sentences, the rating, weight and totals tables."""
from __future__ import annotations

from monitor.text import plain

from collections.abc import Mapping

import numpy as np
import pandas as pd

from monitor.appraisal.scoring import RATING_SCORES, _ratings_frame, _weights_frame


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def preferred(totals: pd.DataFrame) -> list[str]:
    """The top-ranked option(s): more than one when the top is tied (never broken silently)."""
    if totals.empty:
        return []
    return sorted(str(o) for o in totals.loc[totals["rank"] == 1, "option"])


def _names(options: list[str]) -> str:
    if len(options) <= 1:
        return "".join(options)
    return ", ".join(options[:-1]) + " and " + options[-1]


def describe_preference(who: str, totals: pd.DataFrame) -> str:
    """'Breckland: New local strategic partnership preferred (60, next Stand-alone 53).', or a tie."""
    top = preferred(totals)
    if not top:
        return f"{who}: no options are rated."
    lead = float(totals["total"].max())
    rest = totals[~totals["option"].isin(top)]
    after = f", next {rest.iloc[0]['option']} {_fmt(float(rest.iloc[0]['total']))}" if len(rest) else ""
    if len(top) > 1:
        return f"{who}: a tie at the top between {_names(top)} ({_fmt(lead)} each{after})."
    return f"{who}: {top[0]} preferred ({_fmt(lead)}{after})."


def agreement_sentence(totals_by_who: Mapping[str, pd.DataFrame]) -> str:
    """Whether every council's weights put the same option first (and the same option last)."""
    tops = {who: preferred(t) for who, t in totals_by_who.items() if len(t)}
    if not tops:
        return "No options are rated."
    bottoms = {who: sorted(str(o) for o in t.loc[t["rank"] == t["rank"].max(), "option"])
               for who, t in totals_by_who.items() if len(t)}
    first = next(iter(tops.values()))
    if all(top == first for top in tops.values()):
        text = f"Under every council's weights {_names(first)} ranks first"
    else:
        text = "The councils' weights disagree on the first place: " + "; ".join(
            f"{who} puts {_names(top)} first" for who, top in tops.items())
    last = next(iter(bottoms.values()))
    if all(b == last for b in bottoms.values()) and last != first:
        text += f", and {_names(last)} last"
    return text + "."


def rating_matrix(ratings: pd.DataFrame) -> pd.DataFrame:
    """Options down, criteria across, each cell the rating in words with its score: 'high (3)'.
    ``ratings`` has ``option``, ``criterion`` and ``rating`` (words) or ``score``."""
    frame = _ratings_frame(ratings)
    words = {v: k for k, v in RATING_SCORES.items()}
    frame["cell"] = frame["score"].map(lambda s: f"{words.get(int(s), '')} ({int(s)})".strip() if s == s else "")
    criteria = list(dict.fromkeys(frame["criterion"]))
    options = list(dict.fromkeys(frame["option"]))
    matrix = frame.pivot(index="option", columns="criterion", values="cell").reindex(index=options, columns=criteria)
    return matrix.fillna("not rated").rename_axis(index="Option", columns=None).reset_index()


def weight_matrix(weights_by_who: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Criteria down, one weight column per council (and 'combined'), in the councils' order."""
    columns = {}
    order: list[str] = []
    for who, frame in weights_by_who.items():
        w = _weights_frame(frame)
        order += [c for c in w["criterion"] if c not in order]
        columns[who] = w.set_index("criterion")["weight"]
    result = pd.DataFrame(columns).reindex(order)
    return result.rename_axis("Criterion").reset_index()


def totals_table(totals_by_who: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per option: each council's (and the combined) weighted total and rank, options in
    the order of the first council's ranking. Tied ranks read '1 (tied)'."""
    result = None
    order: list[str] = []
    for who, totals in totals_by_who.items():
        order += [str(o) for o in totals["option"] if str(o) not in order]
        counts = totals["rank"].value_counts()
        part = pd.DataFrame({
            "Option": totals["option"].astype(str),
            f"{who} total": totals["total"].astype(float),
            f"{who} rank": [f"{int(r)}{' (tied)' if counts[r] > 1 else ''}" for r in totals["rank"]],
        })
        result = part if result is None else result.merge(part, on="Option", how="outer", sort=False)
    if result is None:
        return pd.DataFrame({"Option": pd.Series(dtype=object)})
    # An outer merge sorts the keys: put the options back in the first council's ranking order.
    return result.set_index("Option").reindex(order).reset_index()


def flip_sentences(details: pd.DataFrame, preferred_now: list[str]) -> list[str]:
    """One sentence per criterion from ``flip_details``: how far its weight can move each way and
    what happens there; 'no change within the range' where nothing does."""
    sentences = []
    now = _names(preferred_now) or "the preferred option"
    for row in details.itertuples(index=False):
        parts = []
        if np.isnan(row.increase_to_flip):
            parts.append("raising it changes nothing (no change within the range)")
        elif row.increase_to_flip == 0:
            parts.append(f"any rise makes {row.increase_new_leader} preferred (the top is tied)")
        else:
            parts.append(f"raising it by {_fmt(row.increase_to_flip)} to {_fmt(row.increase_weight)} "
                         f"brings {row.increase_new_leader} level with {now}, and beyond that {row.increase_new_leader} is preferred")
        if np.isnan(row.decrease_to_flip):
            parts.append("lowering it, even to 0, changes nothing (no change within the range)")
        elif row.decrease_to_flip == 0:
            parts.append(f"any fall makes {row.decrease_new_leader} preferred (the top is tied)")
        else:
            parts.append(f"lowering it by {_fmt(row.decrease_to_flip)} to {_fmt(row.decrease_weight)} "
                         f"brings {row.decrease_new_leader} level with {now}")
        sentences.append(f"**{plain(row.criterion)}** (weight {_fmt(row.weight)}): " + plain("; ".join(parts)) + ".")
    return sentences


def sensitivity_summary(who: str, details: pd.DataFrame, preferred_now: list[str]) -> str:
    """One sentence over the tornado: how many criteria can change the result, and the nearest
    flip (the smallest move of any weight, either way) in full."""
    now = _names(preferred_now) or "the preferred option"
    if details.empty:
        return f"Under {who}'s weights there are no criteria to move."
    moves = []
    for row in details.itertuples(index=False):
        if not np.isnan(row.increase_to_flip):
            moves.append((row.increase_to_flip, f"raising {row.criterion} from {_fmt(row.weight)} to "
                          f"{_fmt(row.increase_weight)} brings {row.increase_new_leader} level with {now}", row.criterion))
        if not np.isnan(row.decrease_to_flip):
            moves.append((row.decrease_to_flip, f"lowering {row.criterion} from {_fmt(row.weight)} to "
                          f"{_fmt(row.decrease_weight)} brings {row.decrease_new_leader} level with {now}", row.criterion))
    if not moves:
        return (f"Under {who}'s weights no single weight can change the preferred option ({now}): "
                "no change within the range for any criterion.")
    count = len({m[2] for m in moves})
    nearest = min(moves, key=lambda m: m[0])
    return (f"Under {who}'s weights, {count} of {len(details)} criteria can change the preferred option "
            f"({now}); the nearest: {nearest[1]}.")
