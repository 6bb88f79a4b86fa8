"""Risk register rules: score = likelihood × impact, its band, movement since the last reporting
date, overdue reviews, and the likelihood × impact heat map.

Frames use the column names of ``risk`` and ``risk_snapshot`` in data/schema.sql; ``status`` may
be a plain string or DuckDB's ordered Categorical, dates datetime64, ``datetime.date`` or ISO text.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from monitor.formatting import format_date

# Inclusive score ranges. With a 5 × 5 matrix the possible scores are 1–6, 8–10, 12, 15, 16, 20,
# 25, so e.g. 4 (2×2, 1×4) is the highest Low and 16 (4×4) the lowest Very high.
SCORE_BANDS: list[tuple[int, int, str]] = [
    (1, 4, "Low"),
    (5, 9, "Medium"),
    (10, 15, "High"),
    (16, 25, "Very high"),
]

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
    for values, name in ((l_values, "likelihood"), (i_values, "impact")):
        numeric = pd.to_numeric(values, errors="coerce")
        bad = numeric.notna() & ~numeric.between(1, 5)
        if bad.any():
            raise ValueError(f"{name} must be between 1 and 5, not {numeric[bad].iloc[0]!r}")
    return (pd.to_numeric(l_values).astype("Int64") * pd.to_numeric(i_values).astype("Int64")).rename("score")


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


def _status(frame: pd.DataFrame) -> pd.Series:
    if "status" not in frame.columns:
        return pd.Series("open", index=frame.index, dtype=object)
    return frame["status"].astype(object).map(lambda v: None if v is None or pd.isna(v) else str(v).strip().lower())


def _scored(frame: pd.DataFrame | None) -> pd.DataFrame:
    """One row per risk_id with its score and status (latest reporting date wins if several)."""
    if frame is None or "risk_id" not in frame.columns:
        return pd.DataFrame({"risk_id": pd.Series(dtype=object), "score": pd.Series(dtype="Int64"),
                             "status": pd.Series(dtype=object)})
    work = frame.copy()
    if "reporting_date" in work.columns:
        work = work.assign(_rd=pd.to_datetime(work["reporting_date"])).sort_values("_rd", kind="stable")
    work = work.drop_duplicates("risk_id", keep="last")
    return pd.DataFrame({
        "risk_id": work["risk_id"].astype(object).map(str).to_numpy(),
        "score": score(work["likelihood"], work["impact"]).to_numpy() if len(work) else pd.array([], dtype="Int64"),
        "status": _status(work).to_numpy(),
    })


def movement(previous: pd.DataFrame | None, current: pd.DataFrame | None) -> pd.DataFrame:
    """Per risk, how its score moved between two reporting dates: "▲ up" (worse), "▼ down"
    (better), "► no change", "new" or "closed" — symbol and word, never colour alone.

    ``previous`` and ``current`` have ``risk_id``, ``likelihood``, ``impact`` and ``status``
    (``risk_snapshot`` rows for one reporting date, or the ``risk`` table for "now"). Rules in
    order (``MOVEMENT_RULES``): closed now or gone from the register → closed; not there before,
    or closed before and open now → new; else compare scores. Sorted by risk_id.
    """
    before = _scored(previous).rename(columns={"score": "score_before", "status": "status_before"})
    after = _scored(current).rename(columns={"score": "score_after", "status": "status_after"})
    both = before.merge(after, on="risk_id", how="outer")
    both["score_before"] = pd.to_numeric(both["score_before"]).astype("Int64")
    both["score_after"] = pd.to_numeric(both["score_after"]).astype("Int64")
    if both.empty:
        return pd.DataFrame({"risk_id": pd.Series(dtype=object), "score_before": pd.Series(dtype="Int64"),
                             "score_after": pd.Series(dtype="Int64"), "movement": pd.Series(dtype=object)})
    in_before = both["status_before"].notna()
    in_after = both["status_after"].notna()
    closed_now = ~in_after | both["status_after"].eq("closed")
    new_now = ~in_before | both["status_before"].eq("closed")
    diff = (both["score_after"] - both["score_before"]).fillna(0)
    words = np.select(
        [closed_now.to_numpy(), new_now.to_numpy(), (diff > 0).to_numpy(dtype=bool), (diff < 0).to_numpy(dtype=bool)],
        [MOVEMENT_CLOSED, MOVEMENT_NEW, MOVEMENT_UP, MOVEMENT_DOWN],
        default=MOVEMENT_SAME,
    )
    result = both[["risk_id", "score_before", "score_after"]].assign(movement=words)
    result["risk_id"] = result["risk_id"].astype(object)
    result["movement"] = result["movement"].astype(object)
    return result.sort_values("risk_id", kind="stable").reset_index(drop=True)


def is_review_overdue(risks: pd.DataFrame, today) -> pd.Series:
    """Open risks whose next review date is before today (a review due today is not yet late;
    an open risk with no review date set is not counted here)."""
    if risks is None or risks.empty or "next_review_date" not in risks.columns:
        return pd.Series(False, index=None if risks is None else risks.index, dtype=bool, name="is_review_overdue")
    due = pd.to_datetime(risks["next_review_date"]).dt.normalize()
    late = (due < pd.Timestamp(today).normalize()) & _status(risks).eq("open")
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


def heat_map_counts(risks: pd.DataFrame, include_closed: bool = False) -> pd.DataFrame:
    """How many risks sit in each likelihood × impact cell: a 5 × 5 frame, index ``likelihood``
    1–5, columns ``impact`` 1–5, zeros included. Closed risks are left out unless asked for,
    because the heat map shows the exposure the programme carries now."""
    grid = pd.DataFrame(0, index=pd.Index(LEVELS, name="likelihood"), columns=pd.Index(LEVELS, name="impact"))
    if risks is None or risks.empty:
        return grid
    work = risks if include_closed else risks.loc[~_status(risks).eq("closed")]
    pairs = pd.DataFrame({"likelihood": pd.to_numeric(work["likelihood"]), "impact": pd.to_numeric(work["impact"])}).dropna()
    counts = pairs.groupby(["likelihood", "impact"]).size()
    for (likelihood, impact), n in counts.items():
        if int(likelihood) in LEVELS and int(impact) in LEVELS:
            grid.loc[int(likelihood), int(impact)] = int(n)
    return grid


def _band_colourscale() -> list[list]:
    """A stepped colourscale over scores 1–25, one flat colour per band."""
    scale = []
    for low, high, band in SCORE_BANDS:
        start = (max(low - 0.5, 1) - 1) / 24
        end = (min(high + 0.5, 25) - 1) / 24
        scale += [[start, BAND_COLOURS[band]], [end, BAND_COLOURS[band]]]
    return scale


def heat_map_figure(risks: pd.DataFrame, title: str, include_closed: bool = False, *,
                    clickable: bool = False, highlight: tuple[int, int] | None = None) -> go.Figure:
    """The risk heat map: likelihood across, impact up, each cell coloured by its score band and
    labelled with the number of risks in it AND its score and band in words, so the colour is
    never the only carrier of meaning.

    ``clickable`` lays one invisible square marker over each cell (trace 1, ``customdata``
    "likelihood-impact"): Plotly heatmaps send no selection events, scatter points do, so a click
    on a cell selects its marker. ``highlight`` = (likelihood, impact) outlines that cell."""
    counts = heat_map_counts(risks, include_closed=include_closed)
    # z[impact][likelihood]: rows are the y axis (impact), columns the x axis (likelihood).
    z = [[likelihood * impact for likelihood in LEVELS] for impact in LEVELS]
    text, hover = [], []
    for impact in LEVELS:
        row_text, row_hover = [], []
        for likelihood in LEVELS:
            n = int(counts.loc[likelihood, impact])
            s = likelihood * impact
            band = score_band(s)
            count = f"{n} risk{'' if n == 1 else 's'}"
            row_text.append(f"{f'<b>{count}</b>' if n else count}<br>score {s} ({band})")
            row_hover.append(f"Likelihood {likelihood} × impact {impact} = score {s} ({band})<br>{n} risk{'' if n == 1 else 's'}")
        text.append(row_text)
        hover.append(row_hover)
    fig = go.Figure(go.Heatmap(
        x=LEVELS, y=LEVELS, z=z, zmin=1, zmax=25, colorscale=_band_colourscale(),
        text=text, texttemplate="%{text}", textfont={"color": "#0b0c0c", "size": 12},
        customdata=hover, hovertemplate="%{customdata}<extra></extra>", xgap=2, ygap=2,
        colorbar={"title": {"text": "Score band"}, "tickvals": [2.5, 7, 12.5, 20.5],
                  "ticktext": [f"{band} ({low}–{high})" for low, high, band in SCORE_BANDS]},
    ))
    if clickable:
        cells = [(likelihood, impact) for impact in LEVELS for likelihood in LEVELS]
        fig.data[0].hoverinfo = "skip"
        fig.add_trace(go.Scatter(
            x=[c[0] for c in cells], y=[c[1] for c in cells], mode="markers", showlegend=False,
            name="Cells", customdata=[f"{c[0]}-{c[1]}" for c in cells],
            hovertext=[hover[c[1] - 1][c[0] - 1] + "<br>Click to list these risks" for c in cells],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={"symbol": "square", "size": 56, "opacity": 0, "color": "#0b0c0c"},
            selected={"marker": {"opacity": 0}}, unselected={"marker": {"opacity": 0}},
        ))
    if highlight is not None:
        likelihood, impact = highlight
        fig.add_shape(type="rect", x0=likelihood - 0.5, x1=likelihood + 0.5, y0=impact - 0.5, y1=impact + 0.5,
                      line={"color": "#0b0c0c", "width": 4}, fillcolor="rgba(0,0,0,0)")
    fig.update_layout(
        title={"text": title},
        xaxis={"title": {"text": "Likelihood (1–5)"}, "tickmode": "array", "tickvals": LEVELS, "constrain": "domain"},
        yaxis={"title": {"text": "Impact (1–5)"}, "tickmode": "array", "tickvals": LEVELS},
        height=480,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
    )
    return fig


# --------------------------------------------------------------------------------------------
# The Risks page: which scores to map, movement since a reporting date, the register as a table.

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


CLOSED_EARLIER = "closed earlier"


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
        open_then = set(before.loc[_status(before).eq("open"), "risk_id"].astype(str)) if not before.empty else set()
        earlier = risks.loc[closed_on.le(pd.Timestamp(reporting_date).normalize()).fillna(False).astype(bool), "risk_id"]
        keep -= set(earlier.astype(str)) - open_then
    return moved.loc[moved["risk_id"].isin(keep)].reset_index(drop=True)


def describe_movement(row) -> str:
    """'▲ up: 9 → 12', '▼ down: 6 → 4', '► no change (12)', 'new', 'closed'."""
    word = row["movement"]
    before, after = row.get("score_before"), row.get("score_after")
    if word in (MOVEMENT_UP, MOVEMENT_DOWN) and not pd.isna(before) and not pd.isna(after):
        return f"{word}: {int(before)} → {int(after)}"
    if word == MOVEMENT_SAME and not pd.isna(after):
        return f"{word} ({int(after)})"
    return str(word)


def movement_counts(moved: pd.DataFrame) -> dict[str, int]:
    """How many risks moved each way, in the order of ``MOVEMENT_RULES`` (zeros included)."""
    counts = moved["movement"].value_counts() if moved is not None and not moved.empty else pd.Series(dtype=int)
    return {word: int(counts.get(word, 0)) for word, _rule in MOVEMENT_RULES}


def describe_score(likelihood, impact) -> str:
    """'12 (High)' for likelihood 3 × impact 4; '' when either is missing."""
    if pd.isna(likelihood) or pd.isna(impact):
        return ""
    s = score(int(likelihood), int(impact))
    return f"{s} ({score_band(s)})"


def review_state(row, today) -> str:
    """What a risk's review date means today, in words: 'Overdue by 12 days', 'Due today',
    'Due in 23 days', 'No review date set', or 'Closed' for a closed risk."""
    status = str(row.get("status") or "").strip().lower()
    if status == "closed":
        return "Closed"
    due = row.get("next_review_date")
    if due is None or pd.isna(due):
        return "No review date set"
    days = (pd.Timestamp(due).normalize() - pd.Timestamp(today).normalize()).days
    if days < 0:
        return f"⚠ Overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "Due today"
    return f"Due in {days} day{'s' if days != 1 else ''}"


def filter_register(risks: pd.DataFrame, categories=(), owners=(), statuses=()) -> pd.DataFrame:
    """The risks matching every non-empty filter (an empty filter means all)."""
    out = risks
    for column, chosen in (("category", categories), ("owner", owners), ("status", statuses)):
        if chosen:
            out = out.loc[out[column].astype(str).isin(list(chosen))]
    return out


def order_register(risks: pd.DataFrame, today) -> pd.DataFrame:
    """Reviews overdue first (longest overdue first), then the other open risks by current score,
    highest first, then the closed ones; ties by risk_id."""
    if risks is None or risks.empty:
        return risks
    late = is_review_overdue(risks, today)
    due = pd.to_datetime(risks["next_review_date"]).dt.normalize()
    days_over = (pd.Timestamp(today).normalize() - due).dt.days.where(late, 0).fillna(0)
    keys = pd.DataFrame({
        "late": ~late,  # False sorts first
        "days_over": -days_over,
        "closed": _status(risks).eq("closed"),
        "score": -score(risks["likelihood"], risks["impact"]).astype("float").fillna(0).to_numpy(),
        "risk_id": risks["risk_id"].astype(str),
    }, index=risks.index)
    order = keys.sort_values(list(keys.columns), kind="stable").index
    return risks.loc[order]


def cell_risks(risks: pd.DataFrame, likelihood: int, impact: int, include_closed: bool = False) -> pd.DataFrame:
    """The risks sitting in one heat-map cell (the same rule as ``heat_map_counts``)."""
    if risks is None or risks.empty:
        return risks
    work = risks if include_closed else risks.loc[~_status(risks).eq("closed")]
    return work.loc[(pd.to_numeric(work["likelihood"]) == likelihood) & (pd.to_numeric(work["impact"]) == impact)]


def cell_options(counts: pd.DataFrame) -> list[str]:
    """The heat-map cells that hold risks as 'likelihood-impact' keys, highest score first."""
    cells = [(int(l), int(i), int(counts.loc[l, i])) for l in counts.index for i in counts.columns if counts.loc[l, i]]
    cells.sort(key=lambda c: (-c[0] * c[1], -c[0], -c[1]))
    return [f"{l}-{i}" for l, i, _n in cells]


def parse_cell(key: str | None) -> tuple[int, int] | None:
    """'3-4' → (3, 4); None for anything else."""
    if not key or "-" not in str(key):
        return None
    try:
        likelihood, impact = (int(part) for part in str(key).split("-", 1))
    except ValueError:
        return None
    if likelihood in LEVELS and impact in LEVELS:
        return likelihood, impact
    return None


def describe_cell(key: str, counts: pd.DataFrame | None = None) -> str:
    """'Likelihood 3 × impact 4 — score 12 (High), 2 risks'."""
    cell = parse_cell(key)
    if cell is None:
        return str(key)
    likelihood, impact = cell
    text = f"Likelihood {likelihood} × impact {impact} — score {describe_score(likelihood, impact)}"
    if counts is not None:
        n = int(counts.loc[likelihood, impact])
        text += f", {n} risk{'' if n == 1 else 's'}"
    return text


def heat_map_summary(risks: pd.DataFrame, include_closed: bool = False, what: str = "current") -> str:
    """One sentence: how many risks are mapped, by band, and the highest."""
    work = risks if include_closed or risks is None or risks.empty else risks.loc[~_status(risks).eq("closed")]
    label = "risks" if include_closed else "open risks"
    if work is None or work.empty:
        return f"No {label} to map."
    scores = score(work["likelihood"], work["impact"])
    bands = score_bands(scores).value_counts()
    parts = [f"{int(bands.get(b, 0))} {b}" for _lo, _hi, b in reversed(SCORE_BANDS)]
    top = work.assign(_s=scores.to_numpy()).sort_values(["_s", "risk_id"], ascending=[False, True]).iloc[0]
    top_score = int(top["_s"])
    return (f"{len(work)} {label} by {what} score: {', '.join(parts)}. Highest: {top['risk_id']} "
            f"(score {top_score}, {score_band(top_score)}).")


REGISTER_COLUMNS = [
    "Risk", "Review", "Movement", "Current score", "Description", "Owner", "Category", "Likelihood", "Impact",
    "Inherent score", "Target score", "Mitigation", "Status", "Raised", "Last reviewed", "Next review", "Closed",
    "Source",
]


def _closed(row) -> bool:
    return str(row.get("status") or "").strip().lower() == "closed"


def register_table(risks: pd.DataFrame, moved: pd.DataFrame | None, today) -> pd.DataFrame:
    """The register as people read it: ordered by ``order_register`` (overdue reviews first), scores
    as '12 (High)', movement and review in words and symbols, dates as '3 Feb 2020' (text, so no
    '00:00:00'), likelihood and impact as numbers. Columns ``REGISTER_COLUMNS``."""
    if risks is None or risks.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in REGISTER_COLUMNS})
    ordered = order_register(risks, today)
    words = {}
    if moved is not None and not moved.empty:
        words = {r["risk_id"]: describe_movement(r) for _, r in moved.iterrows()}

    def pair(row, which):
        l_col, i_col = POSITIONS[which]
        return describe_score(row[l_col], row[i_col])

    rows = []
    for _, r in ordered.iterrows():
        rows.append({
            "Risk": r["risk_id"], "Description": r["description"], "Category": r["category"], "Owner": r["owner"],
            "Review": review_state(r, today),
            "Movement": words.get(str(r["risk_id"]), CLOSED_EARLIER if moved is not None and _closed(r) else "not compared"),
            "Likelihood": int(r["likelihood"]), "Impact": int(r["impact"]),
            "Inherent score": pair(r, "inherent"), "Current score": pair(r, "current"), "Target score": pair(r, "target"),
            "Mitigation": r.get("mitigation") if isinstance(r.get("mitigation"), str) else "",
            "Status": str(r["status"]), "Raised": format_date(r["raised_date"]),
            "Last reviewed": format_date(r.get("last_reviewed_date")), "Next review": format_date(r.get("next_review_date")),
            "Closed": format_date(r.get("closed_date")), "Source": r["source"],
        })
    return pd.DataFrame(rows, columns=REGISTER_COLUMNS)


def heat_map_table(risks: pd.DataFrame, include_closed: bool = False) -> pd.DataFrame:
    """What the heat map shows, as a table: one row per cell (25), highest score first, with the
    number of risks and their ids."""
    counts = heat_map_counts(risks, include_closed=include_closed)
    rows = []
    for likelihood in LEVELS:
        for impact in LEVELS:
            in_cell = cell_risks(risks, likelihood, impact, include_closed) if risks is not None and not risks.empty else None
            ids = [] if in_cell is None else sorted(in_cell["risk_id"].astype(str))
            s = likelihood * impact
            rows.append({"Likelihood": likelihood, "Impact": impact, "Score": s, "Band": score_band(s),
                         "Risks": int(counts.loc[likelihood, impact]), "Risk ids": ", ".join(ids)})
    table = pd.DataFrame(rows)
    return table.sort_values(["Score", "Likelihood"], ascending=False, kind="stable").reset_index(drop=True)
