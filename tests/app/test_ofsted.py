"""The Ofsted page under AppTest on the demo database: what a commissioner and a chief executive read
for West Sussex, Isle of Wight, a district, a council that no longer exists, comparisons, and the
intervention timeline — and every council with children's services renders."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.apptest import open_app, texts
from tests.dbutil import fetch

PAGE = "pages/ofsted.py"
WEST_SUSSEX = "E10000032"
FOUR = ("Overall effectiveness", "The impact of leaders on social work practice with children and families",
        "The experiences and progress of children who need help and protection",
        "The experiences and progress of children in care")
CARE_LEAVERS = "The experiences and progress of care leavers"


def grid_rows(at, title_start: str) -> list[dict]:
    """The rows of the judgement grid under the subheader starting with `title_start` (one st.table
    per framework, in the order of their subheaders), as dicts of markdown cells."""
    families = [h.value for h in at.subheader if "(" in h.value and "inspection" in h.value.lower()]
    tables = list(at.table)
    assert len(tables) == len(families), (families, len(tables))
    for section, table in zip(families, tables):
        if section.startswith(title_start):
            return table.value.to_dict("records")
    raise AssertionError(f"no grid titled {title_start!r} among {families}")


def chart_specs(at) -> dict[str, dict]:
    out = {}
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        out[spec["layout"]["title"]["text"].replace("<br>", " ")] = spec  # wrapped on screen
    return out


def frames(at):
    return [d.value for d in at.dataframe]


def test_defaults_to_the_supported_council_with_west_sussex_grades(demo_db):
    at = open_app(PAGE, query={"programme": "hampshire-west-sussex"})
    assert not at.exception
    assert at.selectbox(key="url_council").value == WEST_SUSSEX
    assert at.query_params["council"] == WEST_SUSSEX
    rows = {r["Inspected"]: r for r in grid_rows(at, "Inspections of local authority children's services (ILACS)")}
    first, second = rows["25 Feb 2019"], rows["13 Mar 2023"]
    assert [first[a] for a in FOUR] == [":red-background[Inadequate]"] * 4
    assert first[CARE_LEAVERS] == ""  # not judged on its own before 2023: blank
    assert first["Published"] == "8 May 2019"
    assert second["Overall effectiveness"] == ":orange-background[Requires improvement to be good]"
    assert second["Inspection"] == "[ILACS Standard Inspection](https://reports.ofsted.gov.uk/provider/44/938)"
    text = texts(at)
    assert "Ofsted region South East" in text and "region (ONS) South East" in text
    assert "00:00:00" not in text


def test_earlier_frameworks_have_their_own_grids(demo_db):
    at = open_app(PAGE, query={"programme": "hampshire-west-sussex"})
    sif = grid_rows(at, "Single inspection framework (SIF)")
    assert sif[0]["Published"] == "20 Jan 2016" and "Inspected" not in sif[0]
    assert "LSCB overall effectiveness" in sif[0]
    slac = grid_rows(at, "Safeguarding and looked after children inspections (SLAC)")
    assert slac[0]["Safeguarding overall effectiveness"] == ":red-background[Inadequate]"
    assert grid_rows(at, "Child protection inspections")[0]["Published"] == "22 Mar 2013"


def test_trajectory_and_context_charts_for_west_sussex(demo_db):
    at = open_app(PAGE, query={"programme": "east-west-sussex"})
    specs = chart_specs(at)
    traj = specs["Ofsted judgements over time: West Sussex"]
    assert traj["layout"]["yaxis"]["title"]["text"] == "Grade"
    panels = [a["text"] for a in traj["layout"]["annotations"] if a["text"].startswith("<b>")]
    assert panels == ["<b>Overall effectiveness (the headline judgement)</b>", "<b>Impact of leaders</b>",
                      "<b>Children who need help and protection</b>", "<b>Children in care</b>", "<b>Care leavers</b>"]
    table = next(f for f in frames(at) if "Judgement" in f.columns)
    ilacs = table[(table["Framework"] == "ILACS") & (table["Judgement"] == "Overall effectiveness")]
    assert list(zip(ilacs["Date"], ilacs["Grade"])) == [("25 Feb 2019", "Inadequate"),
                                                         ("13 Mar 2023", "Requires improvement to be good")]
    leaders = table[table["Judgement"].str.startswith("The impact of leaders")]
    assert list(zip(leaders["Date"], leaders["Grade"])) == [("25 Feb 2019", "Inadequate"), ("13 Mar 2023", "Good")]
    context = specs["Latest grades beside West Sussex"]
    assert context["layout"]["xaxis"]["title"]["text"] == "Per cent of councils"
    dist = next(f for f in frames(at) if "Group" in f.columns)
    assert dist.groupby("Group")["Councils"].sum().to_dict() == {"councils in England (153)": 153,
                                                                 "statistical neighbours (10)": 10}
    text = texts(at)
    assert "West Sussex's latest overall effectiveness is Requires improvement to be good (13 Mar 2023)" in text
    assert ("**Latest graded inspection:** ILACS Standard Inspection, 13 Mar 2023 (ILACS 2023): Requires improvement to "
            "be good overall; impact of leaders Good") in text
    assert "Focused visit" in " ".join(str(f.to_dict()) for f in frames(at))
    assert "Care leavers" in " ".join(str(f.to_dict()) for f in frames(at))  # the visit's theme


def test_the_commission_sets_the_isle_of_wight_partnership_beside_west_sussex(demo_db):
    """Hampshire's earlier partnership (seed 001 para 3: the Isle of Wight from 2013, now Good) is the
    commission's comparator, from the programme_comparator table: in the grids and on the trajectory."""
    at = open_app(PAGE, query={"programme": "hampshire-west-sussex"})
    assert at.multiselect(key="ofsted_compare").value == ["E06000046"]
    councils = list(dict.fromkeys(r["Council"] for r in grid_rows(at, "Inspections of local authority")))
    assert councils == ["West Sussex", "Isle of Wight"]
    spec = chart_specs(at)["Ofsted judgements over time: West Sussex beside Isle of Wight"]
    beside = [t for t in spec["data"] if t.get("name") == "Isle of Wight (comparator)"]
    assert beside and all(t["line"]["dash"] == "dash" for t in beside)
    text = texts(at)
    assert "**Compared with Isle of Wight** (hollow grey markers, dashed line): Hampshire's first children's services " \
           "partnership" in text and "Source: [001 para 3](sources?paper=001&passage=3)" in text
    assert "Compared with Isle of Wight: 5 graded inspections since 2010" in text and "to Good (30 Oct 2023, ILACS)" in text
    table = next(f for f in frames(at) if "Judgement" in f.columns)
    assert set(table["Council"]) == {"West Sussex", "Isle of Wight"}
    # Taking it out of the comparison takes it off the chart too; another programme does not bring it.
    at.multiselect(key="ofsted_compare").set_value([]).run()
    assert "Ofsted judgements over time: West Sussex" in chart_specs(at)
    other = open_app(PAGE, query={"programme": "east-west-sussex"})
    assert other.multiselect(key="ofsted_compare").value == []


def test_isle_of_wight_from_cpi_inadequate_to_good(demo_db):
    at = open_app(PAGE, query={"programme": "hampshire-west-sussex", "council": "E06000046"})
    assert at.selectbox(key="url_council").value == "E06000046"
    table = next(f for f in frames(at) if "Judgement" in f.columns)
    assert list(zip(table["Date"], table["Framework"], table["Grade"]))[1] == ("15 Jan 2013", "CPI", "Inadequate")
    assert table["Grade"].iloc[-1] == "Good"
    assert "to Good (30 Oct 2023, ILACS)" in texts(at)


def test_district_says_plainly_it_has_no_childrens_services(demo_db):
    at = open_app(PAGE, query={"programme": "breckland-south-holland"})
    assert not at.exception
    assert at.selectbox(key="url_council").value == "E07000143"
    info = " ".join(str(i.value) for i in at.info)
    assert "Breckland is a district council: it has no children's services, so Ofsted does not inspect it" in info
    assert "run by Norfolk" in info
    headers = [h.value for h in at.header]
    assert "Judgement history" not in headers and "Trajectory" not in headers
    assert "Intervention timeline" in headers
    assert "no children's services" in texts(at)


def test_district_compared_with_its_neighbours_says_it_has_none(demo_db):
    at = open_app(PAGE, query={"programme": "breckland-south-holland", "compare": "statistical neighbours"})
    assert not at.exception
    assert "Breckland has no statistical neighbours in DfE's 2025 model" in texts(at)
    at.multiselect(key="ofsted_compare").set_value(["E10000020"]).run()
    assert [r["Council"] for r in grid_rows(at, "Inspections of local authority")][0] == "Norfolk"


def test_council_that_no_longer_exists_shows_its_history(demo_db):
    at = open_app(PAGE, query={"programme": "hampshire-west-sussex", "council": "E10000006"})
    assert not at.exception
    warning = " ".join(str(w.value) for w in at.warning)
    assert "Cumbria no longer exists: it was abolished on 1 Apr 2023" in warning
    assert grid_rows(at, "Single inspection framework (SIF)")
    assert "has no statistical neighbours in DfE's 2025 model" in texts(at)


def test_somerset_county_points_to_the_unitary_code(demo_db):
    at = open_app(PAGE, query={"programme": "south-somerset-sedgemoor", "council": "E10000027"})
    assert not at.exception
    assert "now served by Somerset" in " ".join(str(w.value) for w in at.warning)
    somerset = open_app(PAGE, query={"programme": "south-somerset-sedgemoor", "council": "E06000066"})
    assert grid_rows(somerset, "Single inspection framework (SIF)")


def test_compare_with_statistical_neighbours_side_by_side(demo_db):
    at = open_app(PAGE, query={"programme": "hampshire-west-sussex"})
    at.multiselect(key="ofsted_compare").set_value(["statistical neighbours"]).run()
    assert not at.exception
    assert at.query_params["compare"] == "statistical neighbours"
    rows = grid_rows(at, "Inspections of local authority children's services (ILACS)")
    councils = list(dict.fromkeys(r["Council"] for r in rows))
    neighbours = fetch(demo_db, "SELECT n.authority_name FROM statistical_neighbour s JOIN authority n "
                                "ON n.ons_code = s.neighbour_ons_code WHERE s.ons_code = $c ORDER BY neighbour_rank",
                       {"c": WEST_SUSSEX})["authority_name"].tolist()
    assert councils == ["West Sussex", *neighbours]
    assert "West Sussex and 10 councils compared" in texts(at)


def test_compare_with_chosen_councils_from_the_url(demo_db):
    at = open_app(PAGE, query={"programme": "hampshire-west-sussex", "compare": "E06000046,E10000014"})
    assert at.multiselect(key="ofsted_compare").value == ["E06000046", "E10000014"]
    councils = list(dict.fromkeys(r["Council"] for r in grid_rows(at, "Inspections of local authority")))
    assert councils == ["West Sussex", "Isle of Wight", "Hampshire"]
    assert at.multiselect(key="ofsted_compare").proto.max_selections == 10


def test_intervention_timeline_of_the_commission(demo_db):
    at = open_app(PAGE, query={"programme": "hampshire-west-sussex"})
    specs = chart_specs(at)
    title = "Intervention timeline: Hampshire – West Sussex children's services commission (DfE) (West Sussex)"
    assert title in specs
    lanes = {t["name"] for t in specs[title]["data"]}
    assert lanes == {"Ofsted inspections", "Ofsted visits", "DfE intervention", "Commissioner reports",
                     "Key milestones"}
    text = texts(at)
    assert ("DfE's intervention: commissioner appointed 1 May 2019; statutory direction issued 4 Jun 2019; "
            "commissioner appointed 3 Feb 2020; statutory direction revised 1 Jul 2020; statutory direction revised "
            "10 Dec 2020; statutory direction revised 31 Mar 2022; statutory direction lifted 11 May 2023") in text
    register = next(f for f in frames(at) if "Document" in f.columns and "What" not in f.columns)
    assert register["Event"].tolist()[:2] == ["Commissioner appointed", "Statutory direction issued"]
    assert register["Document"].iloc[1] == "https://www.gov.uk/government/publications/direction-issued-to-west-sussex-county-council"
    assert pd.isna(register["Document"].iloc[0])  # no public document: no link
    assert "Illustrative data" in text  # the commissioner reports' content and some milestone dates
    events = next(f for f in frames(at) if "What" in f.columns)
    assert ("25 Feb 2019", "ILACS Standard Inspection: Inadequate") in set(zip(events["Date"], events["Event"]))
    assert ("13 Mar 2023", "ILACS Standard Inspection: Requires improvement to be good") in set(zip(events["Date"], events["Event"]))


def test_changing_programme_moves_to_its_council(demo_db):
    at = open_app(PAGE, query={"programme": "east-west-sussex", "council": "E06000046"})
    assert at.selectbox(key="url_council").value == "E06000046"  # the link's council wins at first
    at.selectbox(key="programme").set_value("essex-braintree-brentwood").run()
    assert not at.exception
    assert at.selectbox(key="url_council").value == "E10000012"  # Essex, the lead council
    assert at.query_params["council"] == "E10000012"


@pytest.mark.parametrize("programme", ["east-west-sussex", "hampshire-west-sussex", "essex-braintree-brentwood",
                                       "breckland-south-holland", "south-somerset-sedgemoor"])
def test_every_programme_renders(demo_db, programme):
    at = open_app(PAGE, query={"programme": programme})
    assert not at.exception
    assert "Intervention timeline" in [h.value for h in at.header]


def test_every_role_may_open_it(demo_db):
    for email in ("cllr.southholland@example.gov.uk", "commissioner@example.gov.uk", "ceo.eastsussex@example.gov.uk"):
        at = open_app(PAGE, email=email)
        assert not at.exception and "not available" not in texts(at)


def test_every_council_with_childrens_services_renders(demo_db):
    """All 153 current councils and the 6 former ones, in one AppTest: change the council, rerun."""
    codes = fetch(demo_db, "SELECT ons_code, authority_name, abolished_date IS NULL AS current FROM authority "
                           "WHERE is_childrens_services ORDER BY ons_code")
    assert int(codes["current"].sum()) == 153
    at = open_app(PAGE, query={"programme": "hampshire-west-sussex"})
    failures = []
    for code, name in zip(codes["ons_code"], codes["authority_name"]):
        at.selectbox(key="url_council").set_value(code).run()
        if at.exception:
            failures.append((code, at.exception[0].message))
            at = open_app(PAGE, query={"programme": "hampshire-west-sussex"})
            continue
        facts = next((str(m.value) for m in at.markdown if str(m.value).startswith("**")), "")
        if f"ONS code {code}" not in facts:
            failures.append((code, f"facts line missing: {facts[:80]}"))
    assert not failures, failures
