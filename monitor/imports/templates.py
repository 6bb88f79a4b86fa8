"""The templates people fill in: for each table a CSV and an XLSX with the headers and two example
rows; the workbook's second sheet describes each column (type, allowed values, required or not,
key, what it must match, the rules it must keep). Every cell we write is neutralised against
formula injection (monitor.csv_safe)."""
from __future__ import annotations

import io

import pandas as pd

from monitor.csv_safe import neutralise, to_csv_bytes
from monitor.imports.reading import COLUMNS_SHEET, DATA_SHEET
from monitor.imports.spec import Column, TableSpec
from monitor.imports.validate import describe_check, parse_cell, text_of

_PLACEHOLDER = {"text": "example", "integer": "1", "number": "1.5", "decimal": "1000.00", "date": "2025-04-01",
                "timestamp": "2025-04-01 09:00:00", "boolean": "false"}


def type_words(column: Column) -> str:
    kind = column.kind
    if kind == "enum":
        return "one of the allowed values"
    if kind == "decimal":
        return (f"amount in pounds, up to {column.scale} decimal places, no £ or commas"
                if column.name.endswith("_gbp") else f"number, up to {column.scale} decimal places")
    return {"text": "text", "integer": "whole number", "number": "number (leave empty for a suppressed figure)",
            "date": "date, YYYY-MM-DD (or DD/MM/YYYY)", "timestamp": "date and time, YYYY-MM-DD HH:MM:SS",
            "boolean": "true or false"}.get(kind, kind)


def describe_columns(spec: TableSpec) -> pd.DataFrame:
    """One row per template column: what it holds and the rules it must keep."""
    rows = []
    for column in spec.importable:
        refs = [f"{fk.table}.{fk.referenced[fk.columns.index(column.name)]}"
                for fk in spec.foreign_keys if column.name in fk.columns]
        uniques = [u for u in spec.uniques if column.name in u]
        rules = [describe_check(c) for c in spec.checks if column.name in c.columns]
        rules += [f"unique together with {', '.join(c for c in u if c != column.name)}" if len(u) > 1
                  else "unique" for u in uniques]
        if column.name == "forecast_due_date" and (spec.has("programme_id") or spec.foreign_keys):
            rules.append("not before the programme's start date")
        rows.append({
            "column": column.name,
            "type": type_words(column),
            "required": ("required (key)" if column.name in spec.key else
                         "required" if column.required else
                         "optional (the database fills a default)" if column.has_default else "optional"),
            "allowed values": ", ".join(column.allowed),
            "must match": ", ".join(refs),
            "rules": "; ".join(dict.fromkeys(rules)),
        })
    return pd.DataFrame(rows, columns=["column", "type", "required", "allowed values", "must match", "rules"])


def example_frame(spec: TableSpec, examples: pd.DataFrame | None = None, n: int = 2) -> pd.DataFrame:
    """The template's rows: up to `n` real rows (text, ISO dates), else placeholders by type."""
    names = [c.name for c in spec.importable]
    if examples is not None and len(examples):
        rows = [{c: text_of(r.get(c)) or "" for c in names} for r in examples.head(n).to_dict("records")]
    else:
        rows = [{c.name: (c.allowed[0] if c.kind == "enum" else _PLACEHOLDER.get(c.kind, "")) for c in spec.importable}
                for _ in range(n)]
    return pd.DataFrame(rows, columns=names, dtype=object)


def template_csv(spec: TableSpec, examples: pd.DataFrame | None = None) -> bytes:
    return to_csv_bytes(example_frame(spec, examples))


def template_xlsx(spec: TableSpec, examples: pd.DataFrame | None = None) -> bytes:
    """Sheet 'data' (headers + two example rows, typed cells) and sheet 'columns' (the description)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    data = book.active
    data.title = DATA_SHEET
    frame = example_frame(spec, examples)
    data.append(list(frame.columns))
    for record in frame.to_dict("records"):
        cells = []
        for column in spec.importable:
            text = record[column.name]
            value, problem = parse_cell(column, text)
            if problem or value is None or column.kind in ("text", "enum", "timestamp"):
                value = neutralise(text) if text else None
            elif column.kind == "decimal":
                value = float(value)
            cells.append(value)
        data.append(cells)
    for i, column in enumerate(spec.importable, start=1):
        letter = data.cell(row=1, column=i).column_letter
        data.column_dimensions[letter].width = max(14, min(40, len(column.name) + 4))
        if column.kind == "date":
            for row in range(2, data.max_row + 1):
                data.cell(row=row, column=i).number_format = "yyyy-mm-dd"
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "A2"
    about = book.create_sheet(COLUMNS_SHEET)
    described = describe_columns(spec)
    about.append(list(described.columns))
    for record in described.itertuples(index=False):
        about.append([neutralise(v) for v in record])
    for cell in about[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (24, 40, 24, 40, 30, 60)):
        about.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
