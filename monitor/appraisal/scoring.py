"""Options appraisal: ratings × political weights → weighted totals, and how robust the preferred
option is to the weights (seed 003, Breckland ↔ South Holland shared management review).

Each option is rated high/medium/low against each criterion (scored 3/2/1); each council sets a
weight per criterion; an option's weighted total is Σ score × weight over the criteria. Members
asked "how had the weightings been arrived at?" (003), so besides the totals this module answers
"how far would one weight have to move before a different option came out on top?".

Inputs are plain DataFrames:

- ``ratings``: ``option``, ``criterion``, ``score`` (1–3). For convenience ``option_id`` /
  ``criterion_id`` are accepted in place of ``option`` / ``criterion``, and a ``rating`` column of
  words (high/medium/low, plain strings or DuckDB's ordered Categorical) in place of ``score``.
- ``weights``: ``criterion``, ``weight`` (≥ 0), ``criterion_id`` accepted likewise.

A criterion that has ratings but no weight counts with weight 0; an option with no rating on a
criterion scores 0 there. Duplicate (option, criterion) ratings or duplicate criterion weights are
an error, because summing them silently would give a total nobody agreed.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from monitor.values import text_column

RATING_SCORES = {"high": 3, "medium": 2, "low": 1}


# Totals closer than this are a tie: float noise (0.1 + 0.2 ≠ 0.3) must not split a true tie.
TIE_TOLERANCE = 1e-9


# The flip definition, in one place so the page can quote it.
FLIP_RULE = (
    "The preferred option changes when another option's weighted total reaches the current "
    "leader's (a tie at the top counts as a change). Weights cannot go below 0."
)



def _ratings_frame(ratings: pd.DataFrame) -> pd.DataFrame:
    frame = ratings.copy()
    if "option" not in frame.columns and "option_id" in frame.columns:
        frame = frame.rename(columns={"option_id": "option"})
    if "criterion" not in frame.columns and "criterion_id" in frame.columns:
        frame = frame.rename(columns={"criterion_id": "criterion"})
    if "score" not in frame.columns and "rating" in frame.columns:
        frame["score"] = frame["rating"]
    missing = {"option", "criterion", "score"} - set(frame.columns)
    if missing:
        raise ValueError(f"ratings needs columns option, criterion, score; missing {sorted(missing)}")
    frame = frame[["option", "criterion", "score"]].copy()
    frame["option"] = text_column(frame["option"])
    frame["criterion"] = text_column(frame["criterion"])
    frame["score"] = _scores(frame["score"])
    dupes = frame.duplicated(["option", "criterion"], keep=False)
    if dupes.any():
        first = frame.loc[dupes].iloc[0]
        raise ValueError(f"option {first['option']!r} is rated more than once on criterion {first['criterion']!r}")
    return frame


def _scores(values: pd.Series) -> pd.Series:
    """Numbers pass through; the words high/medium/low become 3/2/1."""
    if isinstance(values.dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(values):
        words = text_column(values)
        numeric = pd.to_numeric(words, errors="coerce")
        mapped = words.map(lambda w: RATING_SCORES.get(str(w).strip().lower()) if w is not None else None)
        result = numeric.where(numeric.notna(), pd.to_numeric(mapped, errors="coerce"))
        bad = result.isna() & words.notna()
        if bad.any():
            raise ValueError(f"unknown rating {words[bad].iloc[0]!r}: expected one of {list(RATING_SCORES)}")
        return result.astype(float)
    return values.astype(float)


def _weights_frame(weights: pd.DataFrame) -> pd.DataFrame:
    frame = weights.copy()
    if "criterion" not in frame.columns and "criterion_id" in frame.columns:
        frame = frame.rename(columns={"criterion_id": "criterion"})
    missing = {"criterion", "weight"} - set(frame.columns)
    if missing:
        raise ValueError(f"weights needs columns criterion, weight; missing {sorted(missing)}")
    frame = frame[["criterion", "weight"]].copy()
    frame["criterion"] = text_column(frame["criterion"])
    frame["weight"] = pd.to_numeric(frame["weight"], errors="coerce").astype(float)
    if frame["criterion"].duplicated().any():
        raise ValueError(f"criterion {frame.loc[frame['criterion'].duplicated(), 'criterion'].iloc[0]!r} is weighted more than once")
    if (frame["weight"] < 0).any():
        raise ValueError("weights cannot be negative")
    return frame


def _matrix(ratings: pd.DataFrame, weights: pd.DataFrame) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Options, criteria, the score matrix S (options × criteria, 0 where unrated) and the weight
    vector w (0 where unweighted). Criteria keep the order of the weights frame, then any rated
    criteria it lacks, so the tornado reads in the order the council set them."""
    r = _ratings_frame(ratings)
    w = _weights_frame(weights)
    options = sorted(r["option"].dropna().unique().tolist())
    criteria = w["criterion"].tolist() + sorted(set(r["criterion"].dropna()) - set(w["criterion"]))
    scores = (
        r.pivot(index="option", columns="criterion", values="score")
        .reindex(index=options, columns=criteria)
        .fillna(0.0)
        .to_numpy(dtype=float)
    )
    weight_vec = w.set_index("criterion")["weight"].reindex(criteria).fillna(0.0).to_numpy(dtype=float)
    return options, criteria, scores, weight_vec


def _rank(totals: np.ndarray) -> np.ndarray:
    """'min' ranking, 1 = best, where totals within TIE_TOLERANCE share a rank: an option's rank is
    1 + the number of options clearly ahead of it."""
    return np.array([1 + int(np.sum(totals > t + TIE_TOLERANCE)) for t in totals], dtype=int)


def weighted_totals(ratings: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """Each option's Σ score × weight, with its rank (1 = best, tied options share the better
    rank). Ranked on the unrounded totals so two options 0.01 apart are not shown as tied; only
    float noise (< 1e-9) counts as a tie. Sorted by rank, then option."""
    options, _criteria, scores, weight_vec = _matrix(ratings, weights)
    if not options:
        return pd.DataFrame({"option": pd.Series(dtype=object), "total": pd.Series(dtype=float),
                             "rank": pd.Series(dtype=int)})
    totals = scores @ weight_vec
    result = pd.DataFrame({"option": options, "total": totals, "rank": _rank(totals)})
    return result.sort_values(["rank", "option"], kind="stable").reset_index(drop=True)


def combined_weights(weights_by_council) -> pd.DataFrame:
    """One weight per criterion from several councils' weights: the mean, not the sum, so totals
    under the combined weights sit on the same scale as each council's own totals and can be
    shown side by side.

    Accepts a mapping {council: weights frame (criterion, weight)} or one long frame with a council
    column (``ons_code`` or ``council``) beside ``criterion``/``criterion_id`` and ``weight``
    (i.e. the ``criterion_weight`` table). A council that did not weight a criterion is left out
    of that criterion's mean rather than counted as 0 (no row means "not set", not "unimportant");
    ``council_count`` says how many councils each mean rests on, so the page can flag gaps.
    """
    if isinstance(weights_by_council, Mapping):
        parts = []
        for council, frame in weights_by_council.items():
            part = _weights_frame(frame)
            part["council"] = str(council)
            parts.append(part)
        long = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["criterion", "weight", "council"])
    else:
        frame = weights_by_council.copy()
        council_col = "ons_code" if "ons_code" in frame.columns else "council"
        if council_col not in frame.columns:
            raise ValueError("a long weights frame needs an ons_code (or council) column")
        if "criterion" not in frame.columns and "criterion_id" in frame.columns:
            frame = frame.rename(columns={"criterion_id": "criterion"})
        long = pd.DataFrame({
            "criterion": text_column(frame["criterion"]),
            "weight": pd.to_numeric(frame["weight"], errors="coerce").astype(float),
            "council": text_column(frame[council_col]),
        })
        if long.duplicated(["council", "criterion"]).any():
            raise ValueError("a council has weighted the same criterion more than once")
    if long.empty:
        return pd.DataFrame({"criterion": pd.Series(dtype=object), "weight": pd.Series(dtype=float),
                             "council_count": pd.Series(dtype=int)})
    order = list(dict.fromkeys(long["criterion"]))  # first-seen order, as the councils listed them
    grouped = long.dropna(subset=["weight"]).groupby("criterion", sort=False)
    result = pd.DataFrame({
        "weight": grouped["weight"].mean(),
        "council_count": grouped["council"].nunique(),
    }).reindex(order)
    result["council_count"] = result["council_count"].fillna(0).astype(int)
    return result.rename_axis("criterion").reset_index()
