"""The savings ledger as people take it away: readable column names and the Excel workbook."""
from __future__ import annotations

import io
import math
import re

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from monitor.csv_safe import neutralise
from monitor.formatting import format_pounds, is_illustrative
from monitor.savings.ledger import MEASURES, _sum, totals
from monitor.sources.links import References
from monitor.sources.workbook import link_sources
from monitor.tidy import Origin, split_unit, with_unit_columns

LEDGER_COLUMNS = {
    "saving_id": "Saving",
    "financial_year": "Financial year",
    "workstream": "Work stream",
    "council": "Council",
    "category": "Category",
    "cashable": "Cashable",
    "recurring": "Recurring",
    "planned_gbp": "Planned (£)",
    "forecast_gbp": "Forecast (£)",
    "delivered_gbp": "Delivered (£)",
    "source": "Source",
}


READABLE = {
    "financial_year": "Financial year", "workstream": "Work stream", "council": "Council",
    "category": "Category", "cashable": "Cashable", "recurring": "Recurring", "by": "Split by",
    "group": "Group", "planned_gbp": "Planned (£)", "forecast_gbp": "Forecast (£)",
    "delivered_gbp": "Delivered (£)", "rows": "Ledger rows", "illustrative_planned_gbp": "Planned on illustrative rows (£)",
    "sources": "Sources", "cumulative_planned_gbp": "Cumulative planned (£)",
    "cumulative_delivered_gbp": "Cumulative delivered (£)", "step": "Step", "measure": "Kind of step",
    "amount_gbp": "Amount (£)", "cost_item": "Cost item", "share": "Share", "years": "Years",
}


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """An aggregate as a chart's 'View as table' shows it: headings in words, pounds in full
    (format_pounds), 'not yet reported' where no delivered figure exists."""
    # Built in one step from the columns (a copy, then a column replaced at a time, costs ~0.2 ms a column).
    out = pd.DataFrame({READABLE.get(column, column): (
        pd.Series(["not yet reported" if pd.isna(v) else format_pounds(v) for v in frame[column].tolist()],
                  index=frame.index, dtype=frame[column].dtype if frame.empty else None)
        if str(column).endswith("_gbp") else frame[column]) for column in frame.columns}, index=frame.index)
    return out.__finalize__(frame)  # the attrs (a waterfall's target and rows left out) go with it


def ledger_table(labelled: pd.DataFrame) -> pd.DataFrame:
    """The ledger as the page and its CSV show it: readable headings, pounds as numbers."""
    return labelled[list(LEDGER_COLUMNS)].rename(columns=LEDGER_COLUMNS).reset_index(drop=True)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (np.floating, np.integer)):
        value = value.item()
    if isinstance(value, np.bool_):
        value = bool(value)
    if isinstance(value, str):
        return neutralise(_CONTROL.sub("", value))
    return value


def _money_columns(table: pd.DataFrame) -> list[str]:
    """The measures in pounds of a table with readable headings ("Planned (£)" → "Planned")."""
    return [measure for measure, unit in map(split_unit, table.columns) if unit == "GBP"]


def ledger_xlsx(labelled: pd.DataFrame, *, title: str, origin: Origin, references: References | None = None) -> bytes:
    """The savings ledger as an Excel workbook: a 'Savings ledger' sheet (one row per saving, pounds
    as numbers formatted £#,##0.00 with their unit in the column beside them, a totals row, filters
    and a frozen header), a 'Sources' sheet and an 'About' sheet (what the figures come from and the
    ISO date they are as at: `origin`). Text cells that Excel would run as a formula are neutralised
    (monitor.csv_safe). Each source is a hyperlink to its passage or publisher's page, with a link
    column beside it (monitor.sources.workbook; `references`: the publisher pages, titles and
    releases)."""
    readable_table = ledger_table(labelled)
    money = _money_columns(readable_table)
    table = with_unit_columns(readable_table)
    book = Workbook()
    sheet = book.active
    sheet.title = "Savings ledger"
    sheet.append([_cell(title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    header_row = 3
    sheet.append(list(table.columns))
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    money_columns = [i for i, c in enumerate(table.columns, start=1) if c in money]
    for record in table.itertuples(index=False):
        sheet.append([_cell(v) for v in record])
    last = sheet.max_row
    total = totals(labelled)
    totals_row = ["Total"] + [None] * (len(table.columns) - 1)
    for i, measure in zip(money_columns, MEASURES):
        value = total[measure]
        totals_row[i - 1] = None if math.isnan(value) else round(value, 2)
    sheet.append(totals_row)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for i in money_columns:
        for row in range(header_row + 1, sheet.max_row + 1):
            sheet.cell(row=row, column=i).number_format = "£#,##0.00"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    if last > header_row:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(table.columns))}{last}"
    widths = {"Saving": 12, "Financial year": 14, "Work stream": 40, "Council": 18, "Category": 20,
              "Cashable": 14, "Recurring": 12, "Source": 50}
    for i, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = widths.get(column, 16)

    sources = book.create_sheet("Sources")
    by_source = pd.DataFrame(
        [[source, int(len(part)), round(float(part["planned_gbp"].sum()), 2),
          None if math.isnan(delivered := _sum(part["delivered_gbp"])) else round(delivered, 2),
          "yes" if is_illustrative(source) else "no"] for source, part in labelled.groupby("source", sort=True)],
        columns=["Source", "Rows", "Planned (£)", "Delivered (£)", "Illustrative"])
    money = _money_columns(by_source)
    by_source = with_unit_columns(by_source)
    sources.append(list(by_source.columns))
    for cell in sources[1]:
        cell.font = Font(bold=True)
    for record in by_source.itertuples(index=False):
        sources.append([_cell(v) for v in record])
    for i, column in enumerate(by_source.columns, start=1):
        sources.column_dimensions[get_column_letter(i)].width = 60 if column == "Source" else 16
        if column in money:
            for row in range(2, sources.max_row + 1):
                sources.cell(row=row, column=i).number_format = "£#,##0.00"
    link_sources(sheet, header_row, references)
    link_sources(sources, 1, references)

    about = book.create_sheet("About")
    for row in (["Field", "Value"], ["Source", _cell(origin.source)], ["As at", origin.as_at.isoformat()]):
        about.append(row)
    for cell in about[1]:
        cell.font = Font(bold=True)
    about.column_dimensions["A"].width = 12
    about.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
