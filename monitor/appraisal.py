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
import plotly.graph_objects as go

RATING_SCORES = {"high": 3, "medium": 2, "low": 1}

# Totals closer than this are a tie: float noise (0.1 + 0.2 ≠ 0.3) must not split a true tie.
TIE_TOLERANCE = 1e-9

# The flip definition, in one place so the page can quote it.
FLIP_RULE = (
    "The preferred option changes when another option's weighted total reaches the current "
    "leader's (a tie at the top counts as a change). Weights cannot go below 0."
)


# --------------------------------------------------------------------------------------------
# Input normalisation


def _plain(series: pd.Series) -> pd.Series:
    """Categoricals (DuckDB ENUMs) and str dtypes as plain Python strings, so groupbys don't
    invent rows for unobserved categories and comparisons behave the same for both."""
    return series.astype(object).where(series.notna(), None).map(lambda v: v if v is None else str(v))


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
    frame["option"] = _plain(frame["option"])
    frame["criterion"] = _plain(frame["criterion"])
    frame["score"] = _scores(frame["score"])
    dupes = frame.duplicated(["option", "criterion"], keep=False)
    if dupes.any():
        first = frame.loc[dupes].iloc[0]
        raise ValueError(f"option {first['option']!r} is rated more than once on criterion {first['criterion']!r}")
    return frame


def _scores(values: pd.Series) -> pd.Series:
    """Numbers pass through; the words high/medium/low become 3/2/1."""
    if isinstance(values.dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(values):
        words = _plain(values)
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
    frame["criterion"] = _plain(frame["criterion"])
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


# --------------------------------------------------------------------------------------------
# Totals


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
            "criterion": _plain(frame["criterion"]),
            "weight": pd.to_numeric(frame["weight"], errors="coerce").astype(float),
            "council": _plain(frame[council_col]),
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


def what_if(ratings: pd.DataFrame, weights: pd.DataFrame, criterion: str, new_weight: float) -> pd.DataFrame:
    """``weighted_totals`` with one criterion's weight replaced: the what-if slider on the page."""
    frame = _weights_frame(weights)
    if new_weight < 0:
        raise ValueError("weights cannot be negative")
    if criterion not in set(frame["criterion"]):
        raise ValueError(f"no weight for criterion {criterion!r}")
    frame.loc[frame["criterion"] == criterion, "weight"] = float(new_weight)
    return weighted_totals(ratings, frame)


# --------------------------------------------------------------------------------------------
# Sensitivity: distance to flip


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


# --------------------------------------------------------------------------------------------
# Charts


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _symmetric_ticks(reach: float) -> list[float]:
    """About five ticks each side of 0 at a round step (1, 2 or 5 × 10^k)."""
    raw = reach / 5
    magnitude = 10 ** np.floor(np.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    count = int(np.floor(reach / step))
    return [float(k * step) for k in range(-count, count + 1)]


def tornado_figure(flips: pd.DataFrame, title: str) -> go.Figure:
    """Sensitivity tornado: per criterion a bar to the left (how far the weight can fall) and to
    the right (how far it can rise) before the preferred option changes. Short bars are the
    weights the result hangs on. Where a direction never changes the result, the bar is absent
    and the words "no change within range" stand in its place, so a missing bar is never read as
    zero. Criteria are shown in the order given, first at the top."""
    criteria = [str(c) for c in flips["criterion"]] if len(flips) else []
    dec = pd.to_numeric(flips["decrease_to_flip"], errors="coerce").to_numpy(dtype=float) if len(flips) else np.array([])
    inc = pd.to_numeric(flips["increase_to_flip"], errors="coerce").to_numpy(dtype=float) if len(flips) else np.array([])
    fig = go.Figure()
    fig.add_trace(go.Bar(
        name="Lower the weight (left)", y=criteria, x=[-v if not np.isnan(v) else None for v in dec],
        orientation="h", marker={"color": "#1d70b8", "pattern": {"shape": "/"}},
        text=[f"−{_fmt(v)}" if not np.isnan(v) else "" for v in dec], textposition="auto",
        customdata=[_fmt(v) if not np.isnan(v) else "no change" for v in dec],
        hovertemplate="%{y}: lower the weight by %{customdata} to change the preferred option<extra></extra>",
    ))
    fig.add_trace(go.Bar(
        name="Raise the weight (right)", y=criteria, x=[v if not np.isnan(v) else None for v in inc],
        orientation="h", marker={"color": "#f47738"},
        text=[f"+{_fmt(v)}" if not np.isnan(v) else "" for v in inc], textposition="auto",
        customdata=[_fmt(v) if not np.isnan(v) else "no change" for v in inc],
        hovertemplate="%{y}: raise the weight by %{customdata} to change the preferred option<extra></extra>",
    ))
    for criterion, d, i in zip(criteria, dec, inc):
        if np.isnan(d):
            fig.add_annotation(x=0, y=criterion, text="no change within range", showarrow=False,
                               xanchor="right", xshift=-4, font={"size": 11, "color": "#505a5f"})
        elif d == 0:
            fig.add_annotation(x=0, y=criterion, text="changes at once (top is tied)", showarrow=False,
                               xanchor="right", xshift=-4, font={"size": 11, "color": "#505a5f"})
        if np.isnan(i):
            fig.add_annotation(x=0, y=criterion, text="no change within range", showarrow=False,
                               xanchor="left", xshift=4, font={"size": 11, "color": "#505a5f"})
        elif i == 0:
            fig.add_annotation(x=0, y=criterion, text="changes at once (top is tied)", showarrow=False,
                               xanchor="left", xshift=4, font={"size": 11, "color": "#505a5f"})
    finite = np.concatenate([dec[~np.isnan(dec)], inc[~np.isnan(inc)]]) if len(criteria) else np.array([])
    reach = max(float(finite.max()) if finite.size else 0.0, 1.0) * 1.15
    ticks = _symmetric_ticks(reach)
    fig.update_layout(
        title={"text": title},
        barmode="overlay",
        xaxis={"title": {"text": "Change in weight before the preferred option changes (weight units)"},
               "range": [-reach, reach], "zeroline": True, "zerolinecolor": "#0b0c0c",
               # Distances, so both sides read as positive amounts: "lower by 2", "raise by 2".
               "tickvals": ticks, "ticktext": [_fmt(abs(t)) for t in ticks]},
        yaxis={"title": {"text": "Criterion"}, "autorange": "reversed", "type": "category"},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
        height=max(300, 150 + 48 * len(criteria)),
        margin={"l": 10, "r": 10, "t": 60, "b": 90},
    )
    if not criteria:
        fig.add_annotation(text="No criteria to show", x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False)
    return fig


def totals_figure(totals: pd.DataFrame, title: str) -> go.Figure:
    """Weighted totals as horizontal bars, best at the top, each labelled with its total and rank
    (the rank in words, so ties read "Rank 1 (tied)" rather than relying on bar length)."""
    frame = totals.sort_values(["rank", "option"], kind="stable") if len(totals) else totals
    counts = frame["rank"].value_counts() if len(frame) else pd.Series(dtype=int)
    labels = [
        f"{_fmt(t)} — rank {int(r)}{' (tied)' if counts.get(r, 0) > 1 else ''}"
        for t, r in zip(frame["total"], frame["rank"])
    ] if len(frame) else []
    fig = go.Figure(go.Bar(
        x=list(frame["total"]) if len(frame) else [], y=[str(o) for o in frame["option"]] if len(frame) else [],
        orientation="h", text=labels, textposition="auto", marker={"color": "#1d70b8"},
        hovertemplate="%{y}: %{text}<extra></extra>", name="Weighted total",
    ))
    fig.update_layout(
        title={"text": title},
        xaxis={"title": {"text": "Weighted total (Σ score × weight)"}, "rangemode": "tozero"},
        yaxis={"title": {"text": "Option"}, "autorange": "reversed", "type": "category"},
        height=max(240, 80 + 48 * len(frame)),
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        showlegend=False,
    )
    if not len(frame):
        fig.add_annotation(text="No options to show", x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False)
    return fig


# --------------------------------------------------------------------------------------------
# Reading the result: matrices, sentences, the council-by-council chart


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
        sentences.append(f"**{row.criterion}** (weight {_fmt(row.weight)}): " + "; ".join(parts) + ".")
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


def slider_limit(details: pd.DataFrame, floor: float = 10.0) -> float:
    """A what-if slider's top: high enough to reach every flip point, at least ``floor``."""
    reach = pd.to_numeric(details.get("increase_weight", pd.Series(dtype=float)), errors="coerce")
    current = pd.to_numeric(details.get("weight", pd.Series(dtype=float)), errors="coerce")
    top = max([floor, *reach.dropna().tolist(), *(current.dropna() * 2).tolist()])
    return float(np.ceil(top + 1))


COUNCIL_COLOURS = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#505a5f"]
COUNCIL_PATTERNS = ["", "/", ".", "x", "-"]


def council_totals_figure(totals_by_who: Mapping[str, pd.DataFrame], title: str) -> go.Figure:
    """Each option's weighted total under each council's weights (and combined) as grouped
    horizontal bars, each bar labelled with its total and rank; options in the first council's
    ranking order. Councils are told apart by pattern and legend as well as colour."""
    fig = go.Figure()
    order: list[str] = []
    for totals in totals_by_who.values():
        order += [str(o) for o in totals["option"] if str(o) not in order]
    for i, (who, totals) in enumerate(totals_by_who.items()):
        frame = totals.set_index(totals["option"].astype(str)).reindex(order)
        counts = totals["rank"].value_counts()
        labels = [f"{_fmt(t)} — rank {int(r)}{' (tied)' if counts.get(r, 0) > 1 else ''}" if r == r else ""
                  for t, r in zip(frame["total"], frame["rank"])]
        fig.add_trace(go.Bar(
            name=str(who), y=order, x=frame["total"].tolist(), orientation="h", text=labels,
            textposition="outside", cliponaxis=False,
            marker={"color": COUNCIL_COLOURS[i % len(COUNCIL_COLOURS)],
                    "pattern": {"shape": COUNCIL_PATTERNS[i % len(COUNCIL_PATTERNS)]}},
            hovertemplate=f"{who} — %{{y}}: %{{text}}<extra></extra>",
        ))
    high = max([float(t["total"].max()) for t in totals_by_who.values() if len(t)] + [1.0])
    fig.update_layout(
        title={"text": title}, barmode="group",
        xaxis={"title": {"text": "Weighted total (Σ score × weight)"}, "range": [0, high * 1.3]},
        yaxis={"title": {"text": "Option"}, "autorange": "reversed", "type": "category", "automargin": True},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "title": {"text": "Weights of"}},
        height=max(320, 150 + 30 * len(order) * max(1, len(totals_by_who))),
        margin={"l": 10, "r": 10, "t": 60, "b": 80},
    )
    if not order:
        fig.add_annotation(text="No options to show", x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False)
    return fig
