"""A West Sussex inspection under the 2026 framework (no overall judgement), loaded the way a person
would load it: Data to Insight's workbook as published, West Sussex's row changed as a later copy of
the workbook has it (overall effectiveness `nan`, the four judgement areas graded), imported through
the Data page's import. Its `=HYPERLINK(...)` cell is kept in the copy, so a test can check that no
formula reaches a page, a CSV or a Word file."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from monitor.loaders.d2i import D2I_FILE
from monitor.loaders.ofsted import ILACS_JUDGEMENTS
from monitor.permissions import SYSTEM
from queries.imports import import_upload

ROOT = Path(__file__).resolve().parent.parent
WORKBOOK = ROOT / "data" / "official" / D2I_FILE
TODAY = "2026-12-04"            # the pages are read on this day (the inspection is published by then)
INSPECTED = dt.date(2026, 5, 11)
PUBLISHED = dt.date(2026, 7, 3)
INSPECTION_ID = "e10000032-ilacs-full-inspection-2026-05-11"
GRADES = {ILACS_JUDGEMENTS[1]: "Good", ILACS_JUDGEMENTS[2]: "Requires improvement to be good",
          ILACS_JUDGEMENTS[3]: "Good", ILACS_JUDGEMENTS[4]: "Good"}
CELLS = {"inspection_framework": "standard", "inspection_start_date": "11/05/2026", "inspection_end_date": "22/05/2026",
         "publication_date": "03/07/26", "overall_effectiveness_grade": "nan", "impact_of_leaders_grade": "good",
         "help_and_protection_grade": "requires improvement", "in_care_grade": "good", "care_leavers_grade": "good"}


def workbook_2026(folder: Path) -> Path:
    """The shipped workbook with West Sussex's row as a copy after its 2026 inspection would have it."""
    book = openpyxl.load_workbook(WORKBOOK)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    row = next(r[0].row for r in sheet.iter_rows(min_row=2) if r[header.index("la_code")].value == "938")
    for column, value in CELLS.items():
        sheet.cell(row=row, column=header.index(column) + 1, value=value)
    link = sheet.cell(row=row, column=header.index("local_link_to_all_inspections") + 1).value
    assert str(link).startswith("=HYPERLINK("), link  # the formula stays in the file
    path = folder / "ofsted_csc_ilacs_overview.xlsx"
    book.save(path)
    return path


def load_2026_inspection(db: Path, folder: Path) -> None:
    """Import the changed workbook into `db` through the Data page's import (all checks, one write)."""
    path = workbook_2026(folder)
    validation, result = import_upload(path.name, path.read_bytes(), actor=SYSTEM, db=db)
    assert validation.ok and result is not None and result.inserted == 5, validation.problems  # 1 inspection, 4 grades
