"""Data to Insight's ILACS summary workbook (monitor.loaders.d2i): the shipped copy as published and
constructed workbooks with each quirk, read and planned against Ofsted's release (pure, no database)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from monitor.loaders import d2i, official
from monitor.loaders.d2i_plan import plan_d2i
from monitor.loaders.ofsted import ILACS_JUDGEMENTS
from monitor.loaders.problems import LoadError

ROOT = Path(__file__).resolve().parents[2]
WORKBOOK = ROOT / "data" / "official" / d2i.D2I_FILE
OVERALL, LEADERS, HELP, IN_CARE, CARE_LEAVERS = ILACS_JUDGEMENTS
HEADER = ["urn", "la_code", "region_code", "ltla23cd", "stat_neighbours", "stat_neighbour_judgement", "local_authority",
          "inspection_link", "overall_effectiveness_grade", "inspection_framework", "inspector_name",
          "inspection_start_date", "inspection_end_date", "publication_date", "local_link_to_all_inspections",
          "impact_of_leaders_grade", "help_and_protection_grade", "in_care_grade", "care_leavers_grade",
          "inspectors_inspections_count"]
FORMULA = '=HYPERLINK(".\\.\\export_data\\inspection_reports\\80578_west sussex", ".\\export_data\\inspection_reports")'


@pytest.fixture(scope="module")
def official_frames() -> dict[str, pd.DataFrame]:
    return official.load_official()


@pytest.fixture(scope="module")
def authorities(official_frames) -> pd.DataFrame:
    return official_frames["authority"]


@pytest.fixture(scope="module")
def shipped(authorities) -> list[d2i.D2IRow]:
    return d2i.load_d2i_overview(WORKBOOK, authorities)


def row(**over) -> dict:
    """A West Sussex row as the workbook writes one (lower-case grades, both date forms, the formula)."""
    base = {"urn": "80578", "la_code": "938", "region_code": "SE", "ltla23cd": "E10000032",
            "stat_neighbours": "850, 881, 935", "stat_neighbour_judgement": "[(850, 'outstanding'), (881, 'outstanding')]",
            "local_authority": "west sussex", "inspection_link": "https://files.ofsted.gov.uk/v1/file/50999999",
            "overall_effectiveness_grade": "good", "inspection_framework": "standard", "inspector_name": "a inspector",
            "inspection_start_date": "12/05/2025", "inspection_end_date": "23/05/2025", "publication_date": "04/07/25",
            "local_link_to_all_inspections": FORMULA, "impact_of_leaders_grade": "good",
            "help_and_protection_grade": "requires improvement", "in_care_grade": "good", "care_leavers_grade": "good",
            "inspectors_inspections_count": "3"}
    base.update(over)
    return base


def workbook(tmp_path: Path, *rows: dict, name: str = "ofsted_csc_ilacs_overview.xlsx") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ofsted_cs_inspections_overview"
    sheet.append(HEADER)
    for r in rows:
        sheet.append([r[h] for h in HEADER])
    path = tmp_path / name
    book.save(path)
    return path


def problems(exc: pytest.ExceptionInfo) -> list[str]:
    return [str(p) for p in exc.value.problems]


# ---- the shipped copy ----------------------------------------------------------------------------

def test_the_shipped_copy_loads_every_council(shipped, authorities):
    assert len(shipped) == 153
    codes = {r.ons_code for r in shipped}
    current = authorities[authorities["is_childrens_services"] & authorities["abolished_date"].isna()]
    assert codes == set(current["ons_code"])  # joined on DfE codes, every current council once
    assert {r.version for r in shipped} == {"ILACS 2018", "ILACS 2023"}
    # three rows whose framework the scrape could not tell, with no dates: kept, kind unknown
    assert sorted(r.row for r in shipped if r.kind is None) == [11, 101, 109]


def test_cumbrian_councils_are_joined_on_the_dfe_code_not_the_stale_ons_column(shipped):
    by_row = {r.row: r for r in shipped}
    assert by_row[27].ons_code == "E06000063"  # Cumberland; the workbook's ltla23cd says E10000006
    assert by_row[148].ons_code == "E06000064"  # Westmorland and Furness


def test_grade_words_and_both_date_forms_of_the_shipped_copy(shipped):
    barnsley = next(r for r in shipped if r.row == 2)
    assert barnsley.start == dt.date(2023, 9, 11) and barnsley.end == dt.date(2023, 9, 15)
    assert barnsley.published == dt.date(2023, 10, 27)  # '27/10/23'
    assert barnsley.kind == "short inspection" and barnsley.version == "ILACS 2023"
    assert barnsley.grades[HELP] == "Requires improvement to be good"  # 'requires improvement'
    assert barnsley.web_link == "https://files.ofsted.gov.uk/v1/file/50231520"


def test_care_leavers_before_2023_is_no_grade(shipped):
    older = [r for r in shipped if r.version == "ILACS 2018"]
    assert older and all(CARE_LEAVERS not in r.grades for r in older)
    assert all(r.texts["care_leavers_grade"] == "inspection_pre_dates_judgement"
               for r in older if r.kind is not None)


def test_the_formula_cell_is_never_read(shipped):
    for r in shipped:
        for value in (*r.texts.values(), r.web_link or "", *r.grades.values()):
            assert "HYPERLINK" not in value.upper() and "export_data" not in value
        assert "local_link_to_all_inspections" not in r.texts


def test_planned_against_ofsted_release_adds_the_newer_inspections_only(shipped, official_frames):
    plan = plan_d2i(shipped, official_frames["ofsted_inspection"], official_frames["ofsted_judgement"], d2i.D2I_FILE)
    assert len(plan.inspections) == 21 and len(plan.judgements) == 21 * 5
    assert not (plan.inspection_updates or plan.judgement_updates or plan.judgement_deletes)
    assert all(i["inspection_date"] >= dt.date(2025, 3, 24) for i in plan.inspections)
    # same ids as Ofsted's own files would give: a later release updates these rows in place
    bury = next(i for i in plan.inspections if i["ons_code"] == "E08000002")
    assert bury["inspection_id"] == "e08000002-ilacs-full-inspection-2025-06-09"
    assert bury["inspection_type"] == "ILACS Standard Inspection" and bury["framework_version"] == "ILACS 2023"
    # every other row is an inspection already loaded from Ofsted's release
    assert len(plan.matched) == 153 - 21


def test_where_the_workbook_disagrees_ofsted_release_stands(shipped, official_frames):
    plan = plan_d2i(shipped, official_frames["ofsted_inspection"], official_frames["ofsted_judgement"], d2i.D2I_FILE)
    found = {(p.row, p.column) for p in plan.differences}
    # St Helens 2023: the workbook swaps grades Ofsted published (Requires improvement, Good, Outstanding)
    assert {(128, "help_and_protection_grade"), (128, "in_care_grade"), (128, "care_leavers_grade")} <= found
    # Nottingham and Redcar 2022: a care leavers grade ILACS 2018 never gave
    assert {(101, "care_leavers_grade"), (109, "care_leavers_grade")} <= found
    assert len(found) == 5
    st_helens = [p for p in plan.differences if p.row == 128 and p.column == "care_leavers_grade"][0]
    assert "says Outstanding; kept as published" in st_helens.message


def test_planning_twice_changes_nothing(shipped, official_frames):
    first = plan_d2i(shipped, official_frames["ofsted_inspection"], official_frames["ofsted_judgement"], d2i.D2I_FILE)
    ins = pd.concat([official_frames["ofsted_inspection"], first.inspection_frame()], ignore_index=True)
    jud = pd.concat([official_frames["ofsted_judgement"], first.judgement_frame()], ignore_index=True)
    again = plan_d2i(shipped, ins, jud, d2i.D2I_FILE)
    assert again.empty
    renamed = plan_d2i(shipped, ins, jud, "ofsted_csc_ilacs_overview.xlsx")  # the same copy, downloaded again
    assert renamed.empty


# ---- constructed workbooks -----------------------------------------------------------------------

def test_grade_words_in_any_case_and_an_excel_date(tmp_path, authorities):
    path = workbook(tmp_path, row(overall_effectiveness_grade="GOOD", impact_of_leaders_grade="Requires Improvement",
                                  help_and_protection_grade="requires improvement to be good",
                                  in_care_grade=" Outstanding ", inspection_start_date=dt.datetime(2025, 5, 12),
                                  publication_date="04/07/2025"))
    [r] = d2i.load_d2i_overview(path, authorities)
    assert r.grades == {OVERALL: "Good", LEADERS: "Requires improvement to be good",
                        HELP: "Requires improvement to be good", IN_CARE: "Outstanding", CARE_LEAVERS: "Good"}
    assert r.start == dt.date(2025, 5, 12) and r.published == dt.date(2025, 7, 4)


def test_an_inspection_under_the_2026_framework_has_no_overall_grade(tmp_path, authorities, official_frames):
    path = workbook(tmp_path, row(overall_effectiveness_grade="nan", inspection_start_date="11/05/2026",
                                  inspection_end_date="22/05/2026", publication_date="03/07/26"))
    [r] = d2i.load_d2i_overview(path, authorities)
    assert r.version == "ILACS 2026" and OVERALL not in r.grades and len(r.grades) == 4
    plan = plan_d2i([r], official_frames["ofsted_inspection"], official_frames["ofsted_judgement"], path.name)
    [inspection] = plan.inspections
    assert inspection["framework_version"] == "ILACS 2026"
    assert {j["judgement_area"] for j in plan.judgements} == {LEADERS, HELP, IN_CARE, CARE_LEAVERS}


@pytest.mark.parametrize("blank", ["nan", "NaN", "None", "", "inspection_pre_dates_judgement"])
def test_no_overall_grade_under_ilacs_2023_is_refused_with_file_row_and_column(tmp_path, authorities, blank):
    path = workbook(tmp_path, row(), row(la_code="850", urn="80472", overall_effectiveness_grade=blank))
    with pytest.raises(LoadError) as exc:
        d2i.load_d2i_overview(path, authorities)
    [problem] = exc.value.problems
    assert (problem.file, problem.row, problem.column) == ("ofsted_csc_ilacs_overview.xlsx", 3, "overall_effectiveness_grade")
    assert "ILACS 2023 grades this judgement" in problem.message


def test_an_overall_grade_under_ilacs_2026_is_not_written(tmp_path, authorities, official_frames):
    path = workbook(tmp_path, row(inspection_start_date="11/05/2026", publication_date="03/07/26",
                                  inspection_end_date="22/05/2026"))
    [r] = d2i.load_d2i_overview(path, authorities)
    assert r.extra == {OVERALL: "Good"}
    with pytest.raises(LoadError) as exc:
        plan_d2i([r], official_frames["ofsted_inspection"], official_frames["ofsted_judgement"], path.name)
    assert problems(exc) == ["ofsted_csc_ilacs_overview.xlsx:2:overall_effectiveness_grade: ILACS 2026 does not "
                             "grade this judgement (value 'good')"]


def test_a_formula_in_a_column_that_is_read_is_refused(tmp_path, authorities):
    path = workbook(tmp_path, row(inspection_link='=HYPERLINK("https://example.org", "report")'))
    with pytest.raises(LoadError) as exc:
        d2i.load_d2i_overview(path, authorities)
    [problem] = exc.value.problems
    assert (problem.row, problem.column) == (2, "inspection_link") and "never evaluated" in problem.message
    assert problem.value is None  # the formula is not even repeated in the message


@pytest.mark.parametrize("column,value,needle", [
    ("la_code", "999", "not the DfE code of a council"),
    ("urn", "80472", "not the Ofsted URN"),
    ("inspection_framework", "focused", "expected standard or short"),
    ("inspection_start_date", "2025/05/12", "unreadable date: expected dd/mm/yyyy"),
    ("publication_date", "", "date is missing"),
    ("inspection_end_date", "01/05/2025", "ends before it starts"),
    ("in_care_grade", "adequate", "unknown grade"),
    ("inspection_link", "see the website", "not a web address"),
])
def test_each_broken_cell_is_refused_with_its_row_and_column(tmp_path, authorities, column, value, needle):
    path = workbook(tmp_path, row(**{column: value}))
    with pytest.raises(LoadError) as exc:
        d2i.load_d2i_overview(path, authorities)
    assert any(p.row == 2 and p.column == column and needle in p.message for p in exc.value.problems), problems(exc)


def test_a_missing_column_is_named(tmp_path, authorities):
    book = openpyxl.Workbook()
    book.active.append([h for h in HEADER if h != "in_care_grade"])
    path = tmp_path / "short.xlsx"
    book.save(path)
    with pytest.raises(LoadError) as exc:
        d2i.load_d2i_overview(path, authorities)
    assert problems(exc) == ["short.xlsx:-:in_care_grade: required column is missing (renamed or removed?)"]


def test_a_row_without_framework_or_dates_must_match_a_stored_inspection(tmp_path, authorities, official_frames):
    path = workbook(tmp_path, row(inspection_framework="None", inspection_start_date=None, inspection_end_date=None,
                                  publication_date="04/07/25"))
    rows = d2i.load_d2i_overview(path, authorities)
    with pytest.raises(LoadError) as exc:
        plan_d2i(rows, official_frames["ofsted_inspection"], official_frames["ofsted_judgement"], path.name)
    assert "cannot tell which inspection this is" in problems(exc)[0] and ":2:inspection_framework:" in problems(exc)[0]


def test_a_newer_copy_updates_what_an_earlier_copy_loaded(tmp_path, authorities, official_frames):
    first = workbook(tmp_path, row(), name="d2i_first.xlsx")
    rows = d2i.load_d2i_overview(first, authorities)
    plan = plan_d2i(rows, official_frames["ofsted_inspection"], official_frames["ofsted_judgement"], first.name)
    ins = pd.concat([official_frames["ofsted_inspection"], plan.inspection_frame()], ignore_index=True)
    jud = pd.concat([official_frames["ofsted_judgement"], plan.judgement_frame()], ignore_index=True)
    second = workbook(tmp_path, row(care_leavers_grade="outstanding", publication_date="07/07/25"), name="d2i_second.xlsx")
    later = plan_d2i(d2i.load_d2i_overview(second, authorities), ins, jud, second.name)
    iid = plan.inspections[0]["inspection_id"]
    assert later.inspections == [] and later.judgements == []
    assert later.inspection_updates == [({"inspection_id": iid},
                                         {"published_date": dt.date(2025, 7, 7), "source": "d2i_second.xlsx"})]
    assert later.judgement_updates == [({"inspection_id": iid, "judgement_area": CARE_LEAVERS},
                                        {"grade": "Outstanding", "source": "d2i_second.xlsx"})]


def test_the_workbook_is_recognised_by_its_headers(tmp_path):
    assert d2i.is_d2i_workbook(WORKBOOK)
    assert not d2i.is_d2i_workbook(ROOT / "data" / "official" / "ofsted_ilacs_inspection_history_2018_2025.csv")
    assert d2i.count_rows(WORKBOOK) == 153
