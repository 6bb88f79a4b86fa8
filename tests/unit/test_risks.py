import datetime as dt

import pandas as pd
import pytest

from monitor.risks import (
    BAND_COLOURS,
    MOVEMENT_CLOSED,
    MOVEMENT_DOWN,
    MOVEMENT_NEW,
    MOVEMENT_SAME,
    MOVEMENT_UP,
    SCORE_BANDS,
    heat_map_counts,
    heat_map_figure,
    is_review_overdue,
    movement,
    overdue_reviews,
    score,
    score_band,
    score_bands,
)

STATUS = pd.CategoricalDtype(["open", "closed"], ordered=True)


def register(*rows) -> pd.DataFrame:
    """(risk_id, likelihood, impact, status, next_review_date) as DuckDB hands them over."""
    frame = pd.DataFrame(rows, columns=["risk_id", "likelihood", "impact", "status", "next_review_date"])
    frame["status"] = frame["status"].astype(STATUS)
    frame["next_review_date"] = pd.to_datetime(frame["next_review_date"])
    return frame


def test_score_scalars_and_series():
    assert score(1, 1) == 1
    assert score(3, 4) == 12
    assert score(5, 5) == 25
    result = score(pd.Series([1, 2, 5]), pd.Series([5, 3, 5]))
    assert result.tolist() == [5, 6, 25]
    with pytest.raises(ValueError):
        score(0, 3)
    with pytest.raises(ValueError):
        score(pd.Series([6]), pd.Series([1]))


@pytest.mark.parametrize("value, band", [
    (1, "Low"), (4, "Low"), (5, "Medium"), (9, "Medium"), (10, "High"), (15, "High"),
    (16, "Very high"), (25, "Very high"), (4.5, "Medium"),
])
def test_score_band_boundaries(value, band):
    assert score_band(value) == band


def test_score_band_edges():
    assert score_band(None) is None
    assert score_band(float("nan")) is None
    for bad in (0, 26, -1):
        with pytest.raises(ValueError):
            score_band(bad)
    assert [b for _lo, _hi, b in SCORE_BANDS] == ["Low", "Medium", "High", "Very high"]
    assert set(BAND_COLOURS) == {b for _lo, _hi, b in SCORE_BANDS}
    # Every possible L × I lands in exactly one band.
    assert all(score_band(l * i) for l in range(1, 6) for i in range(1, 6))
    assert score_bands(pd.Series([4, 16])).tolist() == ["Low", "Very high"]


def test_movement():
    previous = register(
        ("R1", 3, 3, "open", None),   # 9 → 12: up
        ("R2", 3, 2, "open", None),   # 6 → 4: down
        ("R3", 2, 2, "open", None),   # 4 → 4 (as 1×4): no change
        ("R4", 1, 1, "open", None),   # gone from current: closed
        ("R5", 5, 5, "open", None),   # closed now
        ("R6", 2, 2, "closed", None),  # reopened: new
    )
    current = register(
        ("R1", 3, 4, "open", None),
        ("R2", 2, 2, "open", None),
        ("R3", 1, 4, "open", None),
        ("R5", 5, 5, "closed", None),
        ("R6", 2, 2, "open", None),
        ("R7", 4, 4, "open", None),   # new
    )
    result = movement(previous, current).set_index("risk_id")
    assert result["movement"].to_dict() == {
        "R1": MOVEMENT_UP, "R2": MOVEMENT_DOWN, "R3": MOVEMENT_SAME, "R4": MOVEMENT_CLOSED,
        "R5": MOVEMENT_CLOSED, "R6": MOVEMENT_NEW, "R7": MOVEMENT_NEW,
    }
    assert (MOVEMENT_UP, MOVEMENT_DOWN, MOVEMENT_SAME) == ("▲ up", "▼ down", "► no change")
    assert result.loc["R1", "score_before"] == 9 and result.loc["R1", "score_after"] == 12
    assert pd.isna(result.loc["R7", "score_before"])


def test_movement_latest_snapshot_wins_and_empty_inputs():
    history = pd.DataFrame({"risk_id": ["R1", "R1"], "likelihood": [1, 4], "impact": [1, 4], "status": ["open", "open"],
                            "reporting_date": pd.to_datetime(["2020-06-30", "2020-03-31"])})
    now = pd.DataFrame({"risk_id": ["R1"], "likelihood": [2], "impact": [2], "status": ["open"]})
    assert movement(history, now)["movement"].tolist() == [MOVEMENT_UP]  # 1 (June) → 4
    assert movement(None, pd.DataFrame()).empty
    assert movement(pd.DataFrame(), now)["movement"].tolist() == [MOVEMENT_NEW]


def test_overdue_reviews():
    today = dt.date(2020, 7, 1)
    risks = register(
        ("R1", 3, 4, "open", "2020-06-30"),    # 1 day late
        ("R2", 2, 2, "open", "2020-07-01"),    # due today: not late
        ("R3", 4, 4, "open", "2020-05-01"),    # 61 days late
        ("R4", 5, 5, "closed", "2020-01-01"),  # closed: not counted
        ("R5", 1, 1, "open", None),            # no review set: not counted
    )
    assert is_review_overdue(risks, today).tolist() == [True, False, True, False, False]
    late = overdue_reviews(risks, today)
    assert late["risk_id"].tolist() == ["R3", "R1"]  # longest overdue first
    assert late["days_overdue"].tolist() == [61, 1]
    assert overdue_reviews(risks.iloc[:0], today).empty


def test_heat_map_counts():
    risks = register(
        ("R1", 3, 4, "open", None),
        ("R2", 3, 4, "open", None),
        ("R3", 1, 5, "open", None),
        ("R4", 5, 5, "closed", None),
    )
    grid = heat_map_counts(risks)
    assert grid.shape == (5, 5)
    assert grid.index.name == "likelihood" and grid.columns.name == "impact"
    assert grid.loc[3, 4] == 2 and grid.loc[1, 5] == 1 and grid.loc[5, 5] == 0
    assert int(grid.to_numpy().sum()) == 3
    assert heat_map_counts(risks, include_closed=True).loc[5, 5] == 1
    assert int(heat_map_counts(risks.iloc[:0]).to_numpy().sum()) == 0


def test_heat_map_figure():
    risks = register(("R1", 3, 4, "open", None), ("R2", 3, 4, "open", None), ("R3", 1, 5, "open", None))
    fig = heat_map_figure(risks, "Risk heat map")
    assert fig.layout.title.text == "Risk heat map"
    assert fig.layout.xaxis.title.text == "Likelihood (1–5)"
    assert fig.layout.yaxis.title.text == "Impact (1–5)"
    heat = fig.data[0]
    # Rows are impact (y), columns likelihood (x): the cell at likelihood 3, impact 4.
    assert heat.z[4 - 1][3 - 1] == 12
    assert heat.text[4 - 1][3 - 1] == "<b>2 risks</b><br>score 12 (High)"
    assert heat.text[5 - 1][1 - 1] == "<b>1 risk</b><br>score 5 (Medium)"
    assert heat.text[0][0] == "0 risks<br>score 1 (Low)"
    empty = heat_map_figure(risks.iloc[:0], "Empty")
    assert empty.layout.xaxis.title.text == "Likelihood (1–5)"
