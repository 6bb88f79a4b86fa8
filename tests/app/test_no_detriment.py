"""No-detriment under AppTest: each lending council on the real DfE series, every programme, the
pickers in the URL, and the Overview and this page agreeing on which indicators are of concern."""
import base64
import json

import numpy as np
import pytest

from tests.apptest import open_app, texts

PROGRAMMES = ["east-west-sussex", "hampshire-west-sussex", "essex-braintree-brentwood",
              "breckland-south-holland", "south-somerset-sedgemoor"]


def charts(at):
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def numbers(array):
    """Plotly's JSON arrays: plain lists or base64 {"dtype", "bdata"}."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).astype(float)
    return np.array([np.nan if v is None else v for v in array], dtype=float)


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_every_programme_renders(demo_db, programme):
    at = open_app("pages/no_detriment.py", query={"programme": programme})
    assert not at.exception
    if programme in ("east-west-sussex", "hampshire-west-sussex"):
        assert len(at.get("plotly_chart")) == 10  # 5 indicators × (XmR + neighbours)
    else:
        assert "has no lending council with no-detriment indicators" in texts(at)


def test_east_sussex_reads_one_sentence_per_indicator(demo_db):
    at = open_app("pages/no_detriment.py", query={"programme": "east-west-sussex"})
    text = texts(at)
    assert at.query_params["council"] == "E10000011"
    assert "**East Sussex** lends leadership" in text and "1 Jan 2020" in text
    bullets = [m.value for m in at.markdown if m.value.startswith("- **") and " · " in m.value]
    assert len(bullets) == 5
    for bullet in bullets:
        assert "against the 2013–2019 baseline" in bullet or "against the 2017–2019 baseline" in bullet
        assert "statistical neighbours" in bullet and "England's" in bullet
    assert "limits provisional: the baseline has only 3 published years" in text
    assert "illustrative" in text.lower()
    assert len(at.dataframe) >= 11  # summary + 5 × 2 "view as table"


def test_hampshire_re_referrals_are_a_concern_worse_than_every_neighbour(demo_db):
    at = open_app("pages/no_detriment.py", query={"programme": "hampshire-west-sussex"})
    text = texts(at)
    assert "1 of 5 indicators of Hampshire shows a special cause of concern" in text
    line = next(m.value for m in at.markdown if "Re-referrals" in m.value and m.value.startswith("- **"))
    assert line.startswith("- **▲ Concern**")
    assert "special cause of concern since the partnership began" in line
    assert "2023-24 not published by DfE" in line  # the suppressed year is named, not zero
    assert "Hampshire moved differently from its neighbours: worse than all 10" in line


def test_suppressed_year_is_a_gap_in_the_chart_not_zero(demo_db):
    at = open_app("pages/no_detriment.py", query={"programme": "hampshire-west-sussex"})
    spec = next(s for s in charts(at) if "Re-referrals" in s["layout"]["title"]["text"] and "XmR" in s["layout"]["title"]["text"])
    line = next(t for t in spec["data"] if t.get("name") == "Value")
    x, y = line["x"], numbers(line["y"])
    assert np.isnan(y[x.index("2023-24")])
    assert y[x.index("2024-25")] == pytest.approx(41.0)
    assert any(t.get("name") == "Not published (gap)" for t in spec["data"])


def test_every_chart_has_a_title_and_axis_titles_and_provisional_limits_are_labelled(demo_db):
    at = open_app("pages/no_detriment.py", query={"programme": "east-west-sussex"})
    specs = charts(at)
    for spec in specs:
        layout = spec["layout"]
        assert layout["title"]["text"]
        assert layout["xaxis"]["title"]["text"] and layout["yaxis"]["title"]["text"]
    xmr_specs = [s for s in specs if "XmR" in s["layout"]["title"]["text"]]
    assert len(xmr_specs) == 5
    for spec in xmr_specs:
        limit = next(t for t in spec["data"] if t.get("name", "").startswith("Upper process limit"))
        assert limit["name"] == "Upper process limit (provisional)" and limit["line"]["dash"] == "dash"


def test_the_programme_picker_switches_council(demo_db):
    at = open_app("pages/no_detriment.py", query={"programme": "east-west-sussex"})
    at.selectbox(key="programme").set_value("hampshire-west-sussex").run()
    assert not at.exception
    assert at.query_params["programme"] == "hampshire-west-sussex"
    assert at.query_params["council"] == "E10000014"
    assert "**Hampshire** lends leadership" in texts(at)


@pytest.mark.parametrize("programme, council", [("east-west-sussex", "East Sussex"), ("hampshire-west-sussex", "Hampshire")])
def test_overview_card_and_page_agree(demo_db, programme, council):
    page = texts(open_app("pages/no_detriment.py", query={"programme": programme}))
    concerns = page.count("- **▲ Concern**")
    overview = open_app("pages/overview.py")
    card = next(m.value for m in overview.markdown if m.value.startswith("**No detriment:**") and council in m.value)
    if concerns:
        assert f"Concern: {concerns} of 5 indicators" in card
    else:
        assert "No sign of deterioration" in card


def test_east_sussex_chief_executive_sees_only_their_programme(demo_db):
    at = open_app("pages/no_detriment.py", email="ceo.eastsussex@example.gov.uk",
                  query={"programme": "hampshire-west-sussex"})
    assert not at.exception
    assert at.selectbox(key="programme").options == ["East Sussex – West Sussex corporate improvement partnership"]
    assert "**East Sussex** lends leadership" in texts(at)
