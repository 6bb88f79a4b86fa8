"""Options appraisal under AppTest: every programme, the demo appraisal's result (New local
strategic partnership preferred by both councils, As is last), where the weights came from, the
distance to flip (Deliverability 4 → 7.5 for Breckland, 4 → 7 for South Holland), and what-if
sliders that recompute on screen and never write."""
import pytest

from tests.apptest import cited, open_app, texts
from tests.dbutil import fetch, scalar

PAGE = "pages/options_appraisal.py"
PROGRAMMES = ["east-west-sussex", "hampshire-west-sussex", "essex-braintree-brentwood", "breckland-south-holland",
              "south-somerset-sedgemoor"]
BSH = "breckland-south-holland"
SCRUTINY = "cllr.southholland@example.gov.uk"
LEADER = "New local strategic partnership"


def slider_key(who, criterion):
    return f"whatif_bsh-2020_{who}_{criterion}"


def db_state(db):
    """Everything a what-if must not touch."""
    return (
        scalar(db, "SELECT data_version FROM data_version"),
        scalar(db, "SELECT count(*) FROM change_log"),
        fetch(db, "SELECT criterion_id, ons_code, weight, row_version FROM criterion_weight ORDER BY ALL").to_dict("records"),
        fetch(db, "SELECT option_id, criterion_id, CAST(rating AS VARCHAR) AS r FROM option_rating ORDER BY ALL").to_dict("records"),
    )


@pytest.mark.parametrize("programme_id", PROGRAMMES)
def test_every_programme_renders(demo_db, programme_id):
    at = open_app(PAGE, query={"programme": programme_id})
    assert not at.exception, at.exception
    has_appraisal = scalar(demo_db, "SELECT count(*) FROM appraisal WHERE programme_id = $p", {"p": programme_id})
    name = scalar(demo_db, "SELECT programme_name FROM programme WHERE programme_id = $p", {"p": programme_id})
    if has_appraisal:
        assert "The preferred option" in [h.value for h in at.subheader]
    else:
        assert f"No options appraisal is recorded for {name}." in texts(at)
        assert not at.get("plotly_chart") and not at.slider


def test_demo_appraisal_result_and_its_sources(demo_db):
    at = open_app(PAGE, query={"programme": BSH})
    text = texts(at)
    assert f"Breckland: {LEADER} preferred (60, next Stand-alone 53)." in text
    assert f"South Holland: {LEADER} preferred (62, next Stand-alone 56)." in text
    assert f"Under every council's weights {LEADER} ranks first, and As is (continue shared arrangements) last." in text
    totals = next(d.value for d in at.dataframe if "Breckland total" in d.value.columns)
    assert totals.iloc[0]["Option"] == LEADER and totals.iloc[-1]["Option"].startswith("As is")
    assert totals.iloc[0]["Breckland total"] == 60 and totals.iloc[0]["South Holland total"] == 62
    # Ratings as words with scores; weights with who set them, when, and the source.
    ratings = next(d.value for d in at.dataframe if "Deliverability" in d.value.columns and "Option" in d.value.columns)
    assert ratings.set_index("Option").loc["Stand-alone", "Deliverability"] == "high (3)"
    origin = next(d.value for d in at.dataframe if "Set by" in d.value.columns)
    assert origin.set_index("Council").loc["Breckland", "Set on"] == "22 Jun 2020"
    assert origin.set_index("Council").loc["South Holland", "Set by"] == "South Holland Cabinet (informal)"
    assert "003 §13 (values and dates illustrative)" in {cited(c) for c in origin["Source"]}
    assert "Illustrative data:" in text and "1 Jul 2020" in text and "00:00" not in text


def test_distance_to_flip_for_each_council(demo_db):
    at = open_app(PAGE, query={"programme": BSH})
    assert at.selectbox(key="url_weights").value == "Breckland"
    text = texts(at)
    assert "the nearest: raising Deliverability from 4 to 7.5 brings Stand-alone level with " + LEADER in text
    assert "**Deliverability** (weight 4): raising it by 3.5 to 7.5" in text
    assert "no change within the range" in text
    at.selectbox(key="url_weights").set_value("South Holland").run()
    assert at.query_params["weights"] == "South Holland"
    assert "the nearest: raising Deliverability from 4 to 7 brings Stand-alone level with " + LEADER in texts(at)
    # The tornado's table is the distance to flip itself.
    flips = next(d.value for d in at.dataframe if "increase_to_flip" in d.value.columns)
    assert flips.set_index("criterion").loc["Deliverability", "increase_to_flip"] == 3


def test_what_if_recomputes_and_never_writes(fresh_db):
    before = db_state(fresh_db)
    at = open_app(PAGE, query={"programme": BSH}, email=SCRUTINY)
    assert not at.exception
    slider = at.slider(key=slider_key("Breckland", "Deliverability"))
    assert slider.value == 4.0 and slider.max >= 7.5
    assert "Stand-alone preferred from 7.5" in slider.help
    slider.set_value(7.0).run()
    assert f"the preferred option is unchanged: {LEADER}" in texts(at)
    at.slider(key=slider_key("Breckland", "Deliverability")).set_value(7.5).run()
    assert f"the preferred option **changes** from {LEADER} to {LEADER} and Stand-alone (a tie)" in texts(at)
    at.slider(key=slider_key("Breckland", "Deliverability")).set_value(8.0).run()
    text = texts(at)
    assert f"With Deliverability 4 → 8, the preferred option **changes** from {LEADER} to Stand-alone." in text
    assert "With these weights: Stand-alone preferred (65, next New local strategic partnership 64)." in text
    # The councils' own figures above are untouched by the what-if.
    assert f"Breckland: {LEADER} preferred (60, next Stand-alone 53)." in text
    at.button[0].click().run()
    assert at.slider(key=slider_key("Breckland", "Deliverability")).value == 4.0
    assert "These are Breckland's own weights" in texts(at)
    assert db_state(fresh_db) == before


def test_scrutiny_member_finds_nothing_to_edit(demo_db):
    at = open_app(PAGE, email=SCRUTINY)
    assert not at.exception
    assert at.query_params["programme"] == BSH
    assert not at.get("data_editor") and not at.get("text_input") and not at.get("text_area")
    assert not at.get("file_uploader") and not at.get("form") and not at.get("number_input")
    assert [b.label for b in at.button] == ["Reset to the councils' weights"]
