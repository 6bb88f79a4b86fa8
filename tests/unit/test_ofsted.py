"""monitor.ofsted on hand-made frames: which council, what to say about it, the grids (each
framework's own areas, blanks kept blank), trajectory, context, visits and the intervention timeline."""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import plotly.graph_objects as go
from monitor.ofsted.councils import STAT_NEIGHBOURS, compare_codes, council_facts, council_labels, council_notes, default_council
from monitor.ofsted.grades import FAMILIES, grid, grid_cells, grids, grids_long
from monitor.text import plain
from monitor.ofsted.timeline import LANES, intervention_events, timeline_figure, timeline_summary, timeline_table
from monitor.ofsted.context import context_figure, context_summary, grade_distribution, neighbours_latest
from monitor.ofsted.trajectory import trajectory, trajectory_figure, trajectory_summary, trajectory_table, visits, visits_coverage, visits_table
from monitor.loaders.ofsted import ILACS_JUDGEMENTS

T = pd.Timestamp
NAT = pd.NaT
CARE_LEAVERS = "The experiences and progress of care leavers"


def inspection(iid, code, framework, kind, inspected, published, *, name=None, type_=None, theme=None,
               region="South East", link="https://reports.ofsted.gov.uk/provider/44/938"):
    return {"inspection_id": iid, "ons_code": code, "authority_name": name or code, "framework": framework,
            "inspection_type": type_ or f"{framework} inspection", "kind": kind,
            "inspection_date": T(inspected) if inspected else NAT, "published_date": T(published) if published else NAT,
            "ofsted_region": region, "visit_theme": theme, "web_link": link, "source": "ofsted_test.csv"}


def frames():
    ins = pd.DataFrame([
        inspection("ws-slac", "WS", "SLAC", "full inspection", None, "2010-12-17", name="West Sussex"),
        inspection("ws-sif", "WS", "SIF", "full inspection", None, "2016-01-20", name="West Sussex"),
        inspection("ws-2019", "WS", "ILACS", "full inspection", "2019-02-25", "2019-05-08", name="West Sussex",
                   type_="ILACS Standard Inspection"),
        inspection("ws-2023", "WS", "ILACS", "full inspection", "2023-03-13", "2023-05-11", name="West Sussex",
                   type_="ILACS Standard Inspection", region="North East, Yorkshire and The Humber"),
        inspection("ws-fv", "WS", "ILACS", "focused visit", "2024-07-24", "2024-08-23", name="West Sussex",
                   theme="Care leavers"),
        inspection("iw-cpi", "IW", "CPI", "full inspection", None, "2013-01-15", name="Isle of Wight"),
        inspection("iw-2018", "IW", "ILACS", "full inspection", "2018-11-19", "2019-01-07", name="Isle of Wight"),
    ])
    jud = [("ws-slac", "Safeguarding overall effectiveness", "Inadequate"),
           ("ws-slac", "Looked after children overall effectiveness", "Good"),
           ("ws-sif", "Overall effectiveness", "Requires improvement to be good"),
           ("ws-sif", "Adoption performance", "Good"),
           *[("ws-2019", a, "Inadequate") for a in ILACS_JUDGEMENTS if a != CARE_LEAVERS],
           *[("ws-2023", a, "Requires improvement to be good") for a in ILACS_JUDGEMENTS],
           ("iw-cpi", "Overall effectiveness", "Inadequate"),
           ("iw-2018", "Overall effectiveness", "Good")]
    j = pd.DataFrame(jud, columns=["inspection_id", "judgement_area", "grade"])
    j["source"] = "ofsted_test.csv"
    return ins, j


def councils():
    rows = [
        ("E10000032", "938", "West Sussex", "county", "South East", True, NAT, None, None, None, None, NAT, None),
        ("E07000143", None, "Breckland", "district", "East of England", False, NAT, None, None, "E10000020", "Norfolk", NAT, None),
        ("E10000020", "926", "Norfolk", "county", "East of England", True, NAT, None, None, None, None, NAT, None),
        ("E10000006", "909", "Cumbria", "county", "North West", True, T("2023-04-01"), None, None, None, None, NAT, None),
        ("E10000027", None, "Somerset County Council", "county", "South West", True, T("2023-04-01"), "E06000066",
         "Somerset", None, None, NAT, None),
        ("E07000189", None, "South Somerset", "district", "South West", False, T("2023-04-01"), "E06000066", "Somerset",
         "E10000027", "Somerset County Council", T("2023-04-01"), "E06000066"),
    ]
    return pd.DataFrame(rows, columns=["ons_code", "dfe_code", "authority_name", "tier", "region_name",
                                       "is_childrens_services", "abolished_date", "successor_ons_code",
                                       "successor_name", "upper_tier_ons_code", "upper_tier_name",
                                       "upper_tier_abolished_date", "upper_tier_successor_ons_code"])


def council(code):
    c = councils()
    return c[c["ons_code"] == code].iloc[0]


# ---- which council and what to say ------------------------------------------------------------

def test_default_council_is_supported_then_lead_then_partner():
    parties = pd.DataFrame([
        ("p1", "E10000014", "Hampshire", "improvement partner"), ("p1", "E10000032", "West Sussex", "supported council"),
        ("p2", "E07000067", "Braintree", "partner"), ("p2", "E10000012", "Essex", "lead"),
        ("p3", "E07000143", "Breckland", "partner"), ("p3", "E07000140", "South Holland", "partner"),
    ], columns=["programme_id", "ons_code", "authority_name", "role"])
    assert default_council(parties, "p1") == "E10000032"
    assert default_council(parties, "p2") == "E10000012"
    assert default_council(parties, "p3") == "E07000143"  # alphabetical: Breckland
    assert default_council(parties, "nope") is None
    assert default_council(parties, None) is None


def test_labels_say_district_and_no_longer_exists():
    labels = council_labels(councils())
    assert labels["E07000143"] == "Breckland (district: no children's services)"
    assert labels["E10000006"] == "Cumbria (no longer exists)"
    assert labels["E10000032"] == "West Sussex"
    assert list(labels)[0] == "E07000143"  # ordered by name


def test_district_note_says_so_plainly_and_points_to_the_county():
    notes = council_notes(council("E07000143"), has_inspections=False)
    assert len(notes) == 1
    assert "Breckland is a district council: it has no children's services" in notes[0].text
    assert "run by Norfolk" in notes[0].text and notes[0].link_code == "E10000020"


def test_former_council_keeps_history_and_says_it_no_longer_exists():
    notes = council_notes(council("E10000006"), has_inspections=True)
    assert [n.level for n in notes] == ["warning"]
    assert "Cumbria no longer exists: it was abolished on 1 Apr 2023" in notes[0].text
    assert "history is kept" in notes[0].text


def test_former_county_without_inspections_points_to_its_successor():
    notes = council_notes(council("E10000027"), has_inspections=False)
    assert "now served by Somerset" in notes[0].text and notes[0].link_code == "E06000066"
    assert "no inspection" in notes[1].text


def test_former_district_points_through_the_former_county_to_its_successor():
    notes = council_notes(council("E07000189"), has_inspections=False)
    assert any("no longer exists" in n.text for n in notes)
    district = [n for n in notes if "district council" in n.text][0]
    assert district.link_code == "E06000066" and "Somerset County Council" in district.text


def test_facts_show_ofsted_region_beside_the_ons_region():
    ins, _ = frames()
    ins["ons_code"] = ins["ons_code"].replace({"WS": "E10000032"})
    ins.loc[ins["inspection_id"] == "ws-fv", "ofsted_region"] = "North East, Yorkshire and The Humber"
    text = council_facts(council("E10000032"), ins)
    assert "region (ONS) South East" in text
    assert "Ofsted region North East, Yorkshire and the Humber" in text  # latest inspection's, one spelling


def test_compare_codes_expand_statistical_neighbours_once_each():
    sn = pd.DataFrame({"ons_code": ["A"] * 3, "neighbour_rank": [2, 1, 3], "neighbour_ons_code": ["C", "B", "A2"]})
    assert compare_codes(["X", STAT_NEIGHBOURS, "B", "A"], sn, "A") == ["X", "B", "C", "A2"]
    assert compare_codes([], sn, "A") == []


# ---- grids -------------------------------------------------------------------------------------

def test_ilacs_grid_in_ofsteds_wording_with_care_leavers_blank_before_2023():
    ins, j = frames()
    table = grid(ins, j, ["WS"], FAMILIES[0])
    assert list(table.columns) == ["Inspected", "Published", "Inspection", "Framework version", "Ofsted region", "Report",
                                   *ILACS_JUDGEMENTS]
    assert list(table["Inspected"]) == ["13 Mar 2023", "25 Feb 2019"]  # newest first, no 00:00:00
    assert list(table["Framework version"]) == ["ILACS 2023", "ILACS 2018"]  # from the framework reference
    old = table.iloc[1]
    assert [old[a] for a in ILACS_JUDGEMENTS[:4]] == ["Inadequate"] * 4
    assert old[CARE_LEAVERS] == ""  # blank, never a made-up grade
    assert table.iloc[0][CARE_LEAVERS] == "Requires improvement to be good"
    assert "focused visit" not in " ".join(table["Inspection"]).lower()  # visits are not in the graded grid


def test_earlier_frameworks_have_their_own_areas_and_no_inspected_column():
    ins, j = frames()
    tables = dict((f.key, g) for f, g in grids(ins, j, ["WS"]))
    assert list(tables) == ["ILACS", "SIF", "SLAC"]
    sif = tables["SIF"]
    assert "Inspected" not in sif.columns and sif["Published"].tolist() == ["20 Jan 2016"]
    assert "LSCB overall effectiveness" in sif.columns and "Adoption performance" in sif.columns
    assert sif.iloc[0]["Adoption performance"] == "Good" and sif.iloc[0]["LSCB overall effectiveness"] == ""
    assert list(tables["SLAC"].columns[-2:]) == ["Safeguarding overall effectiveness",
                                                 "Looked after children overall effectiveness"]


def test_comparison_grid_has_a_council_column_in_the_order_chosen():
    ins, j = frames()
    table = grid(ins, j, ["IW", "WS"], FAMILIES[0], names={"IW": "Isle of Wight", "WS": "West Sussex"})
    assert table.columns[0] == "Council"
    assert table["Council"].tolist() == ["Isle of Wight", "West Sussex", "West Sussex"]


def test_grid_cells_show_words_colours_links_and_blanks():
    ins, j = frames()
    table = grid(ins, j, ["WS"], FAMILIES[0])
    cells = grid_cells(table, FAMILIES[0].areas)
    assert list(cells.columns[:5]) == ["Inspected", "Published", "Inspection", "Framework version", "Overall effectiveness"]
    assert "Ofsted region" not in cells.columns and "Report" not in cells.columns  # both in the CSV
    old = cells.iloc[1]
    assert old["Overall effectiveness"] == ":red-background[Inadequate]"
    assert old[CARE_LEAVERS] == ""
    assert old["Inspection"] == "[ILACS Standard Inspection](https://reports.ofsted.gov.uk/provider/44/938)"
    assert plain("a|b [x](y) :red[z]", one_line=True) == "a\\|b \\[x\\](y) \\:red\\[z\\]"


def test_grid_cells_drop_links_that_are_not_https():
    frame = pd.DataFrame({"Published": ["1 Jan 2010"], "Inspection": ["SIF"], "Report": ["javascript:alert(1)"],
                          "Overall effectiveness": ["Good"]})
    cells = grid_cells(frame, ("Overall effectiveness",))
    assert cells.iloc[0]["Inspection"] == "SIF" and cells.iloc[0]["Overall effectiveness"] == ":green-background[Good]"


def test_grids_long_is_one_csv_of_every_framework():
    ins, j = frames()
    long = grids_long(grids(ins, j, ["WS"]))
    assert list(long.columns[:7]) == ["Framework", "Framework version", "Inspected", "Published", "Inspection",
                                      "Ofsted region", "Report"]
    assert long["Framework"].tolist() == ["ILACS", "ILACS", "SIF", "SLAC"]
    assert long.loc[long["Framework"] == "SLAC", "Overall effectiveness"].tolist() == [""]
    assert long.loc[long["Framework"] == "SLAC", "Safeguarding overall effectiveness"].tolist() == ["Inadequate"]


# ---- trajectory, visits, context ----------------------------------------------------------------

def test_trajectory_uses_overall_or_slac_safeguarding_oldest_first():
    ins, j = frames()
    traj = trajectory(ins, j, "WS")
    traj = traj[traj["panel"] == "Overall effectiveness"]  # the headline panel
    assert traj["grade"].tolist() == ["Inadequate", "Requires improvement to be good", "Inadequate",
                                      "Requires improvement to be good"]
    assert traj["judgement_area"].iloc[0] == "Safeguarding overall effectiveness"
    assert traj["date_basis"].tolist() == ["published", "published", "inspected", "inspected"]
    assert traj["score"].tolist() == [1, 2, 1, 2]
    summary = trajectory_summary(traj, "West Sussex")
    assert "from Inadequate (17 Dec 2010, SLAC) to Requires improvement to be good (13 Mar 2023, ILACS)" in summary


def test_isle_of_wight_from_cpi_inadequate_to_good():
    ins, j = frames()
    traj = trajectory(ins, j, "IW")
    assert list(zip(traj["framework"], traj["grade"])) == [("CPI", "Inadequate"), ("ILACS", "Good")]
    assert trajectory_table(traj)["Date"].tolist() == ["15 Jan 2013", "19 Nov 2018"]
    assert "Council" not in trajectory_table(traj).columns  # one council: no column for it


def test_trajectory_figure_has_title_axes_grade_words_and_visits_on_the_same_axis():
    ins, j = frames()
    fig = trajectory_figure(trajectory(ins, j, "WS"), visits(ins, "WS"), "West Sussex")
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text == "Ofsted judgements over time: West Sussex"
    # one panel per judgement area graded (the headline first), then the visits, on one time axis
    titles = [a.text for a in fig.layout.annotations if a.text.startswith("<b>")]
    assert titles == ["<b>Overall effectiveness (the headline judgement)</b>", "<b>Impact of leaders</b>",
                      "<b>Children who need help and protection</b>", "<b>Children in care</b>", "<b>Care leavers</b>"]
    assert fig.layout.yaxis.title.text == "Grade" and fig.layout.xaxis6.title.text
    assert fig.layout.xaxis.matches == "x6" and fig.layout.yaxis6.title.text == "Visits"
    assert "Inadequate" in fig.layout.yaxis.ticktext and "Good" in fig.layout.yaxis5.ticktext
    names = {t.name for t in fig.data}
    assert {"Inadequate", "Requires improvement to be good", "Focused visit (not graded)"} <= names
    visit = [t for t in fig.data if t.name == "Focused visit (not graded)"][0]
    assert visit.yaxis == "y6" and "Care leavers" in json.dumps(list(visit.customdata))
    care_leavers = [t for t in fig.data if t.yaxis == "y5" and t.name]
    assert [(t.name, len(t.x)) for t in care_leavers] == [("Requires improvement to be good", 1)]  # 2023 only


def test_trajectory_figure_with_nothing_says_so():
    ins, j = frames()
    fig = trajectory_figure(trajectory(ins, j, "none"), visits(ins, "none"), "Nowhere")
    assert "No monitoring or focused visits listed" in [a.text for a in fig.layout.annotations]
    assert trajectory_summary(trajectory(ins, j, "none"), "Nowhere").endswith("no graded Ofsted inspection in the published files.")


def test_visits_table_has_theme_and_dates():
    ins, _ = frames()
    table = visits_table(visits(ins, "WS"))
    assert table.to_dict("records")[0] == {"Visited": "24 Jul 2024", "Published": "23 Aug 2024", "Visit": "Focused visit",
                                           "Theme": "Care leavers", "Report": "https://reports.ofsted.gov.uk/provider/44/938"}
    assert "24 Jul 2024 to 24 Jul 2024" in visits_coverage(ins)


def latest():
    return pd.DataFrame({"ons_code": ["A", "B", "C", "D", "E"], "date": [T("2023-01-01")] * 5,
                         "grade": ["Good", "Good", "Inadequate", "Outstanding", "Requires improvement to be good"]})


def test_grade_distribution_counts_and_shares_every_grade():
    dist = grade_distribution(latest(), {"neighbours (2)": ["A", "C"], "England (5)": list("ABCDE")})
    sn = dist[dist["Group"] == "neighbours (2)"].set_index("Grade")
    assert sn.loc["Good", "Councils"] == 1 and sn.loc["Inadequate", "Per cent"] == 50.0
    assert sn.loc["Outstanding", "Councils"] == 0  # every grade shown, even with none
    assert dist.groupby("Group")["Councils"].sum().to_dict() == {"England (5)": 5, "neighbours (2)": 2}
    fig = context_figure(dist, "A")
    assert fig.layout.title.text and fig.layout.xaxis.title.text == "Per cent of councils"
    assert fig.layout.yaxis.title.text == "Latest overall effectiveness"
    summary = context_summary("A", latest().iloc[:1], dist)
    assert summary == ("A's latest overall effectiveness is Good (1 Jan 2023); 1 of 2 neighbours are Good or "
                       "Outstanding; 3 of 5 England are Good or Outstanding.")


def test_neighbours_latest_in_dfe_order_with_missing_grades_said():
    sn = pd.DataFrame({"ons_code": ["A", "A"], "neighbour_rank": [2, 1], "neighbour_ons_code": ["C", "Z"],
                       "neighbour_name": ["Cee", "Zed"], "closeness": ["Close", None]})
    table = neighbours_latest(sn, latest(), "A")
    assert table["Council"].tolist() == ["Zed", "Cee"]
    assert table["Latest overall effectiveness"].tolist() == ["no graded inspection", "Inadequate"]
    assert table["Inspected"].tolist() == ["", "1 Jan 2023"]


# ---- intervention timeline -----------------------------------------------------------------------

def programme():
    return pd.Series({"programme_id": "p", "programme_name": "Hampshire – West Sussex commission",
                      "start_date": T("2019-05-01"), "end_date": T("2023-09-30")})


def timeline_inputs():
    directions = pd.DataFrame({
        "ons_code": ["WS"] * 3, "direction_date": [T("2019-06-04"), T("2020-07-01"), T("2023-07-01")],
        "action": ["issued", "revised", "lifted"], "summary": ["s1", "s2", "s3"], "source": ["DfE"] * 3})
    reports = pd.DataFrame({"quarter_label": ["2019-Q3", "2019-Q3"], "reporting_date": [T("2019-09-30")] * 2,
                            "version": [1, 2], "status": ["submitted", "draft"], "confidence": ["Red", None],
                            "source": ["illustrative"] * 2})
    milestones = pd.DataFrame({"milestone_title": ["Diagnosis", "Trust"], "workstream_name": ["Diag", "Trust"],
                               "baseline_due_date": [T("2019-08-31"), T("2021-10-01")],
                               "forecast_due_date": [T("2019-09-30"), NAT], "completed_date": [T("2019-09-20"), NAT],
                               "status": ["complete", "dropped"], "source": ["001 para 6", "illustrative"]})
    return directions, reports, milestones


def test_timeline_puts_every_kind_of_event_on_one_axis_in_date_order():
    ins, j = frames()
    directions, reports, milestones = timeline_inputs()
    events = intervention_events(programme(), "WS", ins, j, directions, reports, milestones, dt.date(2025, 1, 1))
    assert list(events["date"]) == sorted(events["date"])
    lanes = events.groupby("lane").size().to_dict()
    # Inspections from 18 months before the start to a year after the end: 2019 and 2023, and the
    # 2024 focused visit (within a year of the end); not SLAC 2010 or SIF 2016.
    assert lanes == {"Ofsted inspections": 2, "Ofsted visits": 1, "DfE intervention": 3,
                     "Commissioner reports": 2, "Key milestones": 2}
    first = events.iloc[0]
    assert first["event"] == "ILACS Standard Inspection: Inadequate" and first["detail"] == "Published 8 May 2019"
    assert "Quarterly report 2019-Q3 (version 2)" in set(events["event"])
    trust = events[events["event"] == "Trust"].iloc[0]
    assert trust["detail"] == "dropped, due 1 Oct 2021 (Trust)"
    summary = timeline_summary(events, programme(), "West Sussex")
    assert summary.startswith("Hampshire – West Sussex commission ran from 1 May 2019 to 30 Sep 2023 for West Sussex: ")
    assert ("2 Ofsted inspections, 1 Ofsted visit, 3 DfE intervention events, "
            "2 commissioner's reports, 2 key milestones.") in summary
    assert ("statutory direction issued 4 Jun 2019; statutory direction revised 1 Jul 2020; "
            "statutory direction lifted 1 Jul 2023") in summary
    table = timeline_table(events)
    assert list(table.columns) == ["Date", "What", "Event", "Detail", "Document", "Source"]
    assert not table["Date"].str.contains("00:00").any()


def test_timeline_figure_has_a_lane_per_kind_the_programme_shaded_and_titles():
    ins, j = frames()
    events = intervention_events(programme(), "WS", ins, j, *timeline_inputs(), dt.date(2025, 1, 1))
    fig = timeline_figure(events, programme(), "West Sussex")
    assert fig.layout.title.text == "Intervention timeline: Hampshire – West Sussex commission (West Sussex)"
    assert fig.layout.xaxis.title.text == "Date" and fig.layout.yaxis.title.text == "Event"
    assert {t.name for t in fig.data} == set(LANES)
    register = [t for t in fig.data if t.name == "DfE intervention"][0]
    assert list(register.text) == ["issued", "revised", "lifted"]  # words beside the symbols
    assert list(register.textposition) == ["top center", "bottom center", "top center"]
    assert [a.text for a in fig.layout.annotations] == ["Programme starts", "Programme ends"]


def test_timeline_without_a_childrens_services_council_has_programme_events_only():
    ins, j = frames()
    directions, reports, milestones = timeline_inputs()
    events = intervention_events(programme(), None, ins, j, directions, reports, milestones, dt.date(2025, 1, 1))
    assert set(events["lane"]) == {"Commissioner reports", "Key milestones"}
    open_ended = programme().copy()
    open_ended["end_date"] = NAT
    fig = timeline_figure(events, open_ended, None)
    assert [a.text for a in fig.layout.annotations] == ["Programme starts"]
    assert list(fig.layout.yaxis.categoryarray) == ["Key milestones", "Commissioner reports"]  # no empty rows
    assert timeline_summary(events, open_ended, None).startswith("Hampshire – West Sussex commission has run since 1 May 2019:")


def test_the_page_opens_on_the_programmes_council_else_the_persons_own_else_the_first():
    from monitor.ofsted.councils import opening_council

    choices = {"E10000011": "East Sussex", "E10000032": "West Sussex", "E06000046": "Isle of Wight"}
    assert opening_council("E10000032", "E10000011", choices) == "E10000032"
    assert opening_council(None, "E10000011", choices) == "E10000011"
    assert opening_council(None, None, choices) == "E10000011"  # the list's first, not a council in the code
    assert opening_council("E99999999", None, {}) is None
