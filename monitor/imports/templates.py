"""The templates people fill in: for each table a CSV and an XLSX with the headers and example rows
that import with no problem (queries.imports.example_rows). The workbook is made to be filled
without reading anything else: a drop-down list on every column with allowed values (and on
true/false columns), dates as Excel dates, whole numbers and amounts checked as they are typed, a
prompt on each column saying what it holds, the header row frozen; its *columns* sheet says each
column's rules in plain English (monitor.imports.wording, from the same definitions the import
checks). Every cell we write is neutralised against formula injection (monitor.csv_safe)."""
from __future__ import annotations

import io

import pandas as pd

from monitor.csv_safe import neutralise, to_csv_bytes
from monitor.imports import wording
from monitor.imports.expressions import Between, Col, ExpressionError, Lit, Op, parse
from monitor.imports.reading import COLUMNS_SHEET, DATA_SHEET
from monitor.imports.spec import TABLE_TITLES, Column, TableSpec
from monitor.imports.validate import parse_cell, text_of

LISTS_SHEET = "lists"  # the drop-downs' allowed values, one column per list (hidden)
LAST_ROW = 1_048_576  # Excel's last row: the checks cover every row someone may add
BOOLEAN_WORDS = ("TRUE", "FALSE")
DESCRIBED = ["column", "type", "required", "allowed values", "must match", "rules"]
_EXCEL_WHOLE = (-2_147_483_648, 2_147_483_647)  # what Excel's whole-number check accepts


def type_words(column: Column) -> str:
    kind = column.kind
    if kind == "enum":
        return "one of the allowed values (pick from the drop-down list)"
    if kind == "decimal":
        return (f"amount in pounds, up to {column.scale} decimal places, no £ or commas"
                if column.name.endswith("_gbp") else f"number, up to {column.scale} decimal places")
    if column.name == "source":
        return "text: where the row comes from (a paper and paragraph such as 000 para 2.3, a file name, or illustrative)"
    return {"text": "text", "integer": "whole number", "number": "number (leave empty for a suppressed figure)",
            "date": "date (an Excel date, or typed as YYYY-MM-DD or DD/MM/YYYY)",
            "timestamp": "date and time, YYYY-MM-DD HH:MM:SS",
            "boolean": "TRUE or FALSE (pick from the drop-down list)"}.get(kind, kind)


def required_words(spec: TableSpec, column: Column) -> str:
    return ("required (key)" if column.name in spec.key else
            "required" if column.required else
            "optional (the database fills a default)" if column.has_default else "optional")


def column_rules(spec: TableSpec, column: Column) -> list[str]:
    """Every rule the column takes part in, as sentences (no full stops): the schema's CHECK rules,
    UNIQUE rules and the import's own rules."""
    return list(dict.fromkeys(_own_rules(spec, column) + _unique_rules(spec, column)))


def _own_rules(spec: TableSpec, column: Column) -> list[str]:
    kinds = {c.name: c.kind for c in spec.columns}
    rules = [wording.check_sentence(c, kinds) for c in spec.checks if column.name in c.columns]
    if column.name == "forecast_due_date" and spec.has("programme_id"):
        rules.append(wording.FORECAST_RULE)
    return rules


def _unique_rules(spec: TableSpec, column: Column) -> list[str]:
    return [wording.unique_sentence(u) for u in spec.uniques if column.name in u]


def describe_columns(spec: TableSpec) -> pd.DataFrame:
    """One row per template column: what it holds and the rules it must keep, in words."""
    rows = []
    for column in spec.importable:
        rows.append({
            "column": column.name,
            "type": type_words(column),
            "required": required_words(spec, column),
            "allowed values": ", ".join(column.allowed) or (", ".join(BOOLEAN_WORDS) if column.kind == "boolean" else ""),
            "must match": "; ".join(wording.reference_sentence(fk) for fk in spec.foreign_keys
                                    if column.name in fk.columns),
            "rules": "; ".join(column_rules(spec, column)),
        })
    return pd.DataFrame(rows, columns=DESCRIBED)


def notes(spec: TableSpec, examples: int, needs: list[str] = ()) -> list[str]:
    """What holds for the whole sheet, said once under the column descriptions. `needs`: the
    tables whose example rows the examples refer to."""
    out = [wording.key_sentence(spec) + "."]
    if examples:
        out.append(f"The {'row' if examples == 1 else f'{examples} rows'} under the headers "
                   f"{'is an example' if examples == 1 else 'are examples'} that pass every check: a row already "
                   "in the dashboard is left as it is; replace the others with your own rows.")
    if examples and needs:
        named = wording.join([TABLE_TITLES.get(t, t) for t in needs])
        out.append(f"The examples refer to the example rows of the {named} "
                   f"template{'s' if len(needs) > 1 else ''}, which are not in the dashboard yet: import "
                   f"{'that' if len(needs) == 1 else 'those'} first, or refer to your own rows instead.")
    out += ["Leave a cell empty for no value. A column you delete keeps the values already stored.",
            "The whole file is checked before anything is written: if any row has a problem, nothing is written, "
            "and each problem names its row and column.",
            "You can change the rows of your own programmes only."]
    if spec.name == "commissioner_report":
        out.append("A submitted report cannot change: add a corrected version instead.")
    return out


def example_frame(spec: TableSpec, examples: pd.DataFrame | None = None, n: int = 2) -> pd.DataFrame:
    """The template's rows as text: up to `n` example rows (ISO dates, TRUE/FALSE); none when there
    are no examples."""
    names = [c.name for c in spec.importable]
    rows = []
    if examples is not None and len(examples):
        for record in examples.head(n).to_dict("records"):
            rows.append({c.name: _text(c, record.get(c.name)) for c in spec.importable})
    return pd.DataFrame(rows, columns=names, dtype=object)


def _text(column: Column, value) -> str:
    text = text_of(value) or ""
    if column.kind == "boolean" and text:
        return text.upper()
    return text


def template_csv(spec: TableSpec, examples: pd.DataFrame | None = None) -> bytes:
    return to_csv_bytes(example_frame(spec, examples))


def template_xlsx(spec: TableSpec, examples: pd.DataFrame | None = None) -> bytes:
    """Sheet 'data' (headers, example rows as typed cells, a check and a prompt on every column),
    sheet 'columns' (each column in words, then the notes) and a hidden sheet of the lists."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    data = book.active
    data.title = DATA_SHEET
    frame = example_frame(spec, examples)
    data.append(list(frame.columns))
    for record in frame.to_dict("records"):
        data.append([_cell(column, record[column.name]) for column in spec.importable])
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    for i, column in enumerate(spec.importable, start=1):
        letter = data.cell(row=1, column=i).column_letter
        data.column_dimensions[letter].width = max(14, min(40, len(column.name) + 4))
        number_format = _number_format(column)
        for row in range(2, data.max_row + 1):
            data.cell(row=row, column=i).number_format = number_format
        data.column_dimensions[letter].number_format = number_format
        _check(data, lists, spec, column, letter)
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "A2"
    about = book.create_sheet(COLUMNS_SHEET, 1)
    described = describe_columns(spec)
    about.append(list(described.columns))
    for record in described.itertuples(index=False):
        about.append([neutralise(v) for v in record])
    about.append([])
    for note in notes(spec, len(frame), (examples.attrs.get("needs", []) if examples is not None else [])):
        about.append([neutralise(note)])
    for cell in about[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (24, 40, 24, 40, 50, 70)):
        about.column_dimensions[letter].width = width
    for row in about.iter_rows(min_row=2, max_row=len(described) + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    about.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(column: Column, text: str):
    """A typed cell: dates as Excel dates, numbers as numbers, TRUE/FALSE as booleans, text as text."""
    value, problem = parse_cell(column, text)
    if problem or value is None or column.kind in ("text", "enum"):
        return neutralise(text) if text else None
    if column.kind == "decimal":
        return float(value)
    if column.kind == "timestamp" and value.microsecond:
        return text  # Excel keeps milliseconds at most: the exact time stays as text
    return value


def _number_format(column: Column) -> str:
    return {"date": "yyyy-mm-dd", "timestamp": "yyyy-mm-dd hh:mm:ss", "integer": "0",
            "decimal": "#,##0.00" if column.name.endswith("_gbp") else "0.00",
            "text": "@", "enum": "@"}.get(column.kind, "General")


def bounds(spec: TableSpec, column: Column) -> tuple[float | None, float | None]:
    """The least and most value the column's own CHECK rules allow (BETWEEN, >=, >, <=), if any."""
    low = high = None
    for check in spec.checks:
        if check.columns != (column.name,):
            continue
        try:
            node = parse(check.expression)
        except ExpressionError:
            continue
        for part in getattr(node, "items", (node,)):
            if isinstance(part, Between) and isinstance(part.low, Lit) and isinstance(part.high, Lit):
                low, high = part.low.value, part.high.value
            elif isinstance(part, Op) and isinstance(part.left, Col) and isinstance(part.right, Lit) \
                    and isinstance(part.right.value, (int, float)):
                edge = part.right.value + (1 if part.op == ">" and column.kind == "integer" else 0)
                if part.op in (">=", ">"):
                    low = edge
                elif part.op in ("<=",):
                    high = edge
    return low, high


def _check(data, lists, spec: TableSpec, column: Column, letter: str) -> None:
    """The column's data validation: a drop-down list for allowed values and TRUE/FALSE, a date,
    whole-number or decimal check, with a prompt saying what the column holds and an error
    message saying what it accepts."""
    from openpyxl.worksheet.datavalidation import DataValidation

    kind = column.kind
    rules = list(dict.fromkeys(_own_rules(spec, column) + [wording.reference_sentence(fk) for fk in spec.foreign_keys
                                                           if column.name in fk.columns]
                               + _unique_rules(spec, column)))
    if column.name in spec.key:
        rules.insert(0, wording.key_sentence(spec))
    says = f"{type_words(column)}; {required_words(spec, column)}"
    if kind in ("enum", "boolean"):
        values = column.allowed if kind == "enum" else BOOLEAN_WORDS
        where = 1 if lists["A1"].value is None else lists.max_column + 1
        lists.cell(row=1, column=where, value=column.name)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=where, value=neutralise(value))
        col = lists.cell(row=1, column=where).column_letter
        check = DataValidation(type="list", formula1=f"{LISTS_SHEET}!${col}$2:${col}${len(values) + 1}")
        accepts = "one of: " + ", ".join(values)
    elif kind == "date":
        check = DataValidation(type="date", operator="between", formula1="DATE(1900,1,1)",
                               formula2="DATE(2199,12,31)")
        accepts = "a date, such as 2025-04-01 or 01/04/2025"
    elif kind in ("integer", "decimal", "number"):
        low, high = bounds(spec, column)
        if kind == "integer":
            low = max(_EXCEL_WHOLE[0], low if low is not None else (column.bounds or _EXCEL_WHOLE)[0])
            high = min(_EXCEL_WHOLE[1], high if high is not None else (column.bounds or _EXCEL_WHOLE)[1])
        else:
            low, high = (-1e15 if low is None else low), (1e15 if high is None else high)
        check = DataValidation(type="whole" if kind == "integer" else "decimal", operator="between",
                               formula1=_number(low), formula2=_number(high))
        own = bounds(spec, column)
        accepts = ("a whole number" if kind == "integer" else "a number") + (
            f" from {_number(low)} to {_number(high)}" if None not in own else
            f" of {_number(low)} or more" if own[0] is not None else
            f" of {_number(high)} or less" if own[1] is not None else "")
    else:
        check = DataValidation(type=None)  # text: a prompt only
        accepts = ""
    check.allow_blank = not (column.required or column.name in spec.key)
    check.showInputMessage = True
    check.promptTitle = column.name[:32]
    names = {c.name for c in spec.columns}
    check.prompt = _fit(" ".join(_sentence(t, names) for t in [says, *rules]))
    if accepts:
        check.showErrorMessage = True
        check.errorTitle = column.name[:32]
        check.error = _fit(f"{column.name} takes {accepts}.")
    check.add(f"{letter}2:{letter}{LAST_ROW}")
    data.add_data_validation(check)


def _sentence(text: str, names: set[str]) -> str:
    """A full sentence; one that starts with a column's name keeps it as written."""
    first = text.split(" ", 1)[0].rstrip(",;:")
    return (text if first in names else text[:1].upper() + text[1:]) + "."


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _fit(text: str, limit: int = 255) -> str:
    """Excel shows at most 255 characters in a prompt or an error message."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
