"""Sources in an Excel workbook as links: each source cell a hyperlink, styled as one, to where one
click should lead (monitor.sources.links.cell_url: the passage in the dashboard's Sources reader at
MONITOR_BASE_URL, or the publisher's page), and a link column beside it giving each source's own
address in words a reader can copy (cell_links) — as a table's CSV does. Pure: no Streamlit."""
from __future__ import annotations

from copy import copy

from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from monitor.sources.links import SOURCE_COLUMNS, References, absolute_url, cell_links, cell_url

LINK_WIDTH = 60


def link_heading(heading: str) -> str:
    """The link column's heading beside a source column: 'Source link', 'Sources link'."""
    return f"{heading[:1].upper()}{heading[1:]} link"


def _shift_widths(sheet: Worksheet, after: int) -> None:
    """Column widths follow their columns when one is inserted after column `after`."""
    for column in range(sheet.max_column, after, -1):
        width = sheet.column_dimensions[get_column_letter(column)].width
        sheet.column_dimensions[get_column_letter(column + 1)].width = width


def link_sources(sheet: Worksheet, header_row: int, references: References | None = None,
                 base: str | None = None) -> None:
    """Make every source column of `sheet` (its heading in SOURCE_COLUMNS on `header_row`) links:
    the cells that lead somewhere get a hyperlink, and a '… link' column is inserted beside it."""
    pages, names, releases = references or ({}, {}, {})
    headings = [cell.value for cell in sheet[header_row]]
    columns = [i for i, heading in enumerate(headings, start=1) if heading in SOURCE_COLUMNS]
    for column in reversed(columns):
        _shift_widths(sheet, column)
        sheet.insert_cols(column + 1)
        heading = sheet.cell(row=header_row, column=column + 1, value=link_heading(headings[column - 1]))
        heading.font = copy(sheet.cell(row=header_row, column=column).font)
        sheet.column_dimensions[get_column_letter(column + 1)].width = LINK_WIDTH
        for row in range(header_row + 1, sheet.max_row + 1):
            cell = sheet.cell(row=row, column=column)
            if not isinstance(cell.value, str) or not cell.value.strip():
                continue
            url = absolute_url(cell_url(cell.value, pages, names, releases), base)
            if url:
                alignment = copy(cell.alignment)
                cell.hyperlink = url
                cell.style = "Hyperlink"
                cell.alignment = alignment
            sheet.cell(row=row, column=column + 1, value=cell_links(cell.value, pages, names, releases, base))
        if sheet.auto_filter.ref:
            low_col, low_row, high_col, high_row = range_boundaries(sheet.auto_filter.ref)
            if low_col <= column <= high_col:
                sheet.auto_filter.ref = (f"{get_column_letter(low_col)}{low_row}:"
                                         f"{get_column_letter(high_col + 1)}{high_row}")
