"""The malformed-input corpus (tests/bad_inputs/): every file is refused with its file, row and
column in the message, and the database is unchanged — every table's checksum the same before and
after. Plus the 50 MB file (generated here, never committed), the row limit, the zip bomb's
refusal from the zip directory alone, and the cell limit."""
import csv
import io
import zipfile
from pathlib import Path

import pytest

from monitor.permissions import Actor
from queries.imports import import_upload, table_checksums, validate_upload

pytestmark = pytest.mark.both_backends

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
CASES = list(csv.DictReader((CORPUS / "expected.csv").open(encoding="utf-8")))
ACTORS = {
    "admin@example.gov.uk": Actor("admin@example.gov.uk", "Administrator", "administrator"),
    "officer.sussex@example.gov.uk": Actor("officer.sussex@example.gov.uk", "Officer", "programme officer",
                                           frozenset({"east-west-sussex"})),
}


def test_corpus_has_at_least_30_files():
    assert len(CASES) >= 30
    assert all((CORPUS / c["file"]).exists() for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_file_is_refused_with_its_place_and_writes_nothing(fresh_db, case):
    before = table_checksums(fresh_db)
    data = (CORPUS / case["file"]).read_bytes()
    validation, result = import_upload(case["file"], data, actor=ACTORS[case["actor"]], table=case["table"] or None,
                                       db=fresh_db)
    assert result is None and validation.problems, f"{case['file']} was accepted"
    lines = [str(p) for p in validation.problems]
    for line in lines:  # every problem names the file, then its row and column (or '-')
        assert line.startswith(case["file"] + ":"), line
    wanted = [p for p in validation.problems
              if (not case["row"] or p.row == int(case["row"]))
              and (not case["column"] or case["column"] in (p.column or ""))
              and case["words"].lower() in p.message.lower()]
    assert wanted, f"expected row {case['row']} column {case['column']!r} '{case['words']}' in:\n" + "\n".join(lines)
    assert table_checksums(fresh_db) == before


def test_a_50_mb_file_is_refused_before_reading(fresh_db, tmp_path):
    path = tmp_path / "huge.csv"
    row = b"ews-m01,2031-01-01,on track,,padding " + b"x" * 200 + b"\n"
    with path.open("wb") as f:
        f.write(b"milestone_id,reporting_date,status,forecast_due_date,source\n")
        f.write(row * (50 * 1024 * 1024 // len(row) + 1))
    assert path.stat().st_size >= 50 * 1024 * 1024
    before = table_checksums(fresh_db)
    validation, result = import_upload("huge.csv", path.read_bytes(), actor=ACTORS["admin@example.gov.uk"], db=fresh_db)
    assert result is None
    assert "huge.csv:-:-:" in str(validation.problems[0]) and "the limit is" in validation.problems[0].message
    assert table_checksums(fresh_db) == before


def test_too_many_rows_is_refused_with_the_row(fresh_db):
    from queries.imports import validate_upload

    text = "milestone_id,reporting_date,status,forecast_due_date,source\n" + "".join(
        f"ews-m01,2031-01-{d:02d},on track,,t\n" for d in range(1, 12))
    validation = validate_upload("many.csv", text.encode(), actor=ACTORS["admin@example.gov.uk"], db=fresh_db, max_rows=10)
    assert not validation.ok and validation.problems[0].row == 12 and "limit" in validation.problems[0].message


def test_a_zip_bomb_is_refused_from_its_directory_before_it_is_opened(fresh_db):
    data = (CORPUS / "zip_bomb.xlsx").read_bytes()
    assert len(data) < 400_000  # a small upload...
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # ...that unpacks to some 200 MB of XML
        assert sum(i.file_size for i in archive.infolist()) > 190_000_000
    validation = validate_upload("zip_bomb.xlsx", data, actor=ACTORS["admin@example.gov.uk"], db=fresh_db)
    assert not validation.ok and len(validation.problems) == 1
    message = validation.problems[0].message
    assert "would unpack to 199 MB" in message and "the limit is 150 MB unpacked" in message, message


def test_a_workbook_with_too_many_cells_stops_being_read_at_the_limit(fresh_db):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "data"
    sheet.append(["milestone_id", "reporting_date", "status", "forecast_due_date", "source"])
    for day in range(1, 29):
        sheet.append(["ews-m01", f"2031-02-{day:02d}", "on track", None, "illustrative"])
    out = io.BytesIO()
    book.save(out)
    validation = validate_upload("wide.xlsx", out.getvalue(), actor=ACTORS["admin@example.gov.uk"], db=fresh_db,
                                 max_cells=100)
    assert not validation.ok
    problem = validation.problems[0]
    assert "more than 100 cells, the limit" in problem.message and problem.row == 21  # 20 rows of 5 = 100 cells
    assert validate_upload("wide.xlsx", out.getvalue(), actor=ACTORS["admin@example.gov.uk"], db=fresh_db).ok
