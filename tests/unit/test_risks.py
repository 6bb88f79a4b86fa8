import datetime as dt

import pandas as pd
import pytest

from monitor.risks.charts import heat_map_figure
from monitor.risks.register import REGISTER_COLUMNS, cell_options, cell_risks, describe_cell, describe_movement, describe_score, filter_register, heat_map_summary, heat_map_table, movement_counts, order_register, parse_cell, register_table, review_state
from monitor.risks.rules import BAND_COLOURS, MOVEMENT_CLOSED, MOVEMENT_DOWN, MOVEMENT_NEW, MOVEMENT_SAME, MOVEMENT_UP, SCORE_BANDS, heat_map_counts, is_review_overdue, movement, overdue_reviews, score, score_band, score_bands, movement_since, positions, reporting_dates

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


# --- the Risks page's helpers ----------------------------------------------------------------



def full_register() -> pd.DataFrame:
    """A register with every column of risks_by_programme.sql."""
    frame = pd.DataFrame({
        "risk_id": ["R1", "R2", "R3", "R4"],
        "programme_id": ["p"] * 4,
        "description": ["Staff", "Money", "Politics", "Old"],
        "category": ["capacity", "financial", "governance", "financial"],
        "owner": ["HR", "S151", "CEO", "S151"],
        "inherent_likelihood": [4, 3, 5, 2], "inherent_impact": [4, 3, 5, 2],
        "likelihood": [3, 2, 4, 1], "impact": [4, 2, 5, 1],
        "target_likelihood": [2, 1, 3, 1], "target_impact": [3, 2, 3, 1],
        "mitigation": ["Plan", None, "Briefings", "Done"],
        "status": ["open", "open", "open", "closed"],
        "raised_date": pd.to_datetime(["2020-01-01", "2020-02-03", "2021-05-01", "2019-01-01"]),
        "last_reviewed_date": pd.to_datetime(["2020-05-01", "2020-06-01", None, "2019-06-01"]),
        "next_review_date": pd.to_datetime(["2020-06-01", "2020-06-20", "2020-08-01", None]),
        "closed_date": pd.to_datetime([None, None, None, "2019-12-31"]),
        "source": ["000 para 1", "illustrative", "illustrative", "illustrative"],
    })
    frame["status"] = frame["status"].astype(STATUS)
    return frame


TODAY = dt.date(2020, 7, 1)


def test_positions_swap_in_inherent_or_target():
    risks = full_register()
    assert positions(risks, "current") is risks
    inherent = positions(risks, "inherent")
    assert inherent["likelihood"].tolist() == [4, 3, 5, 2] and inherent["impact"].tolist() == [4, 3, 5, 2]
    assert positions(risks, "target")["impact"].tolist() == [3, 2, 3, 1]
    assert risks["likelihood"].tolist() == [3, 2, 4, 1]  # the original is untouched
    with pytest.raises(ValueError):
        positions(risks, "residual")


def test_reporting_dates_up_to_today_newest_first():
    snaps = pd.DataFrame({"reporting_date": pd.to_datetime(["2020-03-31", "2020-06-30", "2020-06-30", "2020-09-30"])})
    assert reporting_dates(snaps, TODAY) == [pd.Timestamp("2020-06-30"), pd.Timestamp("2020-03-31")]
    assert reporting_dates(snaps, dt.date(2020, 6, 30))[0] == pd.Timestamp("2020-06-30")  # on the day counts
    assert reporting_dates(snaps.iloc[:0], TODAY) == []


def test_movement_since_a_reporting_date():
    risks = full_register()
    snaps = pd.DataFrame({
        "risk_id": ["R1", "R2", "R1", "R2", "R4"],
        "reporting_date": pd.to_datetime(["2020-03-31", "2020-03-31", "2020-06-30", "2020-06-30", "2020-06-30"]),
        "likelihood": [2, 2, 3, 3, 1], "impact": [4, 2, 3, 2, 1], "status": ["open"] * 5,
    })
    moved = movement_since(snaps, risks, "2020-03-31").set_index("risk_id")
    assert moved.loc["R1", "movement"] == MOVEMENT_UP  # 8 → 12
    assert moved.loc["R2", "movement"] == MOVEMENT_SAME
    assert moved.loc["R3", "movement"] == MOVEMENT_NEW
    # R4 was closed on 31 Dec 2019, before 31 Mar 2020, and not on that register: it did not move.
    assert "R4" not in moved.index
    june = movement_since(snaps, risks, pd.Timestamp("2020-06-30")).set_index("risk_id")
    assert june.loc["R1", "movement"] == MOVEMENT_UP and june.loc["R2", "movement"] == MOVEMENT_DOWN
    assert june.loc["R4", "movement"] == MOVEMENT_CLOSED  # open on that register (as reported), closed now
    assert register_table(risks, moved.reset_index(), TODAY).set_index("Risk").loc["R4", "Movement"] == "closed earlier"
    assert describe_movement(june.loc["R1"]) == "▲ up: 9 → 12"
    assert describe_movement(june.loc["R2"]) == "▼ down: 6 → 4"
    assert describe_movement(moved.loc["R2"]) == "► no change (4)"
    assert describe_movement(moved.loc["R3"]) == "new"
    # Only the risks passed in (e.g. after a filter) come back.
    assert movement_since(snaps, risks.iloc[:1], "2020-03-31")["risk_id"].tolist() == ["R1"]
    counts = movement_counts(moved.reset_index())
    assert counts == {MOVEMENT_CLOSED: 0, MOVEMENT_NEW: 1, MOVEMENT_UP: 1, MOVEMENT_DOWN: 0, MOVEMENT_SAME: 1}


def test_review_state_words():
    risks = full_register()
    words = [review_state(r, TODAY) for _, r in risks.iterrows()]
    assert words == ["⚠ Overdue by 30 days", "⚠ Overdue by 11 days", "Due in 31 days", "Closed"]
    one = risks.iloc[0].copy()
    one["next_review_date"] = pd.Timestamp("2020-06-30")
    assert review_state(one, TODAY) == "⚠ Overdue by 1 day"
    one["next_review_date"] = pd.Timestamp("2020-07-01")
    assert review_state(one, TODAY) == "Due today"
    one["next_review_date"] = pd.Timestamp("2020-07-02")
    assert review_state(one, TODAY) == "Due in 1 day"
    one["next_review_date"] = pd.NaT
    assert review_state(one, TODAY) == "No review date set"


def test_order_register_overdue_first_then_score_then_closed():
    risks = full_register()
    assert order_register(risks, TODAY)["risk_id"].tolist() == ["R1", "R2", "R3", "R4"]
    # Nothing overdue a month earlier: by score (R3 20, R1 12, R2 4), closed last.
    assert order_register(risks, dt.date(2020, 5, 1))["risk_id"].tolist() == ["R3", "R1", "R2", "R4"]


def test_filter_register():
    risks = full_register()
    assert filter_register(risks)["risk_id"].tolist() == ["R1", "R2", "R3", "R4"]
    assert filter_register(risks, categories=["financial"])["risk_id"].tolist() == ["R2", "R4"]
    assert filter_register(risks, categories=["financial"], statuses=["open"])["risk_id"].tolist() == ["R2"]
    assert filter_register(risks, owners=["CEO"])["risk_id"].tolist() == ["R3"]


def test_cells():
    risks = full_register()
    counts = heat_map_counts(risks)
    assert cell_options(counts) == ["4-5", "3-4", "2-2"]  # highest score first; closed R4 not mapped
    assert cell_risks(risks, 3, 4)["risk_id"].tolist() == ["R1"]
    assert cell_risks(risks, 1, 1).empty and cell_risks(risks, 1, 1, include_closed=True)["risk_id"].tolist() == ["R4"]
    assert parse_cell("3-4") == (3, 4)
    for bad in (None, "", "all", "6-1", "a-b", "3"):
        assert parse_cell(bad) is None
    assert describe_cell("3-4", counts) == "Likelihood 3 × impact 4 — score 12 (High), 1 risk"
    assert describe_score(3, 4) == "12 (High)" and describe_score(None, 4) == ""


def test_heat_map_summary_and_table():
    risks = full_register()
    assert heat_map_summary(risks) == ("3 open risks by current score: 1 Very high, 1 High, 0 Medium, 1 Low. "
                                       "Highest: R3 (score 20, Very high).")
    assert heat_map_summary(risks.iloc[3:]) == "No open risks to map."
    assert heat_map_summary(risks, include_closed=True).startswith("4 risks by current score")
    table = heat_map_table(risks)
    assert len(table) == 25 and table["Risks"].sum() == 3
    assert table.iloc[0].to_dict() == {"Likelihood": 5, "Impact": 5, "Score": 25, "Band": "Very high", "Risks": 0,
                                       "Risk ids": ""}
    assert table.set_index(["Likelihood", "Impact"]).loc[(4, 5), "Risk ids"] == "R3"


def test_register_table_reads_as_people_read_it():
    risks = full_register()
    moved = movement(None, risks)
    table = register_table(risks, moved, TODAY)
    assert list(table.columns) == REGISTER_COLUMNS
    first = table.iloc[0]
    assert first["Risk"] == "R1" and first["Review"] == "⚠ Overdue by 30 days"
    assert (first["Inherent score"], first["Current score"], first["Target score"]) == ("16 (Very high)", "12 (High)",
                                                                                         "6 (Medium)")
    assert first["Raised"] == "1 Jan 2020" and first["Movement"] == "new"
    assert table.set_index("Risk").loc["R3", "Last reviewed"] == ""
    assert table.set_index("Risk").loc["R2", "Mitigation"] == ""
    assert not table.astype(str).apply(lambda c: c.str.contains(r"00:00:00|\bNaT\b|\bnan\b")).any().any()
    assert register_table(risks, None, TODAY)["Movement"].eq("not compared").all()
    assert list(register_table(risks.iloc[:0], None, TODAY).columns) == REGISTER_COLUMNS


def test_clickable_heat_map_has_one_marker_per_cell_and_outlines_the_pick():
    risks = full_register()
    fig = heat_map_figure(risks, "Map", clickable=True, highlight=(3, 4))
    assert len(fig.data) == 2 and fig.data[0].type == "heatmap"
    markers = fig.data[1]
    assert len(markers.x) == 25 and "3-4" in markers.customdata
    assert markers.marker.opacity == 0
    shape = fig.layout.shapes[0]
    assert (shape.x0, shape.x1, shape.y0, shape.y1) == (2.5, 3.5, 3.5, 4.5)
    assert len(heat_map_figure(risks, "Map").data) == 1  # unchanged by default
