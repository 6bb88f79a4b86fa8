"""Risks page under AppTest: every programme, overdue reviews first, movement in words and arrows,
a heat-map cell picked to list its risks, filters from the URL, and who sees which programme."""

import pytest

from monitor import clock
from tests.apptest import open_app, texts
from tests.dbutil import fetch

PROGRAMMES = ["east-west-sussex", "hampshire-west-sussex", "essex-braintree-brentwood", "breckland-south-holland",
              "south-somerset-sedgemoor"]


def frames(at):
    """The page's dataframes: [heat-map table, (cell table,) register]."""
    return [d.value for d in at.dataframe]


def register(at):
    return frames(at)[-1]


def heat_text(at):
    """The text of every heat-map cell (z rows are impact, columns likelihood)."""
    import json
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return spec["data"][0]["text"]


@pytest.mark.parametrize("programme_id", PROGRAMMES)
def test_every_programme_renders_its_whole_register(demo_db, programme_id):
    at = open_app("pages/risks.py", query={"programme": programme_id})
    assert not at.exception, at.exception
    expected = fetch(demo_db, "SELECT risk_id, status FROM risk WHERE programme_id = $p", {"p": programme_id})
    table = register(at)
    assert sorted(table["Risk"]) == sorted(expected["risk_id"])
    headers = [h.value for h in at.header]
    assert headers == ["Heat map", "Risk register"]
    text = texts(at)
    assert "Illustrative data" in text or not expected.empty
    # Dates are text like "3 Feb 2020", never a timestamp.
    assert not table.astype(str).apply(lambda c: c.str.contains("00:00:00")).any().any()
    # Open risks only on the map by default: the counts in the cells add up to the open risks.
    cells = heat_text(at)
    mapped = sum(int(t.split(" risk")[0].replace("<b>", "")) for row in cells for t in row)
    assert mapped == int((expected["status"] == "open").sum())


def test_overdue_reviews_come_first_and_say_so(demo_db):
    today = clock.today()
    late = fetch(demo_db, "SELECT risk_id, next_review_date FROM risk WHERE programme_id = 'essex-braintree-brentwood' "
                          "AND status = 'open' AND next_review_date < $t ORDER BY next_review_date",
                 {"t": today})
    assert len(late) > 0, "the demo data should have an overdue review"
    at = open_app("pages/risks.py", query={"programme": "essex-braintree-brentwood"})
    table = register(at)
    n = len(late)
    assert table["Risk"].iloc[:n].tolist() == late["risk_id"].tolist()  # longest overdue first
    assert table["Review"].iloc[:n].str.startswith("⚠ Overdue by").all()
    assert not table["Review"].iloc[n:].str.contains("Overdue").any()
    first_days = (today - late["next_review_date"].iloc[0].date()).days
    assert table["Review"].iloc[0] == f"⚠ Overdue by {first_days} days"
    assert next(m for m in at.metric if m.label == "Reviews overdue").value == str(n)
    assert f"{n} reviews overdue" in texts(at)


def test_movement_since_an_earlier_reporting_date_uses_arrows_and_words(demo_db):
    at = open_app("pages/risks.py", query={"programme": "essex-braintree-brentwood", "since": "2026-03-31"})
    assert at.selectbox(key="risks_since").value == "2026-03-31"
    movement = register(at).set_index("Risk")["Movement"]
    # ebb-r05 was 4 × 4 = 16 on 31 Mar 2026 and is 4 × 5 = 20 now.
    assert movement["ebb-r05"] == "▲ up: 16 → 20"
    assert movement["ebb-r01"] == "► no change (9)"
    assert movement["ebb-r04"] == "closed earlier"  # closed in 2014: no movement since 2026
    assert "Movement since 31 Mar 2026:" in texts(at)
    worse = fetch(demo_db, "SELECT count(*) AS n FROM risk r JOIN risk_snapshot s USING (risk_id) "
                           "WHERE r.programme_id = 'essex-braintree-brentwood' AND s.reporting_date = DATE '2026-03-31' "
                           "AND r.status = 'open' AND r.likelihood * r.impact > s.likelihood * s.impact")["n"].iloc[0]
    assert worse > 0
    assert next(m for m in at.metric if m.label == "Worse since 31 Mar 2026").value == str(worse)
    assert (movement.str.startswith("▲ up")).sum() == worse


def test_default_movement_is_since_the_latest_reporting_date(demo_db):
    at = open_app("pages/risks.py", query={"programme": "east-west-sussex"})
    latest = fetch(demo_db, "SELECT max(s.reporting_date) AS d FROM risk_snapshot s JOIN risk r USING (risk_id) "
                            "WHERE r.programme_id = 'east-west-sussex' AND s.reporting_date <= $t",
                   {"t": clock.today()})["d"].iloc[0]
    assert at.selectbox(key="risks_since").value == latest.date().isoformat()


def test_picking_a_cell_lists_its_risks(demo_db):
    at = open_app("pages/risks.py", query={"programme": "essex-braintree-brentwood"})
    picker = at.selectbox(key="risk_cell")
    assert picker.value == "all"
    assert "4-5" in picker.options or any("impact 5" in o for o in picker.options)
    picker.set_value("4-5").run()
    assert not at.exception
    assert any("likelihood 4 × impact 5" in s.value for s in at.subheader)
    cell_table = frames(at)[1]
    assert cell_table["Risk"].tolist() == ["ebb-r05"]
    assert at.query_params["cell"] == "4-5"
    # The picked cell is outlined on the map.
    import json
    shapes = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["shapes"]
    assert shapes[0]["x0"] == 3.5 and shapes[0]["y0"] == 4.5


def test_cell_from_the_url_and_target_scores(demo_db):
    at = open_app("pages/risks.py", query={"programme": "east-west-sussex", "scores": "target", "cell": "2-3"})
    assert not at.exception
    expected = fetch(demo_db, "SELECT risk_id FROM risk WHERE programme_id = 'east-west-sussex' AND status = 'open' "
                              "AND target_likelihood = 2 AND target_impact = 3 ORDER BY risk_id")
    assert sorted(frames(at)[1]["Risk"]) == expected["risk_id"].tolist()
    assert at.get("plotly_chart")[0].proto.spec.count("Target likelihood") == 1


def test_heat_map_cells_carry_counts_and_scores_in_words(demo_db):
    at = open_app("pages/risks.py", query={"programme": "essex-braintree-brentwood"})
    cells = heat_text(at)
    assert cells[5 - 1][4 - 1] == "<b>1 risk</b><br>score 20 (Very high)"
    assert cells[0][0] == "0 risks<br>score 1 (Low)"
    table = frames(at)[0]
    assert len(table) == 25 and int(table["Risks"].sum()) == 7


def test_closed_programme_maps_closed_risks_when_asked(demo_db):
    at = open_app("pages/risks.py", query={"programme": "breckland-south-holland"})
    text = texts(at)
    assert "This programme closed on 31 Mar 2021" in text
    assert "No open risks to map." in text
    at = open_app("pages/risks.py", query={"programme": "breckland-south-holland", "risk_status": "closed"})
    assert "8 risks by current score" in texts(at)
    assert set(register(at)["Review"]) == {"Closed"}


def test_filters_from_the_url(demo_db):
    at = open_app("pages/risks.py", query={"programme": "east-west-sussex", "category": "financial",
                                           "risk_status": "open"})
    table = register(at)
    expected = fetch(demo_db, "SELECT risk_id FROM risk WHERE programme_id = 'east-west-sussex' AND "
                              "category = 'financial' AND status = 'open'")
    assert sorted(table["Risk"]) == sorted(expected["risk_id"])
    assert set(table["Category"]) == {"financial"}
    at.multiselect(key="risks_owner").set_value(["Chief Executive"]).run()
    assert register(at).empty or set(register(at)["Owner"]) == {"Chief Executive"}


def test_scores_read_as_number_and_band(demo_db):
    at = open_app("pages/risks.py", query={"programme": "east-west-sussex"})
    row = register(at).set_index("Risk").loc["ews-r01"]
    assert (row["Inherent score"], row["Current score"], row["Target score"]) == ("16 (Very high)", "9 (Medium)", "6 (Medium)")
    assert row["Raised"] == "1 Jan 2020"


def test_a_chief_executive_sees_only_their_programme(demo_db):
    at = open_app("pages/risks.py", email="ceo.eastsussex@example.gov.uk")
    assert not at.exception
    assert at.selectbox(key="programme").options == ["East Sussex – West Sussex corporate improvement partnership"]
    assert all(r.startswith("ews-") for r in register(at)["Risk"])
