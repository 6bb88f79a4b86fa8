"""The no-detriment summary as people take it away: an Excel workbook with the summary table in the
words and symbols the page shows, the legend of every symbol, and the financial check. Text cells
that Excel would run as a formula are neutralised (monitor.csv_safe)."""
from __future__ import annotations

import io
import math
import re

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from monitor.csv_safe import neutralise
from monitor.sources.links import References
from monitor.sources.workbook import link_sources
from monitor.tidy import Origin, with_unit_columns

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
WIDTHS = {"Council": 16, "Indicator": 40, "Unit": 14, "Latest value": 12, "Latest period": 13, "Baseline mean": 13,
          "Variation": 42, "Assurance": 42, "Verdict": 30, "In words": 90, "Against neighbours and England": 70,
          "Symbol": 8, "Meaning": 100, "What": 30}


def _cell(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (np.floating, np.integer)):
        value = value.item()
    if isinstance(value, str):
        return neutralise(_CONTROL.sub("", value))
    return value


def _sheet(book: Workbook, name: str, frame: pd.DataFrame, title: str | None = None,
           references: References | None = None) -> None:
    sheet = book.create_sheet(name)
    start = 1
    if title:
        sheet.append([_cell(title)])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([])
        start = 3
    sheet.append(list(frame.columns))
    for cell in sheet[start]:
        cell.font = Font(bold=True)
    for record in frame.itertuples(index=False):
        sheet.append([_cell(v) for v in record])
    for i, column in enumerate(frame.columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = WIDTHS.get(column, 18)
        if WIDTHS.get(column, 18) >= 40:
            for row in range(start + 1, sheet.max_row + 1):
                sheet.cell(row=row, column=i).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=start + 1, column=1)
    link_sources(sheet, start, references)


def summary_xlsx(summary: pd.DataFrame, legend: pd.DataFrame, *, title: str, origin: Origin,
                 finance: pd.DataFrame | None = None, references: References | None = None) -> bytes:
    """The workbook: 'Summary' (one row per indicator, its unit in its Unit column), 'Legend' (every
    symbol in words), when given 'Financial' (the lending council's cost against what it recovered,
    by financial year, each sum's unit in the column beside it), and 'About' (what the figures come
    from and the ISO date they are as at: `origin`). Each source cell is a hyperlink to its passage or
    publisher's page, with a link column beside it (`references`: the publisher pages, titles and
    releases; monitor.sources.workbook)."""
    book = Workbook()
    book.remove(book.active)
    _sheet(book, "Summary", summary, title, references)
    _sheet(book, "Legend", legend)
    if finance is not None and len(finance):
        _sheet(book, "Financial", with_unit_columns(finance), references=references)
    about = {"Source": origin.source, "As at": origin.as_at.isoformat()}
    _sheet(book, "About", pd.DataFrame({"Field": list(about), "Value": list(about.values())}))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
