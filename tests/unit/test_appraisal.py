import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from monitor.appraisal.charts import tornado_figure, totals_figure, council_totals_figure
from monitor.appraisal.scoring import RATING_SCORES, combined_weights, weighted_totals, _matrix, _rank
from monitor.appraisal.sensitivity import distance_to_flip, flip_details, what_if, slider_limit
from monitor.appraisal.wording import agreement_sentence, describe_preference, flip_sentences, preferred, rating_matrix, sensitivity_summary, totals_table, weight_matrix


def ratings_frame(scores: dict[str, dict[str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(option, criterion, score) for option, row in scores.items() for criterion, score in row.items()],
        columns=["option", "criterion", "score"],
    )


def weights_frame(weights: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"criterion": list(weights), "weight": list(weights.values())})


# The hand-checked 3 options × 3 criteria example.
#               cost  service  capacity
#   weight         1        3         2
#   A              1        2         3    → 1 + 6 + 6 = 13  (leader)
#   B              1        3         1    → 1 + 9 + 2 = 12
#   C              2        1         1    → 2 + 3 + 2 =  7
HAND_RATINGS = ratings_frame({
    "A": {"cost": 1, "service": 2, "capacity": 3},
    "B": {"cost": 1, "service": 3, "capacity": 1},
    "C": {"cost": 2, "service": 1, "capacity": 1},
})
HAND_WEIGHTS = weights_frame({"cost": 1, "service": 3, "capacity": 2})


def test_rating_scores_contract():
    assert RATING_SCORES == {"high": 3, "medium": 2, "low": 1}


def test_weighted_totals_by_hand():
    totals = weighted_totals(HAND_RATINGS, HAND_WEIGHTS)
    assert list(totals.columns) == ["option", "total", "rank"]
    assert totals["option"].tolist() == ["A", "B", "C"]
    assert totals["total"].tolist() == [13.0, 12.0, 7.0]
    assert totals["rank"].tolist() == [1, 2, 3]


def test_tie_shares_rank_and_both_reported():
    ratings = ratings_frame({
        "Stand alone": {"x": 1, "y": 3},
        "New partner": {"x": 3, "y": 1},
        "As is": {"x": 1, "y": 1},
    })
    totals = weighted_totals(ratings, weights_frame({"x": 2, "y": 2}))
    # Both tied options at rank 1 ("min" ranking), the next one at rank 3; ties sorted by option.
    assert totals["option"].tolist() == ["New partner", "Stand alone", "As is"]
    assert totals["rank"].tolist() == [1, 1, 3]
    assert totals["total"].tolist() == [8.0, 8.0, 4.0]


def test_float_noise_does_not_break_a_true_tie():
    # 1×0.1 + 1×0.2 + 2×0.3 and 2×0.1 + 2×0.2 + 1×0.3 are both 0.9 exactly in arithmetic, but
    # not necessarily in floating point.
    ratings = ratings_frame({"X": {"a": 1, "b": 1, "c": 2}, "Y": {"a": 2, "b": 2, "c": 1}})
    totals = weighted_totals(ratings, weights_frame({"a": 0.1, "b": 0.2, "c": 0.3}))
    assert totals["rank"].tolist() == [1, 1]
    assert _rank(np.array([0.9, 0.8999999999999999])).tolist() == [1, 1]


def test_totals_differing_in_second_decimal_are_ranked_unrounded():
    # X: 3×2.5 + 1×2.51 = 10.01; Y: 1×2.5 + 3×2.51 = 10.03. Both are 10.0 to one decimal place.
    ratings = ratings_frame({"X": {"a": 3, "b": 1}, "Y": {"a": 1, "b": 3}})
    totals = weighted_totals(ratings, weights_frame({"a": 2.5, "b": 2.51}))
    assert totals["option"].tolist() == ["Y", "X"]
    assert totals["rank"].tolist() == [1, 2]
    assert totals["total"].tolist() == pytest.approx([10.03, 10.01])
    assert totals["total"].iloc[0] != round(totals["total"].iloc[0], 1)  # not rounded


def test_rating_words_and_categoricals_accepted():
    words = {3: "high", 2: "medium", 1: "low"}
    frame = HAND_RATINGS.rename(columns={"option": "option_id", "criterion": "criterion_id"})
    frame["rating"] = pd.Categorical(frame.pop("score").map(words), categories=["high", "medium", "low"], ordered=True)
    frame["option_id"] = pd.Categorical(frame["option_id"], categories=["C", "B", "A", "Unused"], ordered=True)
    weights = HAND_WEIGHTS.rename(columns={"criterion": "criterion_id"})
    totals = weighted_totals(frame, weights)
    assert totals["option"].tolist() == ["A", "B", "C"]  # no row for the unobserved category
    assert totals["total"].tolist() == [13.0, 12.0, 7.0]


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="rated more than once"):
        weighted_totals(pd.concat([HAND_RATINGS, HAND_RATINGS.head(1)]), HAND_WEIGHTS)
    with pytest.raises(ValueError, match="weighted more than once"):
        weighted_totals(HAND_RATINGS, pd.concat([HAND_WEIGHTS, HAND_WEIGHTS.head(1)]))
    with pytest.raises(ValueError, match="unknown rating"):
        weighted_totals(HAND_RATINGS.assign(score="very high"), HAND_WEIGHTS)
    with pytest.raises(ValueError, match="negative"):
        weighted_totals(HAND_RATINGS, HAND_WEIGHTS.assign(weight=-1))


def test_unweighted_criterion_counts_zero_and_empty_inputs():
    totals = weighted_totals(HAND_RATINGS, weights_frame({"cost": 1}))
    assert totals.set_index("option")["total"].to_dict() == {"A": 1.0, "B": 1.0, "C": 2.0}
    empty = weighted_totals(HAND_RATINGS.iloc[:0], HAND_WEIGHTS.iloc[:0])
    assert empty.empty and list(empty.columns) == ["option", "total", "rank"]
    flips = distance_to_flip(HAND_RATINGS.iloc[:0], HAND_WEIGHTS)
    assert flips.empty and list(flips.columns) == ["criterion", "increase_to_flip", "decrease_to_flip"]


def test_distance_to_flip_hand_example():
    flips = distance_to_flip(HAND_RATINGS, HAND_WEIGHTS).set_index("criterion")
    assert list(flips.index) == ["cost", "service", "capacity"]  # order of the weights frame
    # cost: only C scores more than A (2 vs 1): gap 13 − 7 = 6 closes at 1 per unit → +6.
    #       Nobody scores less than A on cost, so lowering it never helps anyone → NaN.
    assert flips.loc["cost", "increase_to_flip"] == 6
    assert math.isnan(flips.loc["cost", "decrease_to_flip"])
    # service: B scores 1 more than A: gap 1 → +1. Lowering it helps C (1 vs 2) by 1 per unit,
    #          but C's gap is 6 and the weight is only 3 → no change before 0 → NaN.
    assert flips.loc["service", "increase_to_flip"] == 1
    assert math.isnan(flips.loc["service", "decrease_to_flip"])
    # capacity: A has the top score (3), so raising it never loses → NaN. Lowering it helps B
    #           (1 vs 3) by 2 per unit: gap 1 → −0.5 (C: gap 6 / 2 = 3, later).
    assert math.isnan(flips.loc["capacity", "increase_to_flip"])
    assert flips.loc["capacity", "decrease_to_flip"] == 0.5


def test_flip_points_are_ties_at_the_top():
    def top(totals):
        return sorted(totals.loc[totals["rank"] == 1, "option"])

    assert top(what_if(HAND_RATINGS, HAND_WEIGHTS, "cost", 1 + 6)) == ["A", "C"]
    assert top(what_if(HAND_RATINGS, HAND_WEIGHTS, "service", 3 + 1)) == ["A", "B"]
    assert top(what_if(HAND_RATINGS, HAND_WEIGHTS, "capacity", 2 - 0.5)) == ["A", "B"]
    # Just short of each flip point, A still leads alone.
    assert top(what_if(HAND_RATINGS, HAND_WEIGHTS, "capacity", 2 - 0.49)) == ["A"]
    # And the decrease NaN for service really holds all the way down to 0.
    assert top(what_if(HAND_RATINGS, HAND_WEIGHTS, "service", 0)) == ["A"]


def test_flip_details_name_the_new_leader():
    details = flip_details(HAND_RATINGS, HAND_WEIGHTS).set_index("criterion")
    assert details.loc["cost", "increase_new_leader"] == "C"
    assert details.loc["cost", "increase_weight"] == 7
    assert details.loc["capacity", "decrease_new_leader"] == "B"
    assert details.loc["capacity", "decrease_weight"] == 1.5
    assert details.loc["service", "weight"] == 3


def test_no_flip_is_nan_both_ways():
    # A is best on every criterion: no weight change can ever make anyone else preferred.
    ratings = ratings_frame({"A": {"x": 3, "y": 3}, "B": {"x": 1, "y": 2}})
    flips = distance_to_flip(ratings, weights_frame({"x": 1, "y": 4}))
    assert flips[["increase_to_flip", "decrease_to_flip"]].isna().all().all()


def test_decrease_bounded_at_zero_and_tie_at_zero_counts():
    #        x(w=2)  y(w=1)
    #   A      3       1     → 7
    #   B      1       1     → 3   lowering x closes the gap of 4 at 2 per unit: Δ = 2 = the weight.
    ratings = ratings_frame({"A": {"x": 3, "y": 1}, "B": {"x": 1, "y": 1}})
    weights = weights_frame({"x": 2, "y": 1})
    flips = distance_to_flip(ratings, weights).set_index("criterion")
    assert flips.loc["x", "decrease_to_flip"] == 2  # reached exactly at weight 0: counts
    assert math.isnan(flips.loc["y", "decrease_to_flip"])  # y can fall to 0 without change
    # With x = 1.9: A 6.7, B 2.9, gap 3.8 closes at 2 per unit → 1.9, the whole weight again,
    # although float arithmetic may land a hair either side of it.
    flips = distance_to_flip(ratings, weights_frame({"x": 1.9, "y": 1})).set_index("criterion")
    assert flips.loc["x", "decrease_to_flip"] == pytest.approx(1.9)
    assert flips.loc["x", "decrease_to_flip"] <= 1.9
    # A bigger gap: the flip would need a negative weight, which is impossible → NaN.
    ratings_gap = ratings_frame({"A": {"x": 3, "y": 2}, "B": {"x": 1, "y": 1}})
    flips = distance_to_flip(ratings_gap, weights).set_index("criterion")
    # A 8, B 3: at x = 0 A still leads (2 vs 1) → NaN, never a negative weight.
    assert math.isnan(flips.loc["x", "decrease_to_flip"])
    assert (distance_to_flip(ratings_gap, weights)[["increase_to_flip", "decrease_to_flip"]].dropna() >= 0).all().all()


def test_zero_weight_cannot_decrease():
    ratings = ratings_frame({"A": {"x": 3, "y": 3}, "B": {"x": 1, "y": 1}})
    flips = distance_to_flip(ratings, weights_frame({"x": 0, "y": 1})).set_index("criterion")
    assert math.isnan(flips.loc["x", "decrease_to_flip"])


def test_already_tied_top():
    #        x  y  z   (all weight 1)
    #   A    3  1  2  → 6
    #   B    1  3  2  → 6   tied with A
    #   C    1  1  3  → 5
    ratings = ratings_frame({"A": {"x": 3, "y": 1, "z": 2}, "B": {"x": 1, "y": 3, "z": 2}, "C": {"x": 1, "y": 1, "z": 3}})
    weights = weights_frame({"x": 1, "y": 1, "z": 1})
    flips = distance_to_flip(ratings, weights).set_index("criterion")
    # A and B score differently on x and y: any move at all picks one of them → 0.
    assert flips.loc["x"].tolist() == [0, 0]
    assert flips.loc["y"].tolist() == [0, 0]
    # They score the same on z: raising z by 1 brings C level with both (7, 7, 7);
    # lowering it only widens C's gap → NaN.
    assert flips.loc["z", "increase_to_flip"] == 1
    assert math.isnan(flips.loc["z", "decrease_to_flip"])
    details = flip_details(ratings, weights).set_index("criterion")
    assert details.loc["x", "increase_new_leader"] == "A"
    assert details.loc["x", "decrease_new_leader"] == "B"
    assert details.loc["z", "increase_new_leader"] == "C"


def test_what_if_replaces_one_weight_without_mutating():
    before = HAND_WEIGHTS.copy()
    totals = what_if(HAND_RATINGS, HAND_WEIGHTS, "service", 5)
    # A: 1 + 10 + 6 = 17; B: 1 + 15 + 2 = 18; C: 2 + 5 + 2 = 9.
    assert totals["option"].tolist() == ["B", "A", "C"]
    assert totals["total"].tolist() == [18.0, 17.0, 9.0]
    pd.testing.assert_frame_equal(HAND_WEIGHTS, before)
    with pytest.raises(ValueError):
        what_if(HAND_RATINGS, HAND_WEIGHTS, "no such criterion", 1)
    with pytest.raises(ValueError):
        what_if(HAND_RATINGS, HAND_WEIGHTS, "cost", -1)


def test_combined_weights_mean():
    breckland = weights_frame({"cost": 4, "service": 2, "capacity": 3})
    south_holland = weights_frame({"cost": 2, "service": 3})
    combined = combined_weights({"E07000143": breckland, "E07000140": south_holland})
    assert combined["criterion"].tolist() == ["cost", "service", "capacity"]
    assert combined["weight"].tolist() == [3.0, 2.5, 3.0]
    assert combined["council_count"].tolist() == [2, 2, 1]
    # Same answer from the long criterion_weight shape.
    long = pd.DataFrame({
        "criterion_id": ["cost", "service", "capacity", "cost", "service"],
        "ons_code": pd.Categorical(["E07000143"] * 3 + ["E07000140"] * 2),
        "weight": [4, 2, 3, 2, 3],
    })
    pd.testing.assert_frame_equal(combined_weights(long), combined)
    # Usable directly as weights.
    assert not weighted_totals(HAND_RATINGS, combined).empty
    assert combined_weights({}).empty


def test_tornado_figure():
    flips = distance_to_flip(HAND_RATINGS, HAND_WEIGHTS)
    fig = tornado_figure(flips, "How far each weight can move")
    assert fig.layout.title.text == "How far each weight can move"
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    left, right = fig.data
    assert list(left.x) == [None, None, -0.5]
    assert list(right.x) == [6, 1, None]
    notes = [a.text for a in fig.layout.annotations]
    assert notes.count("no change within range") == 3
    empty = tornado_figure(distance_to_flip(HAND_RATINGS.iloc[:0], HAND_WEIGHTS.iloc[:0]), "Empty")
    assert empty.layout.title.text == "Empty" and empty.layout.xaxis.title.text


def test_totals_figure():
    ratings = ratings_frame({"A": {"x": 3}, "B": {"x": 3}, "C": {"x": 1}})
    fig = totals_figure(weighted_totals(ratings, weights_frame({"x": 2})), "Weighted totals")
    assert fig.layout.title.text == "Weighted totals"
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert list(fig.data[0].y) == ["A", "B", "C"]
    assert list(fig.data[0].text) == ["6 — rank 1 (tied)", "6 — rank 1 (tied)", "2 — rank 3"]
    assert totals_figure(weighted_totals(ratings.iloc[:0], weights_frame({})), "None").layout.yaxis.title.text


@settings(max_examples=40, deadline=None)
@given(
    scores=st.lists(st.lists(st.integers(1, 3), min_size=3, max_size=3), min_size=2, max_size=4),
    weights=st.lists(st.integers(0, 5), min_size=3, max_size=3),
)
def test_flip_distances_are_exact(scores, weights):
    """Moving a weight by exactly the reported distance changes the top; moving it by a bit less
    does not; NaN means the top holds across the whole range."""
    options = [f"O{i}" for i in range(len(scores))]
    ratings = ratings_frame({o: dict(zip("xyz", row)) for o, row in zip(options, scores)})
    w = weights_frame(dict(zip("xyz", weights)))

    names, criteria, matrix, vector = _matrix(ratings, w)

    def top(criterion, weight):
        # Same arithmetic and tie rule as weighted_totals/what_if, without the DataFrame cost.
        moved = vector.copy()
        moved[criteria.index(criterion)] = weight
        ranks = _rank(matrix @ moved)
        return {n for n, r in zip(names, ranks) if r == 1}

    base = top("x", float(weights[0]))
    for row in distance_to_flip(ratings, w).itertuples():
        current = dict(zip("xyz", weights))[row.criterion]
        if math.isnan(row.increase_to_flip):
            assert top(row.criterion, current + 1000) == base
        else:
            assert top(row.criterion, current + row.increase_to_flip + (1e-7 if row.increase_to_flip == 0 else 0)) != base
            if row.increase_to_flip > 0:
                assert top(row.criterion, current + row.increase_to_flip * (1 - 1e-6)) == base
        if math.isnan(row.decrease_to_flip):
            assert top(row.criterion, 0) == base
            assert top(row.criterion, current / 2) == base
        else:
            assert row.decrease_to_flip <= current
            target = current - row.decrease_to_flip
            assert top(row.criterion, max(0.0, target - (1e-7 if row.decrease_to_flip == 0 else 0))) != base
            if row.decrease_to_flip > 0:
                assert top(row.criterion, current - row.decrease_to_flip * (1 - 1e-6)) == base


# --------------------------------------------------------------------------------------------
# Reading the result on the page


def test_preferred_and_describe_preference_report_ties():
    ratings = ratings_frame({"A": {"x": 3}, "B": {"x": 3}, "C": {"x": 1}})
    totals = weighted_totals(ratings, weights_frame({"x": 2}))
    assert preferred(totals) == ["A", "B"]
    assert describe_preference("Breckland", totals) == \
        "Breckland: a tie at the top between A and B (6 each, next C 2)."
    single = weighted_totals(HAND_RATINGS, HAND_WEIGHTS)
    assert describe_preference("South Holland", single) == "South Holland: A preferred (13, next B 12)."
    assert preferred(weighted_totals(HAND_RATINGS.iloc[:0], HAND_WEIGHTS)) == []


def test_agreement_sentence():
    same = {"X": weighted_totals(HAND_RATINGS, HAND_WEIGHTS), "Y": weighted_totals(HAND_RATINGS, HAND_WEIGHTS)}
    assert agreement_sentence(same) == "Under every council's weights A ranks first, and C last."
    differ = {"X": weighted_totals(HAND_RATINGS, HAND_WEIGHTS),
              "Y": weighted_totals(HAND_RATINGS, weights_frame({"cost": 1, "service": 5, "capacity": 2}))}
    assert agreement_sentence(differ).startswith("The councils' weights disagree on the first place: X puts A first; Y puts B first")


def test_rating_weight_and_totals_tables():
    words = {3: "high", 2: "medium", 1: "low"}
    frame = HAND_RATINGS.assign(rating=HAND_RATINGS["score"].map(words)).drop(columns="score")
    matrix = rating_matrix(frame).set_index("Option")
    assert list(matrix.columns) == ["cost", "service", "capacity"]
    assert matrix.loc["A", "capacity"] == "high (3)" and matrix.loc["C", "service"] == "low (1)"
    weights = weight_matrix({"Breckland": HAND_WEIGHTS, "South Holland": weights_frame({"cost": 2, "service": 3})})
    assert weights["Criterion"].tolist() == ["cost", "service", "capacity"]
    assert weights["Breckland"].tolist() == [1, 3, 2]
    assert math.isnan(weights["South Holland"].iloc[2])
    ratings = ratings_frame({"A": {"x": 3}, "B": {"x": 3}, "C": {"x": 1}})
    table = totals_table({"Breckland": weighted_totals(ratings, weights_frame({"x": 2})),
                                    "South Holland": weighted_totals(ratings, weights_frame({"x": 1}))})
    assert table.columns.tolist() == ["Option", "Breckland total", "Breckland rank", "South Holland total", "South Holland rank"]
    assert table["Breckland rank"].tolist() == ["1 (tied)", "1 (tied)", "3"]
    # Rows follow the first council's ranking, not the alphabet.
    reversed_ratings = ratings_frame({"Z": {"x": 3}, "A": {"x": 1}})
    table = totals_table({"X": weighted_totals(reversed_ratings, weights_frame({"x": 1})),
                                    "Y": weighted_totals(reversed_ratings, weights_frame({"x": 2}))})
    assert table["Option"].tolist() == ["Z", "A"]


def test_flip_sentences_and_sensitivity_summary():
    details = flip_details(HAND_RATINGS, HAND_WEIGHTS)
    sentences = flip_sentences(details, ["A"])
    assert sentences[0] == ("**cost** (weight 1): raising it by 6 to 7 brings C level with A, and beyond that C is "
                            "preferred; lowering it, even to 0, changes nothing (no change within the range).")
    assert "lowering it by 0.5 to 1.5 brings B level with A" in sentences[2]
    summary = sensitivity_summary("Breckland", details, ["A"])
    assert summary == ("Under Breckland's weights, 3 of 3 criteria can change the preferred option (A); the nearest: "
                       "lowering capacity from 2 to 1.5 brings B level with A.")
    never = flip_details(ratings_frame({"A": {"x": 3, "y": 3}, "B": {"x": 1, "y": 2}}), weights_frame({"x": 1, "y": 4}))
    assert "no change within the range for any criterion" in sensitivity_summary("X", never, ["A"])


def test_slider_limit_reaches_every_flip_point():
    details = flip_details(HAND_RATINGS, HAND_WEIGHTS)
    limit = slider_limit(details)
    assert limit >= details["increase_weight"].max() and limit >= 10
    far = flip_details(HAND_RATINGS, weights_frame({"cost": 1, "service": 30, "capacity": 2}))
    assert slider_limit(far) >= 60


def test_council_totals_figure():
    totals = {"Breckland": weighted_totals(HAND_RATINGS, HAND_WEIGHTS),
              "South Holland": weighted_totals(HAND_RATINGS, weights_frame({"cost": 1, "service": 5, "capacity": 2}))}
    fig = council_totals_figure(totals, "Totals by council")
    assert fig.layout.title.text == "Totals by council"
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert [t.name for t in fig.data] == ["Breckland", "South Holland"]
    assert list(fig.data[0].y) == ["A", "B", "C"] and list(fig.data[1].y) == ["A", "B", "C"]
    assert list(fig.data[1].text) == ["17 — rank 2", "18 — rank 1", "9 — rank 3"]
    assert fig.data[0].marker.pattern.shape != fig.data[1].marker.pattern.shape  # not colour alone


# --- the page's view (monitor.appraisal.view) ------------------------------------------------------

def test_the_view_weighs_each_council_then_an_illustrative_mean():
    from monitor.appraisal.view import COMBINED, weigh

    weights = pd.concat([HAND_WEIGHTS.assign(council_name="Breckland"),
                         weights_frame({"cost": 3, "service": 1, "capacity": 2}).assign(council_name="South Holland")])
    seen = weigh(HAND_RATINGS, weights)
    assert seen.councils == ("Breckland", "South Holland")
    assert list(seen.weights_by) == ["Breckland", "South Holland", COMBINED]
    assert preferred(seen.totals_by["Breckland"]) == ["A"]
    assert seen.weights_by[COMBINED].set_index("criterion")["weight"].to_dict() == {"cost": 2, "service": 2,
                                                                                     "capacity": 2}
    one = weigh(HAND_RATINGS, HAND_WEIGHTS.assign(council_name="Breckland"))
    assert list(one.weights_by) == ["Breckland"]  # one council: no mean to show


def test_what_if_says_whether_the_preferred_option_changes():
    from monitor.appraisal.view import flip_hint, what_if as tried

    current = HAND_WEIGHTS.set_index("criterion")["weight"]
    same = tried(HAND_RATINGS, current, current.to_dict())
    assert same.sentence("Breckland") == ("These are Breckland's own weights: the preferred option is A.", "")
    small = tried(HAND_RATINGS, current, {**current.to_dict(), "cost": 1.5})
    assert not small.changes and small.sentence("Breckland")[0].endswith("is unchanged: A.")
    big = tried(HAND_RATINGS, current, {**current.to_dict(), "service": 8})  # B: 1+24+2=27 > A: 1+16+6=23
    assert big.changes and big.after == ("B",)
    assert big.sentence("Breckland") == ("With service 3 → 8, the preferred option", "from A to B.")
    hint = flip_hint(flip_details(HAND_RATINGS, HAND_WEIGHTS).set_index("criterion").loc["service"])
    assert "B preferred from" in hint
