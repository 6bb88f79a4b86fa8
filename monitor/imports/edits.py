"""Edits made in the page's table editor, turned into the same rows an import checks, and the
conflicts an edit would overwrite (optimistic concurrency: the rows as opened are compared with the
rows as they are now)."""
from __future__ import annotations

import pandas as pd

from monitor.imports.reading import Sheet, cell_text
from monitor.imports.spec import TableSpec
from monitor.imports.validate import text_of

# What a download of an edit's problems comes from (monitor.tidy.Origin).
SOURCE = "your edits to the table, as checked against Improvement Monitor's import rules"

EDITOR_FILE = "table editor"


def editor_sheet(spec: TableSpec, base: pd.DataFrame, state: dict) -> tuple[Sheet, list[int]]:
    """The edited and added rows as a Sheet (row numbers = editor row, counting the header as 1)
    and, for each, the base row index it came from (-1 for an added row)."""
    names = [c.name for c in spec.importable]
    sheet = Sheet(EDITOR_FILE, names)
    origins = []
    records = base.to_dict("records")
    for index, edits in sorted((int(k), v) for k, v in (state.get("edited_rows") or {}).items()):
        row = {c: records[index].get(c) for c in names}
        row.update({k: v for k, v in edits.items() if k in names})
        sheet.rows.append([cell_text(text_of(row[c])) for c in names])
        sheet.numbers.append(index + 2)
        origins.append(index)
    for offset, added in enumerate(state.get("added_rows") or []):
        sheet.rows.append([cell_text(text_of(added.get(c))) for c in names])
        sheet.numbers.append(len(records) + offset + 2)
        origins.append(-1)
    return sheet, origins


def deleted_keys(spec: TableSpec, base: pd.DataFrame, state: dict) -> list[tuple[dict, int | None]]:
    """(key, row_version as opened) of each row deleted in the editor."""
    records = base.to_dict("records")
    out = []
    for index in sorted(state.get("deleted_rows") or []):
        row = records[int(index)]
        version = row.get("row_version") if spec.has_row_version else None
        out.append(({c: row[c] for c in spec.key}, None if version is None or pd.isna(version) else int(version)))
    return out


def conflicts(spec: TableSpec, opened: list[dict], current: dict[tuple, dict]) -> list[str]:
    """Rows someone else changed (or deleted) since they were opened, each with their values."""
    out = []
    for row in opened:
        key = tuple(row.get(c) for c in spec.key)
        now = current.get(tuple(_norm(v) for v in key)) or current.get(key)
        label = ", ".join(map(str, key))
        if now is None:
            out.append(f"{spec.name} {label} was deleted by someone else since you opened the table.")
            continue
        theirs = {c.name: text_of(now.get(c.name)) for c in spec.importable
                  if text_of(now.get(c.name)) != text_of(row.get(c.name))}
        if spec.has_row_version and row.get("row_version") is not None and now.get("row_version") != row.get("row_version"):
            theirs = theirs or {"row_version": now.get("row_version")}
        if theirs:
            out.append(f"{spec.name} {label} was changed by someone else since you opened it; their values: "
                       + "; ".join(f"{k} = {v if v is not None else '(empty)'}" for k, v in theirs.items())
                       + ". Reload the table and apply your edit again.")
    return out


def _norm(value):
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value
