"""How robust the preferred option is: the weight change at which another option comes out on top."""
from __future__ import annotations

import numpy as np
import pandas as pd

from monitor.appraisal.scoring import TIE_TOLERANCE, _matrix, _weights_frame, weighted_totals


def what_if(ratings: pd.DataFrame, weights: pd.DataFrame, criterion: str, new_weight: float) -> pd.DataFrame:
    """``weighted_totals`` with one criterion's weight replaced: the what-if slider on the page."""
    frame = _weights_frame(weights)
    if new_weight < 0:
        raise ValueError("weights cannot be negative")
    if criterion not in set(frame["criterion"]):
        raise ValueError(f"no weight for criterion {criterion!r}")
    frame.loc[frame["criterion"] == criterion, "weight"] = float(new_weight)
    return weighted_totals(ratings, frame)


def _first_flip(totals: np.ndarray, scores_c: np.ndarray, sign: int, limit: float, options: list[str]) -> tuple[float, str | None]:
    """The smallest Δ in [0, limit] for which moving this weight by sign·Δ changes the set of
    top-ranked options, and the option that joins the top there; (NaN, None) if none does.

    Totals are linear in each weight: T_i(Δ) = T_i + sign·s_i·Δ. Leaders (all tied at the top)
    move together only if they share the same score on this criterion; if they don't, any move at
    all splits the tie, so the answer is 0 (the infimum: the top changes for every Δ > 0).
    Otherwise option j reaches the leaders at Δ_j = (T_lead − T_j) / (sign·(s_j − s_lead)), for
    those j whose slope relative to the leaders is positive.
    """
    top = totals.max()
    leaders = totals >= top - TIE_TOLERANCE
    if limit <= 0:
        return float("nan"), None
    lead_scores = scores_c[leaders]
    if lead_scores.max() - lead_scores.min() > TIE_TOLERANCE:
        # Tied top, and the tied options score differently here: any move breaks the tie.
        lead_idx = np.flatnonzero(leaders)
        gaining = lead_idx[np.argmax(sign * scores_c[lead_idx])]
        return 0.0, options[gaining]
    s_lead = lead_scores[0]
    best, who = float("inf"), None
    for j in np.flatnonzero(~leaders):
        slope = sign * (scores_c[j] - s_lead)
        if slope <= 0:
            continue
        delta = (top - totals[j]) / slope
        if delta < best or (delta == best and who is not None and options[j] < who):
            best, who = delta, options[j]
    if who is None:
        return float("nan"), None
    if best > limit:
        # Allow float noise at the bound: a tie reached exactly at weight 0 still counts.
        at_limit = totals + sign * scores_c * limit
        if at_limit[options.index(who)] < at_limit[leaders].max() - TIE_TOLERANCE:
            return float("nan"), None
        best = limit
    return float(best), who


def flip_details(ratings: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """``distance_to_flip`` with the working shown: per criterion, the current weight, the
    weight at which the preferred option changes in each direction, and which option takes over
    (or joins a tie) there. For the page's sentence "raising *Cost* from 3 to 5 makes *B*
    preferred"."""
    options, criteria, scores, weight_vec = _matrix(ratings, weights)
    columns = ["criterion", "weight", "increase_to_flip", "increase_weight", "increase_new_leader",
               "decrease_to_flip", "decrease_weight", "decrease_new_leader"]
    if not options or not criteria:
        return pd.DataFrame({c: pd.Series(dtype=float if "flip" in c or "weight" in c else object) for c in columns})
    totals = scores @ weight_vec
    rows = []
    for c, criterion in enumerate(criteria):
        w = float(weight_vec[c])
        up, up_who = _first_flip(totals, scores[:, c], +1, float("inf"), options)
        down, down_who = _first_flip(totals, scores[:, c], -1, w, options)
        rows.append({
            "criterion": criterion,
            "weight": w,
            "increase_to_flip": up,
            "increase_weight": w + up if not np.isnan(up) else float("nan"),
            "increase_new_leader": up_who,
            "decrease_to_flip": down,
            "decrease_weight": w - down if not np.isnan(down) else float("nan"),
            "decrease_new_leader": down_who,
        })
    return pd.DataFrame(rows, columns=columns)


def distance_to_flip(ratings: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """Per criterion, how far its weight must rise (``increase_to_flip``) or fall
    (``decrease_to_flip``), in weight units, before the preferred option changes; NaN where no
    change happens (rising: ever; falling: before the weight reaches 0).

    "Changes" means another option's total becomes ≥ the leader's: the tie point counts, since
    at a tie the appraisal no longer prefers the old leader. Solved exactly, not searched: totals
    are linear in each weight.

    When the top is already tied, there is no single preferred option: a criterion on which the
    tied options score differently reports 0 (any move of its weight picks one of them), and one
    on which they score the same reports how far until a further option joins them.
    """
    return flip_details(ratings, weights)[["criterion", "increase_to_flip", "decrease_to_flip"]]


def slider_limit(details: pd.DataFrame, floor: float = 10.0) -> float:
    """A what-if slider's top: high enough to reach every flip point, at least ``floor``."""
    reach = pd.to_numeric(details.get("increase_weight", pd.Series(dtype=float)), errors="coerce")
    current = pd.to_numeric(details.get("weight", pd.Series(dtype=float)), errors="coerce")
    top = max([floor, *reach.dropna().tolist(), *(current.dropna() * 2).tolist()])
    return float(np.ceil(top + 1))
