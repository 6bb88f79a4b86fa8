"""Ofsted as it is now, end to end on a real database: Data to Insight's workbook through `make import`
(and the Data page's check), every council's latest inspection against the workbook row by row, an
inspection under the 2026 framework with no overall judgement, the intervention register and the
reference tables through their named queries."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import psycopg
import pytest

import queries
from monitor.loaders.d2i import D2I_FILE
from monitor.loaders.frameworks import Frameworks, reference_frameworks
from monitor.loaders.ofsted import ILACS_JUDGEMENTS
from monitor.permissions import SYSTEM
from queries.imports import table_checksums, validate_upload
from tests.dbutil import fetch, scalar

ROOT = Path(__file__).resolve().parent.parent
WORKBOOK = ROOT / "data" / "official" / D2I_FILE
CHECKS = sorted([*(ROOT / "queries" / "checks").glob("*.sql"), *(ROOT / "tests" / "data_checks").glob("*.sql")])
HISTORY = "ofsted_ilacs_inspection_history_2018_2025.csv"
GRADE_COLUMNS = dict(zip(("overall_effectiveness_grade", "impact_of_leaders_grade", "help_and_protection_grade",
                          "in_care_grade", "care_leavers_grade"), ILACS_JUDGEMENTS))
WORDS = {"outstanding": "Outstanding", "good": "Good", "requires improvement": "Requires improvement to be good",
         "inadequate": "Inadequate"}
# Where the workbook disagrees with Ofsted's own release, which stands: St Helens' 2023 grades, and a
# care leavers grade for Nottingham and Redcar and Cleveland in 2022, before that judgement existed.
KEPT_AS_PUBLISHED = {(128, "help_and_protection_grade"), (128, "in_care_grade"), (128, "care_leavers_grade"),
                     (101, "care_leavers_grade"), (109, "care_leavers_grade")}
OFFICIAL_TABLES = ["ofsted_inspection", "ofsted_judgement", "change_log", "data_version"]
pytestmark = pytest.mark.both_backends


def cli(*args, db) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "queries.import_cli", *map(str, args), "--db", str(db)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def workbook_rows(path: Path = WORKBOOK) -> list[tuple[int, dict]]:
    """The workbook read independently of the loader: (row number, {header: cell text})."""
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return [(n, {h: ("" if v is None else str(v)) for h, v in zip(rows[0], r)}) for n, r in enumerate(rows[1:], 2)]


def day(text: str, fmt: str) -> dt.date | None:
    return dt.datetime.strptime(text, fmt).date() if text else None


@pytest.fixture
def without_d2i(fresh_db):
    """The demo database as Ofsted's release alone left it: the workbook's rows taken out."""
    with queries.connect(fresh_db).cursor() as cur:
        cur.execute("DELETE FROM ofsted_judgement WHERE source = $f", {"f": D2I_FILE})
        cur.execute("DELETE FROM ofsted_inspection WHERE source = $f", {"f": D2I_FILE})
    queries.db.close(fresh_db)  # the command-line import needs the file
    return fresh_db


def test_make_import_then_every_councils_latest_inspection_is_the_workbooks(without_d2i):
    run = cli(WORKBOOK, db=without_d2i)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{D2I_FILE} → ofsted_inspection: 126 inserted, 0 updated" in run.stdout  # 21 inspections, 5 grades each
    councils = dict(fetch(without_d2i, "SELECT dfe_code, ons_code FROM authority WHERE dfe_code IS NOT NULL")
                    .itertuples(index=False))
    latest = queries.run("ofsted/latest_inspections", db=without_d2i)
    mismatches = set()
    for number, cells in workbook_rows():
        mine = latest[latest["ons_code"] == councils[cells["la_code"]]]
        assert not mine.empty, cells["local_authority"]
        first = mine.iloc[0]
        start = day(cells["inspection_start_date"], "%d/%m/%Y")
        published = day(cells["publication_date"], "%d/%m/%y")
        assert first["published_date"].date() == published, number
        if start:
            assert first["inspection_date"].date() == start, number
        kind = {"standard": "full inspection", "short": "short inspection"}.get(cells["inspection_framework"])
        if kind:
            assert first["kind"] == kind, number
        assert first["framework_version"] == ("ILACS 2023" if (start or published) >= dt.date(2023, 1, 1)
                                              else "ILACS 2018"), number
        stored = dict(zip(mine["judgement_area"], mine["grade"]))
        sources = dict(zip(mine["judgement_area"], mine["grade_source"]))
        for column, area in GRADE_COLUMNS.items():
            expected = WORDS.get(cells[column].lower())
            if area not in stored:  # the version does not grade it: the workbook must not either
                if expected is not None:
                    mismatches.add((number, column))
            elif stored[area] != expected:
                mismatches.add((number, column))
                assert sources[area] == HISTORY, (number, column)
    assert mismatches == KEPT_AS_PUBLISHED
    assert scalar(without_d2i, "SELECT count(*) FROM change_log WHERE note = $n AND action = 'insert'",
                  {"n": f"make import of {D2I_FILE}"}) == 126


def test_reimporting_the_same_workbook_changes_nothing(without_d2i):
    assert cli(WORKBOOK, db=without_d2i).returncode == 0
    before = table_checksums(without_d2i, OFFICIAL_TABLES)
    queries.db.close(without_d2i)
    again = cli(WORKBOOK, db=without_d2i)
    assert again.returncode == 0 and "0 inserted, 0 updated" in again.stdout and "Nothing changed." in again.stdout
    assert table_checksums(without_d2i, OFFICIAL_TABLES) == before


def test_the_data_page_recognises_the_workbook_and_finds_nothing_to_change(fresh_db):
    validation = validate_upload("ofsted_csc_ilacs_overview.xlsx", WORKBOOK.read_bytes(), actor=SYSTEM, db=fresh_db)
    assert validation.ok and validation.kind == "ofsted" and validation.changes == []
    assert validation.counts()["unchanged"] == 153


def changed_copy(tmp_path: Path, name: str, la_code: str, **cells) -> tuple[Path, int]:
    """The shipped workbook with one council's row changed, saved by openpyxl (the formula cells kept)."""
    book = openpyxl.load_workbook(WORKBOOK)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    number = next(r[0].row for r in sheet.iter_rows(min_row=2) if r[header.index("la_code")].value == la_code)
    for column, value in cells.items():
        sheet.cell(row=number, column=header.index(column) + 1, value=value)
    assert str(sheet.cell(row=number, column=header.index("local_link_to_all_inspections") + 1).value).startswith(
        "=HYPERLINK(")
    path = tmp_path / name
    book.save(path)
    return path, number


def test_an_inspection_under_the_2026_framework_loads_without_an_overall_grade(fresh_db, tmp_path):
    path, _ = changed_copy(tmp_path, "ofsted_csc_ilacs_overview.xlsx", "938", inspection_framework="standard",
                           inspection_start_date="11/05/2026", inspection_end_date="22/05/2026",
                           publication_date="03/07/26", overall_effectiveness_grade="nan",
                           impact_of_leaders_grade="good", help_and_protection_grade="requires improvement",
                           in_care_grade="good", care_leavers_grade="good")
    queries.db.close(fresh_db)
    run = cli(path, db=fresh_db)
    assert run.returncode == 0 and "5 inserted, 0 updated" in run.stdout, run.stdout + run.stderr
    latest = queries.run("ofsted/latest_inspections", db=fresh_db)
    west_sussex = latest[latest["ons_code"] == "E10000032"]
    assert set(west_sussex["framework_version"]) == {"ILACS 2026"}
    assert set(west_sussex["inspection_date"].dt.date) == {dt.date(2026, 5, 11)}
    assert dict(zip(west_sussex["judgement_area"], west_sussex["grade"])) == {
        ILACS_JUDGEMENTS[1]: "Good", ILACS_JUDGEMENTS[2]: "Requires improvement to be good",
        ILACS_JUDGEMENTS[3]: "Good", ILACS_JUDGEMENTS[4]: "Good"}
    assert scalar(fresh_db, "SELECT count(*) FROM ofsted_judgement WHERE inspection_id = "
                            "'e10000032-ilacs-full-inspection-2026-05-11' AND judgement_area = 'Overall effectiveness'") == 0
    for check in CHECKS:  # every data rule still holds, the formula check included
        assert fetch(fresh_db, check.read_text()).empty, check.stem


def test_no_overall_grade_under_ilacs_2023_is_refused_naming_file_row_and_column(fresh_db, tmp_path):
    path, number = changed_copy(tmp_path, "ofsted_csc_ilacs_overview.xlsx", "938", inspection_framework="standard",
                                inspection_start_date="12/05/2025", inspection_end_date="23/05/2025",
                                publication_date="04/07/25", overall_effectiveness_grade="nan")
    before = table_checksums(fresh_db, OFFICIAL_TABLES)
    queries.db.close(fresh_db)
    run = cli(path, db=fresh_db)
    assert run.returncode == 1
    assert f"ofsted_csc_ilacs_overview.xlsx:{number}:overall_effectiveness_grade: no grade, but ILACS 2023 grades" \
           in run.stdout
    assert "nothing was written" in run.stderr
    assert table_checksums(fresh_db, OFFICIAL_TABLES) == before


def test_no_formula_reaches_the_database(demo_db):
    texts = fetch(demo_db, "SELECT web_link, source FROM ofsted_inspection WHERE source = $f", {"f": D2I_FILE})
    assert len(texts) == 21 and texts["web_link"].str.startswith("https://files.ofsted.gov.uk/").all()
    assert scalar(demo_db, "SELECT count(*) FROM ofsted_inspection WHERE contains(upper(coalesce(web_link, '') || "
                           "source || inspection_type), 'HYPERLINK')") == 0
    assert fetch(demo_db, (ROOT / "queries" / "checks" / "no_spreadsheet_formulas.sql").read_text()).empty


def test_the_frameworks_query_holds_the_reference_files(demo_db):
    assert Frameworks.from_rows(queries.run("ofsted/frameworks")) == reference_frameworks()
    versions = fetch(demo_db, "SELECT framework_version, count(*) AS n FROM ofsted_inspection GROUP BY framework_version")
    counts = dict(versions.itertuples(index=False))
    assert counts["ILACS 2023"] > 150 and counts["ILACS 2018"] > 150 and "ILACS 2026" not in counts


def test_the_intervention_register_and_the_directions_read_from_it(demo_db):
    events = queries.run("ofsted/interventions")
    assert list(events["kind"]) == ["commissioner appointed", "statutory direction issued", "commissioner appointed",
                                    "statutory direction revised", "statutory direction revised",
                                    "statutory direction revised", "statutory direction lifted"]
    # every event cites a document or a seed paper, or says what is illustrative about it
    assert all(u.startswith("https://www.gov.uk/government/publications/") or s.startswith("001 para")
               or "illustrative" in s for u, s in zip(events["document_url"].fillna(""), events["source"]))
    directions = queries.run("ofsted/statutory_directions")
    assert list(directions.columns[:5]) == ["direction_id", "ons_code", "authority_name", "direction_date", "action"]
    assert list(directions["action"]) == ["issued", "revised", "revised", "revised", "lifted"]
    assert directions["direction_date"].iloc[-1].date() == dt.date(2023, 5, 11)
    report = queries.run("report/statutory_directions", programme_id="hampshire-west-sussex")
    assert len(report) == 5


def test_reorganisations_query(demo_db):
    r = queries.run("programmes/reorganisations")
    done = r[r["status"] == "done"]
    assert set(done.loc[done["area_name"] == "Somerset", "successor_authority_name"]) == {"Somerset"}
    surrey = r[r["area_name"] == "Surrey"]
    assert len(surrey) == 12 and surrey["successor_name"].str.contains("Surrey Council").all()
    assert set(r.loc[r["ons_code"] == "E10000032", "status"]) == {"proposed"}


def test_the_schema_refuses_a_formula_link_and_a_version_of_another_framework(fresh_db):
    with queries.connect(fresh_db).cursor() as cur:
        with pytest.raises((duckdb.ConstraintException, psycopg.errors.IntegrityError)):
            cur.execute("INSERT INTO intervention_event (event_id, ons_code, event_date, kind, summary, document_url, "
                        "source) VALUES ('x', 'E10000032', DATE '2024-01-01', 'quarterly report', 's', "
                        "'=HYPERLINK(\"https://x\")', 'illustrative')")
        with pytest.raises((duckdb.ConstraintException, psycopg.errors.IntegrityError)):
            cur.execute("INSERT INTO ofsted_inspection (inspection_id, ons_code, framework, framework_version, "
                        "inspection_type, kind, inspection_date, source) VALUES ('x', 'E10000032', 'SIF', 'ILACS 2023', "
                        "'t', 'full inspection', DATE '2024-01-01', 't')")


def test_a_newer_copy_changing_a_grade_the_workbook_gave_is_logged(fresh_db, tmp_path):
    """Bury's 2025 inspection came from the workbook (Ofsted's release has not got it yet): a newer
    copy that corrects a grade updates it, and the change log says from what to what."""
    path, _ = changed_copy(tmp_path, "ofsted_csc_ilacs_overview.xlsx", "351", care_leavers_grade="good")
    queries.db.close(fresh_db)
    run = cli(path, db=fresh_db)
    assert run.returncode == 0 and "0 inserted, 1 updated" in run.stdout, run.stdout + run.stderr
    log = fetch(fresh_db, "SELECT table_name, row_key, action, before_json, after_json FROM change_log "
                          "WHERE note = 'make import of ofsted_csc_ilacs_overview.xlsx' ORDER BY change_id")
    # The file, new to the database, is listed as a data source in the same write.
    assert log["table_name"].tolist() == ["ofsted_judgement", "data_source"]
    assert log["action"].tolist() == ["update", "insert"]
    assert "e08000002-ilacs-full-inspection-2025-06-09" in log["row_key"].iloc[0]
    assert '"grade": "Requires improvement to be good"' in log["before_json"].iloc[0]
    assert '"grade": "Good"' in log["after_json"].iloc[0]
    assert '"source": "ofsted_csc_ilacs_overview.xlsx"' in log["after_json"].iloc[0]
