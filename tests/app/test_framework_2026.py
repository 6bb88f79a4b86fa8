"""An inspection under the 2026 framework (no overall judgement) through every page, under AppTest on
a real database it was imported into (tests/framework2026.py): the Overview card and its headline
CSV, the Ofsted page (grid, trajectory, context, timeline), the quarterly report and its Word file —
and the workbook's =HYPERLINK formula cell reaching none of them."""
from __future__ import annotations

import io
import json

import pytest
from docx import Document

import queries
from monitor import clock
from monitor.tidy import read_tidy_csv
from monitor.overview.facts import programme_facts
from queries.facts import fact_frames
from tests import framework2026 as f26
from tests.apptest import open_app, texts
from tests.dbutil import scalar

PROGRAMME = "east-west-sussex"   # West Sussex is its supported council; it runs on
NO_OVERALL = "No overall judgement under the 2026 framework"
LATEST = (f"{NO_OVERALL}: impact of leaders Good; children who need help and protection Requires improvement to be "
          "good; children in care Good; care leavers Good (11 May 2026, West Sussex)")


@pytest.fixture
def db_2026(fresh_db, tmp_path, monkeypatch):
    monkeypatch.setenv(clock.TODAY_ENV, f26.TODAY)  # whatever day the suite runs on, the report is out by then
    f26.load_2026_inspection(fresh_db, tmp_path)
    assert scalar(fresh_db, "SELECT framework_version FROM ofsted_inspection WHERE inspection_id = $i",
                  {"i": f26.INSPECTION_ID}) == "ILACS 2026"
    return fresh_db


def no_formula(text: str) -> None:
    assert "HYPERLINK" not in text.upper() and "export_data" not in text


def csv_text(downloads, start: str) -> str:
    """Every CSV a page offered whose name starts with `start`, each once (the last one drawn)."""
    files = {name: data for name, _mime, data in downloads if name and name.startswith(start) and name.endswith(".csv")}
    return "\n".join(data.decode("utf-8-sig") for data in files.values())


def test_the_overview_card_and_csv_give_the_area_grades_and_direction_by_area(db_2026, downloads):
    at = open_app("pages/overview.py")
    assert not at.exception
    text = texts(at)
    assert f"**Ofsted (supported council):** {LATEST} — impact of leaders unchanged since 13 Mar 2023 (Good); " \
           "children who need help and protection unchanged since 13 Mar 2023 (Requires improvement to be good)" in text
    no_formula(text)
    csv = read_tidy_csv(csv_text(downloads, "headline-figures"))
    row = csv.set_index("Programme ID").loc[PROGRAMME]
    assert row["Latest Ofsted judgement"] == "No overall judgement"
    assert row["Latest Ofsted framework"] == "ILACS 2026" and row["Latest Ofsted inspection"] == "2026-05-11"
    assert row["Latest Ofsted judgement areas"].startswith("Impact of leaders: Good; Children who need help and "
                                                           "protection: Requires improvement to be good")
    assert row["DfE intervention"] == "statutory direction lifted on 11 May 2023"
    no_formula(csv.to_csv())


def test_the_ofsted_page_leaves_the_overall_cell_empty_and_draws_each_area(db_2026, downloads):
    at = open_app("pages/ofsted.py", query={"programme": PROGRAMME})
    assert not at.exception
    grid = at.table[0].value.to_dict("records")
    newest = grid[0]
    assert (newest["Inspected"], newest["Framework version"]) == ("11 May 2026", "ILACS 2026")
    assert newest["Overall effectiveness"] == ""
    assert newest["The impact of leaders on social work practice with children and families"] == ":green-background[Good]"
    text = texts(at)
    assert f"**Empty cells:** {NO_OVERALL} (ILACS 2026, from 1 Apr 2026): Ofsted grades the 4 judgement areas" in text
    assert (f"**Latest graded inspection:** ILACS Standard Inspection, 11 May 2026 (ILACS 2026): {NO_OVERALL}; "
            "impact of leaders Good") in text
    assert "West Sussex's latest inspection (11 May 2026) has no overall judgement under the 2026 framework" in text
    assert ("Latest, 11 May 2026 (ILACS 2026): no overall judgement under the 2026 framework; impact of leaders "
            "Good") in text
    specs = {json.loads(c.proto.spec)["layout"]["title"]["text"].replace("<br>", " "): json.loads(c.proto.spec) for c in at.get("plotly_chart")}
    traj = specs["Ofsted judgements over time: West Sussex"]
    assert "No overall judgement<br>(ILACS 2026)" in [a["text"] for a in traj["layout"]["annotations"]]
    in_care = [t for t in traj["data"] if t.get("yaxis") == "y4" and t.get("name") == "Good"]
    assert in_care and any(str(x).startswith("2026-05-11") for x in in_care[0]["x"])
    dist = next(d.value for d in at.dataframe if "Group" in d.value.columns)
    england = dist[dist["Group"].str.startswith("councils in England")].set_index("Grade")
    assert england.loc["No overall judgement", "Councils"] == 1
    events = next(d.value for d in at.dataframe if "What" in d.value.columns)
    assert ("11 May 2026", f"ILACS Standard Inspection: {NO_OVERALL.lower()}") in set(zip(events["Date"], events["Event"]))
    no_formula(text)
    no_formula(" ".join(d.value.to_csv() for d in at.dataframe) + " ".join(t.value.to_csv() for t in at.table))
    grids_csv = csv_text(downloads, "ofsted_judgements_")
    assert "ILACS 2026" in grids_csv
    no_formula(grids_csv + csv_text(downloads, "ofsted_") + csv_text(downloads, "intervention_"))


def test_the_facts_the_report_is_to_compute_from_its_own_frames_equal_the_cards(db_2026):
    """The quarterly report computes a programme's facts from its own frames (monitor.report.facts):
    given only its own rows of ofsted/supported_council_grades, they are the card's, framework and areas included."""
    day = clock.today()
    frames = fact_frames(queries.run, day)
    everyone = {f.programme_id: f for f in programme_facts(queries.run("programmes/all"), today=day, **frames)}
    one = queries.run("programmes/all")
    one = one[one["programme_id"] == PROGRAMME]
    grades = queries.run("ofsted/supported_council_grades")
    own = programme_facts(one, today=day, **{**frames, "grades": grades[grades["programme_id"] == PROGRAMME]})[0]
    assert own.ofsted == everyone[PROGRAMME].ofsted
    assert own.ofsted.latest == LATEST and own.ofsted.judgement == "No overall judgement"


def test_the_quarterly_report_and_its_word_file_carry_no_formula_and_invent_no_overall_grade(db_2026, downloads):
    at = open_app("pages/quarterly_report.py", query={"programme": PROGRAMME, "quarter": "2026-Q3"})
    assert not at.exception
    text = texts(at)
    no_formula(text)
    activity = [d.value for d in at.dataframe if "Inspection" in d.value.columns and "Published" in d.value.columns]
    if activity:  # the 2026 inspection, published in the quarter, is listed without an overall grade made up
        rows = activity[0][activity[0]["Published"] == "3 Jul 2026"]
        assert not rows.empty and not rows.astype(str).apply(lambda c: c.str.contains("Outstanding|Inadequate")).any().any()
    word = [data for name, _mime, data in downloads if name and name.endswith(".docx")]
    assert word
    for data in word:
        doc = Document(io.BytesIO(data))
        body = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
            c.text for t in doc.tables for r in t.rows for c in r.cells)
        no_formula(body)
    no_formula(csv_text(downloads, ""))


def test_the_reports_headline_reads_as_the_card_does(db_2026):
    at = open_app("pages/quarterly_report.py", query={"programme": PROGRAMME, "quarter": "2026-Q4"})
    headline = next(d.value for d in at.dataframe if list(d.value.columns) == ["Measure", "Figure"])
    assert dict(zip(headline["Measure"], headline["Figure"]))["Latest Ofsted judgement"] == "No overall judgement"
