"""monitor.ofsted under the 2026 framework, on hand-made frames: the judgement areas come from the
framework reference table, an inspection without an overall judgement leaves the grid's cell empty
with a note, is drawn per judgement area on the trajectory, and its direction compares each area with
the same area before; the intervention register's facts; the Ofsted facts from the long and the
overall-only frames agree."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from monitor.loaders.frameworks import Frameworks, reference_frameworks
from monitor.loaders.ofsted import ILACS_JUDGEMENTS
from monitor.ofsted.facts import ofsted_facts
from monitor.ofsted.grades import FAMILIES, families, grid, grid_cells, grid_notes, grids
from monitor.ofsted.interventions import intervention_facts
from monitor.ofsted.timeline import intervention_events, timeline_table
from monitor.ofsted.context import grade_distribution, neighbours_latest
from monitor.ofsted.trajectory import (latest_line, trajectory,
                                       trajectory_figure, trajectory_summary, trajectory_table, visits)
from tests.unit.test_ofsted import CARE_LEAVERS, frames, inspection, programme

T = pd.Timestamp
OVERALL, LEADERS, HELP, IN_CARE = ILACS_JUDGEMENTS[:4]
AREAS_2026 = {LEADERS: "Good", HELP: "Requires improvement to be good", IN_CARE: "Good", CARE_LEAVERS: "Good"}


def frames_2026():
    """West Sussex as the hand-made frames have it, plus an inspection under ILACS 2026: four areas
    graded, no overall judgement."""
    ins, j = frames()
    ins = pd.concat([ins, pd.DataFrame([inspection("ws-2026", "WS", "ILACS", "full inspection", "2026-05-11",
                                                   "2026-07-03", name="West Sussex",
                                                   type_="ILACS Standard Inspection")])], ignore_index=True)
    extra = pd.DataFrame([("ws-2026", a, g) for a, g in AREAS_2026.items()],
                         columns=["inspection_id", "judgement_area", "grade"]).assign(source="d2i.xlsx")
    return ins, pd.concat([j, extra], ignore_index=True)


# ---- frameworks as data ------------------------------------------------------------------------

def test_the_grid_families_take_their_areas_from_the_framework_reference():
    ilacs = FAMILIES[0]
    assert ilacs.key == "ILACS" and [v.name for v in ilacs.versions] == ["ILACS 2018", "ILACS 2023", "ILACS 2026"]
    assert ilacs.areas == tuple(ILACS_JUDGEMENTS)  # the union of its versions' areas, in Ofsted's order
    assert ilacs.headline == OVERALL
    # A framework the page has no title for yet (the 2027 one, once in force) gets its own grid, first,
    # with the areas its reference rows give: nothing about it is written in code.
    ref = reference_frameworks()
    planned = ref.version("Children and families services 2027")
    new = dataclasses.replace(planned, status="in force", valid_from=dt.date(2027, 4, 1),
                              areas=("Help and protection", "Children in care"))
    grown = Frameworks({**ref.versions, new.name: new})
    first = families(grown)[0]
    assert (first.key, first.areas, first.headline) == ("Children and families services",
                                                        ("Help and protection", "Children in care"), None)
    assert len(families(grown)) == len(FAMILIES) + 1


def test_the_2026_row_leaves_the_overall_cell_empty_with_a_note():
    ins, j = frames_2026()
    family = FAMILIES[0]
    table = grid(ins, j, ["WS"], family)
    row = table.iloc[0]
    assert (row["Inspected"], row["Framework version"]) == ("11 May 2026", "ILACS 2026")
    assert row[OVERALL] == "" and row[LEADERS] == "Good" and row[CARE_LEAVERS] == "Good"
    notes = grid_notes(family, table)
    assert notes[0].startswith("No overall judgement under the 2026 framework (ILACS 2026, from 1 Apr 2026): "
                               "Ofsted grades the 4 judgement areas only, so the Overall effectiveness cell is left empty")
    assert "ILACS 2018 did not grade care leavers on its own" in notes[1]
    assert grid_cells(table, family.areas).iloc[0][OVERALL] == ""  # never a made-up grade


def test_a_grid_without_the_2026_framework_has_no_note_about_it():
    ins, j = frames()
    family, table = grids(ins, j, ["WS"])[0]
    assert not any("2026" in n for n in grid_notes(family, table))


# ---- trajectory per judgement area -------------------------------------------------------------

def test_the_trajectory_is_drawn_per_judgement_area_and_marks_no_overall_judgement():
    ins, j = frames_2026()
    traj = trajectory(ins, j, "WS")
    latest = traj[traj["inspection_id"] == "ws-2026"]
    head = latest[latest["panel"] == OVERALL]
    assert len(head) == 1 and head["grade"].isna().all()  # marked, never graded
    assert dict(zip(latest["panel"][1:], latest["grade"][1:])) == AREAS_2026
    table = trajectory_table(traj)
    assert "No overall judgement under the 2026 framework" in set(table["Grade"])
    fig = trajectory_figure(traj, visits(ins, "WS"), "West Sussex")
    notes = [a.text for a in fig.layout.annotations if a.text.startswith("No overall judgement")]
    assert notes == ["No overall judgement<br>(ILACS 2026)"]
    headline_points = [x for t in fig.data if t.yaxis == "y" and t.name for x in t.x]
    assert T("2026-05-11") not in [T(x) for x in headline_points]
    in_care = [t for t in fig.data if t.yaxis == "y4" and t.name == "Good"][0]
    assert T("2026-05-11") in [T(x) for x in in_care.x]
    summary = trajectory_summary(traj, "West Sussex")
    assert "to Requires improvement to be good (13 Mar 2023, ILACS)" in summary  # the last overall grade
    assert ("Latest, 11 May 2026 (ILACS 2026): no overall judgement under the 2026 framework; impact of leaders "
            "Good, children who need help and protection Requires improvement to be good") in summary
    assert latest_line(traj).startswith("ILACS Standard Inspection, 11 May 2026 (ILACS 2026): "
                                        "No overall judgement under the 2026 framework; impact of leaders Good")


def test_a_comparator_is_drawn_beside_in_every_panel_it_was_graded_in():
    ins, j = frames_2026()
    traj, iw = trajectory(ins, j, "WS"), trajectory(ins, j, "IW")
    fig = trajectory_figure(traj, visits(ins, "WS"), "West Sussex", iw)
    assert fig.layout.title.text == "Ofsted judgements over time: West Sussex beside Isle of Wight"
    beside = [t for t in fig.data if t.name == "Isle of Wight (comparator)"]
    assert beside and beside[0].line.dash == "dash" and all(s.endswith("-open") for s in beside[0].marker.symbol)
    assert sum(bool(t.showlegend) for t in beside) == 1
    assert "Compared with Isle of Wight: 2 graded inspections since 2013" in trajectory_summary(traj, "West Sussex", iw)
    both = trajectory_table(pd.concat([traj, iw], ignore_index=True))
    assert set(both["Council"]) == {"West Sussex", "Isle of Wight"}


def test_context_counts_councils_without_an_overall_judgement_apart():
    latest = pd.DataFrame({"ons_code": ["A", "B", "C"], "date": [T("2026-05-11"), T("2023-01-01"), T("2024-01-01")],
                           "framework_version": ["ILACS 2026", "ILACS 2023", "ILACS 2023"],
                           "grade": [None, "Good", "Inadequate"]})
    dist = grade_distribution(latest, {"England (3)": ["A", "B", "C"]}).set_index("Grade")
    assert dist.loc["No overall judgement", "Councils"] == 1 and dist["Councils"].sum() == 3
    sn = pd.DataFrame({"ons_code": ["B"], "neighbour_rank": [1], "neighbour_ons_code": ["A"], "neighbour_name": ["Ay"],
                       "closeness": [None]})
    assert neighbours_latest(sn, latest, "B")["Latest overall effectiveness"].tolist() == [
        "No overall judgement under the 2026 framework"]


def test_the_timeline_says_a_2026_inspection_has_no_overall_judgement_and_gives_its_areas():
    ins, j = frames_2026()
    register = pd.DataFrame({"ons_code": ["WS", "WS"], "event_date": [T("2026-08-01"), T("2026-09-01")],
                             "kind": ["improvement notice issued", "review at 6 months"], "summary": ["n", "r"],
                             "document_url": ["https://www.gov.uk/government/publications/notice", "=HYPERLINK(\"x\")"],
                             "source": ["https://www.gov.uk/government/publications/notice", "illustrative"]})
    empty = pd.DataFrame(columns=["quarter_label", "reporting_date", "version", "status", "confidence", "source"])
    stones = pd.DataFrame(columns=["milestone_title", "workstream_name", "baseline_due_date", "forecast_due_date",
                                   "completed_date", "status", "source"])
    p = programme().copy()
    p["end_date"] = pd.NaT
    events = intervention_events(p, "WS", ins, j, register, empty, stones, dt.date(2026, 12, 4))
    row = events[events["date"] == T("2026-05-11")].iloc[0]
    assert row["event"] == "ILACS Standard Inspection: no overall judgement under the 2026 framework"
    assert "impact of leaders Good" in row["detail"]
    table = timeline_table(events)
    dfe = table[table["What"] == "DfE intervention"]
    assert dfe["Event"].tolist() == ["Improvement notice issued", "Review at 6 months"]
    # The document is a web address or nothing: a formula never reaches the table.
    assert dfe["Document"].tolist() == ["https://www.gov.uk/government/publications/notice", None]


# ---- the facts every page renders ---------------------------------------------------------------

def grades_long(ins, j, programme_id="p"):
    """The grades as query ofsted/supported_council_grades gives them, for the council WS."""
    versions = reference_frameworks()
    rows = []
    for r in ins[(ins["ons_code"] == "WS") & ins["kind"].isin(["full inspection"])].to_dict("records"):
        when = r["inspection_date"] if pd.notna(r["inspection_date"]) else r["published_date"]
        version = versions.version_for(r["framework"], when)
        for rec in j[j["inspection_id"] == r["inspection_id"]].to_dict("records"):
            rows.append({"programme_id": programme_id, "authority_name": "West Sussex",
                         "inspection_id": r["inspection_id"], "framework_version": version,
                         "headline_area": versions.headline(version), "inspection_date": when,
                         "published_date": r["published_date"], "judgement_area": rec["judgement_area"],
                         "area_order": versions.areas(version).index(rec["judgement_area"]) + 1,
                         "grade": rec["grade"]})
    return pd.DataFrame(rows)


def test_latest_judgement_without_an_overall_grade_gives_its_areas_each_against_the_same_area_before():
    ins, j = frames_2026()
    facts = ofsted_facts(grades_long(ins, j), {"p": dt.date(2026, 12, 4)})["p"]
    assert facts.grade is None and facts.no_overall and facts.judgement == "No overall judgement"
    assert facts.framework_version == "ILACS 2026"
    assert facts.latest == ("No overall judgement under the 2026 framework: impact of leaders Good; children who need "
                            "help and protection Requires improvement to be good; children in care Good; care leavers "
                            "Good (11 May 2026, West Sussex)")
    assert facts.direction == "by judgement area"
    assert facts.direction_text == (
        "impact of leaders improved since 13 Mar 2023 (Requires improvement to be good); children who need help and "
        "protection unchanged since 13 Mar 2023 (Requires improvement to be good); children in care improved since "
        "13 Mar 2023 (Requires improvement to be good); care leavers improved since 13 Mar 2023 (Requires improvement "
        "to be good)")
    assert facts.area_grades.startswith("Impact of leaders: Good; Children who need help and protection: ")


def test_before_the_2026_report_is_published_the_latest_is_the_2023_overall_grade():
    ins, j = frames_2026()
    facts = ofsted_facts(grades_long(ins, j), {"p": dt.date(2026, 7, 2)})["p"]  # inspected, not yet published
    assert (facts.grade, facts.inspected, facts.previous_grade) == ("Requires improvement to be good",
                                                                     dt.date(2023, 3, 13), "Inadequate")
    assert facts.latest == "Requires improvement to be good (13 Mar 2023, West Sussex)"
    assert facts.direction_text == "improved since 25 Feb 2019 (Inadequate)"


def test_the_overall_grades_only_frame_gives_the_same_overall_facts():
    ins, j = frames()
    long = grades_long(ins, j)
    overall = long[long["judgement_area"] == long["headline_area"]].drop(
        columns=["judgement_area", "headline_area", "framework_version", "area_order"])
    on = {"p": dt.date(2026, 12, 4)}
    a, b = ofsted_facts(long, on)["p"], ofsted_facts(overall, on)["p"]
    assert (a.judgement, a.latest, a.direction_text) == (b.judgement, b.latest, b.direction_text)
    assert a.areas and not b.areas  # the overall-only frame has no areas to give


def test_an_overall_grade_after_a_2026_inspection_is_compared_with_the_last_overall_grade():
    ins, j = frames_2026()
    long = grades_long(ins, j)
    later = long[long["inspection_id"] == "ws-2023"].assign(
        inspection_id="ws-2029", inspection_date=T("2029-01-10"), published_date=T("2029-03-01"), grade="Good")
    facts = ofsted_facts(pd.concat([long, later], ignore_index=True), {"p": dt.date(2029, 6, 1)})["p"]
    assert facts.grade == "Good" and facts.previous_inspected == dt.date(2023, 3, 13)  # 2026 had no overall grade
    assert facts.direction_text == "improved since 13 Mar 2023 (Requires improvement to be good)"


def test_intervention_facts_say_what_is_in_force_as_at_the_date():
    events = pd.DataFrame({
        "programme_id": "p", "authority_name": "West Sussex", "event_id": list("abcde"),
        "event_date": [T("2019-05-01"), T("2019-06-04"), T("2020-12-10"), T("2022-03-31"), T("2023-05-11")],
        "kind": ["commissioner appointed", "statutory direction issued", "statutory direction revised",
                 "statutory direction revised", "statutory direction lifted"],
        "summary": "s", "document_url": [None, "https://www.gov.uk/d", None, "https://www.gov.uk/r", "=HYPERLINK(1)"]})
    during = intervention_facts(events, {"p": dt.date(2021, 1, 1)})["p"]
    assert during.in_force == ("statutory direction",) and during.status == "statutory direction in force"
    assert during.sentence() == ("Statutory direction issued 4 Jun 2019, revised 1 time (last 10 Dec 2020), in force; "
                                 "commissioner appointed 1 May 2019 — 3 events in DfE's intervention register for "
                                 "West Sussex.")
    after = intervention_facts(events, {"p": dt.date(2026, 12, 4)})["p"]
    assert after.in_force == () and after.status == "statutory direction lifted on 11 May 2023"
    assert "revised 2 times (last 31 Mar 2022), lifted 11 May 2023" in after.sentence()
    assert after.latest.document is None  # a formula is never a document
    assert intervention_facts(events, {"p": dt.date(2019, 1, 1)})["p"].sentence() == "No DfE intervention recorded."
    assert intervention_facts(None, {"p": dt.date(2026, 12, 4)}) == {"p": None}  # not read: not 'none'


def test_areas_read_in_a_sentence_keep_their_capitals():
    from monitor.ofsted.grades import area_label, area_title
    assert area_label("LSCB overall effectiveness") == "LSCB overall effectiveness"
    assert area_label("Overall effectiveness") == "overall effectiveness"
    assert area_title(CARE_LEAVERS) == "Care leavers" and area_label(LEADERS) == "impact of leaders"
