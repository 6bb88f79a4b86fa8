"""Risk register rules: score = likelihood × impact, its band, movement since the last reporting
date, overdue reviews.

Frames use the column names of ``risk`` and ``risk_snapshot`` in data/schema.sql; ``status`` may
be a plain string or DuckDB's ordered Categorical, dates datetime64, ``datetime.date`` or ISO text.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

# Inclusive score ranges. With a 5 × 5 matrix the possible scores are 1–6, 8–10, 12, 15, 16, 20,
# 25, so e.g. 4 (2×2, 1×4) is the highest Low and 16 (4×4) the lowest Very high.
SCORE_BANDS: list[tuple[int, int, str]] = [
    (1, 4, "Low"),
    (5, 9, "Medium"),
    (10, 15, "High"),
    (16, 25, "Very high"),
]


# "High risk" everywhere means the High and Very high bands: a score of HIGH_SCORE or more.
HIGH_SCORE = next(low for low, _, band in SCORE_BANDS if band == "High")
VERY_HIGH_SCORE = next(low for low, _, band in SCORE_BANDS if band == "Very high")

# GOV.UK tag tints: light enough that black text (count and score) stays readable on each.
BAND_COLOURS: dict[str, str] = {
    "Low": "#cce2d8",
    "Medium": "#fff7bf",
    "High": "#fcd6c3",
    "Very high": "#f4a99c",
}


MOVEMENT_UP = "▲ up"
MOVEMENT_DOWN = "▼ down"
MOVEMENT_SAME = "► no change"
MOVEMENT_NEW = "new"
MOVEMENT_CLOSED = "closed"


# What each movement word means, for the page's key.
MOVEMENT_RULES: list[tuple[str, str]] = [
    (MOVEMENT_CLOSED, "Closed now, or no longer on the register."),
    (MOVEMENT_NEW, "Open now and not on the register at the previous reporting date (or closed then: reopened)."),
    (MOVEMENT_UP, "Score (likelihood × impact) higher than at the previous reporting date: worse."),
    (MOVEMENT_DOWN, "Score lower than at the previous reporting date: better."),
    (MOVEMENT_SAME, "Same score as at the previous reporting date."),
]


LEVELS = [1, 2, 3, 4, 5]


def _check_level(value, name: str) -> None:
    if not pd.isna(value) and not 1 <= value <= 5:
        raise ValueError(f"{name} must be between 1 and 5, not {value!r}")


def score(likelihood, impact):
    """Likelihood × impact (each 1–5), so 1–25. Works on scalars or aligned Series/arrays;
    missing values stay missing."""
    if np.isscalar(likelihood) and np.isscalar(impact):
        _check_level(likelihood, "likelihood")
        _check_level(impact, "impact")
        return likelihood * impact
    l_values = pd.Series(likelihood) if not isinstance(likelihood, pd.Series) else likelihood
    i_values = pd.Series(impact) if not isinstance(impact, pd.Series) else impact
    if _integers(l_values) and _integers(i_values) and l_values.index.equals(i_values.index):
        # Two integer columns of one frame (as DuckDB hands them over): checked and multiplied as
        # numpy arrays, the same product as below; a view scores the same rows many times.
        l_array, i_array = l_values.to_numpy(), i_values.to_numpy()
        if ((l_array >= 1) & (l_array <= 5) & (i_array >= 1) & (i_array <= 5)).all():
            return pd.Series(pd.array(l_array.astype("int64") * i_array.astype("int64"), dtype="Int64"),
                             index=l_values.index, name="score")
    for values, name in ((l_values, "likelihood"), (i_values, "impact")):
        numeric = pd.to_numeric(values, errors="coerce")
        bad = numeric.notna() & ~numeric.between(1, 5)
        if bad.any():
            raise ValueError(f"{name} must be between 1 and 5, not {numeric[bad].iloc[0]!r}")
    return (pd.to_numeric(l_values).astype("Int64") * pd.to_numeric(i_values).astype("Int64")).rename("score")


def _integers(values: pd.Series) -> bool:
    return values.dtype.kind in "iu" and isinstance(values.dtype, np.dtype)


def score_band(value) -> str | None:
    """The band a score falls in, per ``SCORE_BANDS`` (1–4 Low, 5–9 Medium, 10–15 High,
    16–25 Very high); None for a missing score."""
    if value is None or pd.isna(value):
        return None
    if not 1 <= value <= 25:
        raise ValueError(f"a risk score is between 1 and 25, not {value!r}")
    # Compare with each band's upper bound, so a non-integer score (e.g. a mean) still lands.
    return next(band for _low, high, band in SCORE_BANDS if value <= high)


def score_bands(scores: pd.Series) -> pd.Series:
    """``score_band`` for a whole column."""
    return pd.Series([score_band(v) for v in scores], index=scores.index, dtype=object, name="score_band")


def _statuses(frame: pd.DataFrame) -> np.ndarray:
    """Each row's status as trimmed lower-case text (None when missing; "open" with no status
    column). A numpy array, for the masks: a view asks this of the same few rows many times, and a
    Series each time cost more than the wording; each distinct text is worded once."""
    if "status" not in frame.columns:
        return np.full(len(frame), "open", dtype=object)
    worded: dict[str, str | None] = {}
    return np.array([(worded[v] if v in worded else worded.setdefault(v, _status_word(v))) if type(v) is str
                     else _status_word(v) for v in frame["status"].to_numpy()], dtype=object)


def _status_word(value) -> str | None:
    return None if value is None or pd.isna(value) else str(value).strip().lower()


def _scored(frame: pd.DataFrame | None) -> tuple[list, pd.arrays.IntegerArray, np.ndarray]:
    """One entry per risk_id (as text) with its score (Int64) and status (latest reporting date wins
    if several), as plain arrays: `movement` pairs them by risk_id without a frame and merge, whose
    fixed costs were most of the time for one programme's few risks."""
    if frame is None or "risk_id" not in frame.columns:
        return [], pd.array([], dtype="Int64"), np.array([], dtype=object)
    work = frame
    if "reporting_date" in work.columns:
        reported = pd.to_datetime(work["reporting_date"])
        if not reported.is_monotonic_increasing:  # (one reporting date's rows are already in order)
            work = work.assign(_rd=reported).sort_values("_rd", kind="stable")
    if not work["risk_id"].is_unique:
        work = work.drop_duplicates("risk_id", keep="last")
    return ([str(v) for v in work["risk_id"].to_numpy()],
            score(work["likelihood"], work["impact"]).array if len(work) else pd.array([], dtype="Int64"),
            _statuses(work))


def movement(previous: pd.DataFrame | None, current: pd.DataFrame | None) -> pd.DataFrame:
    """Per risk, how its score moved between two reporting dates: "▲ up" (worse), "▼ down"
    (better), "► no change", "new" or "closed" — symbol and word, never colour alone.

    ``previous`` and ``current`` have ``risk_id``, ``likelihood``, ``impact`` and ``status``
    (``risk_snapshot`` rows for one reporting date, or the ``risk`` table for "now"). Rules in
    order (``MOVEMENT_RULES``): closed now or gone from the register → closed; not there before,
    or closed before and open now → new; else compare scores. Sorted by risk_id.
    """
    ids_before, score_before, status_before = _scored(previous)
    ids_after, score_after, status_after = _scored(current)
    # Every risk_id of either side (each side has one row per risk), in risk_id order; each side's
    # row of it by position, -1 where it has none (its score then NA, its status None).
    at_before = {k: i for i, k in enumerate(ids_before)}
    at_after = {k: i for i, k in enumerate(ids_after)}
    ids = sorted(at_before.keys() | at_after.keys())
    if not ids:
        return pd.DataFrame({"risk_id": pd.Series(dtype=object), "score_before": pd.Series(dtype="Int64"),
                             "score_after": pd.Series(dtype="Int64"), "movement": pd.Series(dtype=object)})
    row_before = np.array([at_before.get(k, -1) for k in ids], dtype=np.intp)
    row_after = np.array([at_after.get(k, -1) for k in ids], dtype=np.intp)
    score_before = score_before.take(row_before, allow_fill=True)
    score_after = score_after.take(row_after, allow_fill=True)
    status_before = np.append(status_before, None)[row_before]  # -1 takes the None appended
    status_after = np.append(status_after, None)[row_after]
    closed_now = np.equal(status_after, None) | (status_after == "closed")
    new_now = np.equal(status_before, None) | (status_before == "closed")
    diff = (score_after - score_before).fillna(0)
    words = np.select(
        [closed_now, new_now, (diff > 0).to_numpy(dtype=bool), (diff < 0).to_numpy(dtype=bool)],
        [MOVEMENT_CLOSED, MOVEMENT_NEW, MOVEMENT_UP, MOVEMENT_DOWN],
        default=MOVEMENT_SAME,
    )
    return pd.DataFrame({"risk_id": pd.Series(ids, dtype=object), "score_before": score_before,
                         "score_after": score_after, "movement": pd.Series(words, dtype=object)})


def is_review_overdue(risks: pd.DataFrame, today) -> pd.Series:
    """Open risks whose next review date is before today (a review due today is not yet late;
    an open risk with no review date set is not counted here)."""
    if risks is None or risks.empty or "next_review_date" not in risks.columns:
        return pd.Series(False, index=None if risks is None else risks.index, dtype=bool, name="is_review_overdue")
    due = pd.to_datetime(risks["next_review_date"]).dt.normalize()
    late = (due < pd.Timestamp(today).normalize()) & (_statuses(risks) == "open")
    return late.fillna(False).astype(bool).rename("is_review_overdue")


def overdue_reviews(risks: pd.DataFrame, today) -> pd.DataFrame:
    """The open risks whose review is overdue, longest overdue first, with ``days_overdue``.
    (Use ``is_review_overdue`` to flag or sort them within the whole register instead.)"""
    if risks is None or risks.empty:
        columns = list(risks.columns) if risks is not None else []
        return pd.DataFrame(columns=columns + ["days_overdue"])
    late = risks.loc[is_review_overdue(risks, today)].copy()
    due = pd.to_datetime(late["next_review_date"]).dt.normalize()
    late["days_overdue"] = (pd.Timestamp(today).normalize() - due).dt.days.astype(int)
    sort_cols = ["days_overdue"] + (["risk_id"] if "risk_id" in late.columns else [])
    return late.sort_values(sort_cols, ascending=[False] + [True] * (len(sort_cols) - 1), kind="stable").reset_index(drop=True)


def mapped_risks(risks: pd.DataFrame, include_closed: bool = False) -> pd.DataFrame:
    """The risks a heat map places: the open ones, or every one when closed risks are asked for
    (the exposure the programme carries now, by default)."""
    if include_closed or risks is None or risks.empty:
        return risks
    return risks.loc[_statuses(risks) != "closed"]


def heat_map_counts(risks: pd.DataFrame, include_closed: bool = False) -> pd.DataFrame:
    """How many risks sit in each likelihood × impact cell: a 5 × 5 frame, index ``likelihood``
    1–5, columns ``impact`` 1–5, zeros included. Closed risks are left out unless asked for,
    because the heat map shows the exposure the programme carries now."""
    def grid(cells=None) -> pd.DataFrame:
        return pd.DataFrame(0 if cells is None else cells, index=pd.Index(LEVELS, name="likelihood"),
                            columns=pd.Index(LEVELS, name="impact"))
    if risks is None or risks.empty:
        return grid()
    work = mapped_risks(risks, include_closed)
    if _integers(work["likelihood"]) and _integers(work["impact"]):
        # Integer levels (as DuckDB hands them over; none missing): each risk counted into its cell with
        # numpy, as the groupby below counts them, without its fixed cost (a view asks three times).
        likelihood, impact = work["likelihood"].to_numpy(), work["impact"].to_numpy()
        inside = (likelihood >= LEVELS[0]) & (likelihood <= LEVELS[-1]) & (impact >= LEVELS[0]) & (impact <= LEVELS[-1])
        cells = np.zeros((len(LEVELS), len(LEVELS)), dtype="int64")
        np.add.at(cells, (likelihood[inside] - LEVELS[0], impact[inside] - LEVELS[0]), 1)
        return grid(cells)
    pairs = pd.DataFrame({"likelihood": pd.to_numeric(work["likelihood"]), "impact": pd.to_numeric(work["impact"])}).dropna()
    counts = pairs.groupby(["likelihood", "impact"]).size()
    cells = np.zeros((len(LEVELS), len(LEVELS)), dtype="int64")  # filled as numbers: a .loc per cell cost more
    for (likelihood, impact), n in counts.items():
        if int(likelihood) in LEVELS and int(impact) in LEVELS:
            cells[LEVELS.index(int(likelihood)), LEVELS.index(int(impact))] = int(n)
    return grid(cells)


# Which likelihood × impact pair a view uses: current (the register's likelihood and impact),
# inherent (before mitigation) or target (after planned mitigation).
POSITIONS: dict[str, tuple[str, str]] = {
    "current": ("likelihood", "impact"),
    "inherent": ("inherent_likelihood", "inherent_impact"),
    "target": ("target_likelihood", "target_impact"),
}


def positions(risks: pd.DataFrame, which: str = "current") -> pd.DataFrame:
    """The register with ``likelihood`` and ``impact`` replaced by the inherent, current or target
    pair, so ``heat_map_counts`` / ``heat_map_figure`` can map any of the three."""
    if which not in POSITIONS:
        raise ValueError(f"which must be one of {', '.join(POSITIONS)}, not {which!r}")
    l_col, i_col = POSITIONS[which]
    if which == "current":
        return risks
    return risks.assign(likelihood=risks[l_col], impact=risks[i_col])


def reporting_dates(snapshots: pd.DataFrame, today) -> list[pd.Timestamp]:
    """The reporting dates of the snapshots on or before ``today``, newest first."""
    if snapshots is None or snapshots.empty:
        return []
    dates = pd.to_datetime(snapshots["reporting_date"]).dt.normalize()
    dates = dates[dates <= pd.Timestamp(today).normalize()]
    return sorted(dates.unique(), reverse=True)


def snapshot_at(snapshots: pd.DataFrame, reporting_date) -> pd.DataFrame:
    """The register as reported at one reporting date."""
    if snapshots is None or snapshots.empty or reporting_date is None:
        return pd.DataFrame(columns=["risk_id", "likelihood", "impact", "status"])
    wanted = pd.Timestamp(reporting_date).normalize()
    return snapshots.loc[pd.to_datetime(snapshots["reporting_date"]).dt.normalize() == wanted]


def movement_since(snapshots: pd.DataFrame, risks: pd.DataFrame, reporting_date) -> pd.DataFrame:
    """``movement`` between the register as reported at ``reporting_date`` and the register now,
    restricted to the risks of ``risks``; with no reporting date every risk on it is "new".
    Risks already closed by then (closed_date on or before it, and not open in that snapshot) did
    not move since: they are left out (``register_table`` says "closed earlier")."""
    before = snapshot_at(snapshots, reporting_date)
    moved = movement(before, risks)
    if risks is None or risks.empty:
        return moved.iloc[:0]
    keep = set(risks["risk_id"].astype(str))
    if reporting_date is not None and "closed_date" in risks.columns:
        closed_on = pd.to_datetime(risks["closed_date"]).dt.normalize()
        open_then = set(before.loc[_statuses(before) == "open", "risk_id"].astype(str)) if not before.empty else set()
        earlier = risks.loc[closed_on.le(pd.Timestamp(reporting_date).normalize()).fillna(False).astype(bool), "risk_id"]
        keep -= set(earlier.astype(str)) - open_then
    return moved.loc[moved["risk_id"].isin(keep)].reset_index(drop=True)
