"""Reading an uploaded CSV or XLSX into text cells, each with its spreadsheet row number.

Robust to what people's files contain — a UTF-8 byte-order mark, CRLF line endings, trailing
blank rows, dates and numbers typed into Excel — and refusing, with a plain message, what cannot be
read safely: a file that is not UTF-8 (no guessing, no mojibake), an empty file, headers with no
rows, an unreadable workbook, a file over the size or row limit, a workbook that would unpack to
more than its limits (a zip bomb), a quote left open, a cell over 128 KiB. Row numbers count the
header as row 1, as a spreadsheet shows them (see monitor.loaders.problems).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

from monitor.loaders.problems import Problem

MAX_BYTES = 25 * 1024 * 1024  # what the Data page and `make import` accept
MAX_ROWS = 200_000
# A workbook is a zip: 25 MB of it can unpack to gigabytes of XML (a "zip bomb"). Its members'
# sizes, as its directory gives them, are added up before anything is parsed; then cells are
# counted as they are read, and reading stops at the limit.
MAX_UNPACKED = 150_000_000  # bytes: a 200,000-row milestone workbook saved by openpyxl is about 140 MB
MAX_CELLS = 5_000_000
MAX_CELL = 128 * 1024  # characters in one CSV cell (the csv module's field limit, 131,072)
DATA_SHEET = "data"  # the templates' data sheet; the second sheet ("columns") describes the columns
COLUMNS_SHEET = "columns"
_TRIGGERS = ("=", "+", "-", "@")
_ODD_SPACE = re.compile(r"[^\S \r\n]")  # whitespace other than spaces and line breaks
_TO_CLEAN = ("'", '"', " ,", ", ", " \n", "\n ", " \r", "\r ")  # quoting, or a space at a cell's edge


@dataclass
class Sheet:
    """A table read from a file: headers as written, rows of stripped text, row numbers."""

    file: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    sheet: str | None = None  # the worksheet read, for XLSX
    header_row: int = 1


def _problem(file: str, message: str, row: int | None = None, column: str | None = None,
             value: str | None = None) -> Problem:
    return Problem(file, row, column, value, message)


def cell_text(value) -> str:
    """One cell as text: dates ISO, whole numbers without '.0', true/false, stripped.

    A leading apostrophe before =, +, - or @ is the formula-injection guard our own downloads add
    (monitor.csv_safe): it is removed, so an exported file re-imports to the same values.
    """
    if type(value) is str:
        text = value.strip()
        if len(text) > 1 and text[0] == "'" and text[1] in _TRIGGERS:
            text = text[1:]
        return text
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in _TRIGGERS:
        text = text[1:]
    return text


def read_upload(name: str, data: bytes, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS,
                sheet: str | None = None, max_unpacked: int = MAX_UNPACKED,
                max_cells: int = MAX_CELLS) -> tuple[Sheet | None, list[Problem]]:
    """Read an uploaded file (CSV or XLSX, told apart by content and name)."""
    if len(data) > max_bytes:
        return None, [_problem(name, f"the file is {len(data) / 1e6:.1f} MB; the limit is "
                                     f"{max_bytes / 1e6:.0f} MB — split it into smaller files")]
    if not data.strip():
        return None, [_problem(name, "the file is empty")]
    lower = name.lower()
    if data[:4] == b"PK\x03\x04" or lower.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(name, data, max_rows, sheet, max_unpacked, max_cells)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or lower.endswith(".xls"):
        return None, [_problem(name, "this is an old-style Excel .xls workbook; save it as .xlsx "
                                     "(Excel Workbook) or as CSV UTF-8 and try again")]
    return _read_csv(name, data, max_rows)


def _read_csv(name: str, data: bytes, max_rows: int) -> tuple[Sheet | None, list[Problem]]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None, [_problem(name, "the file is UTF-16 ('Unicode text'); save it as 'CSV UTF-8 "
                                     "(comma delimited)' and try again")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [_problem(name, f"the file is not UTF-8: byte 0x{data[exc.start]:02X} on line {line} "
                                     "cannot be read (Excel's plain 'CSV' is Windows-1252); save it as "
                                     "'CSV UTF-8 (comma delimited)' and try again", row=line)]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [_problem(name, "the file contains a NUL byte: it is not a text CSV", row=line)]
    records, problem = _csv_records(name, text)
    if problem:
        return None, [problem]
    return _table(name, records, max_rows, None, as_read=_nothing_to_clean(text))


def _csv_records(name: str, text: str) -> tuple[list[list[str]], Problem | None]:
    """The file's records, or the row where reading stopped and why. Read strictly first, so that a
    quote left open is reported where it opened (read leniently, it would swallow the rest of the
    file into one cell); any other strictness (a stray quote inside a cell) is read as before."""
    for strict in (True, False):
        records: list[list[str]] = []
        try:
            for record in csv.reader(io.StringIO(text, newline=""), strict=strict):
                records.append(record)
            return records, None
        except csv.Error as exc:
            row, why = len(records) + 1, str(exc)
            if "field larger than field limit" in why:
                return records, _problem(name, f"a cell on row {row} is longer than {MAX_CELL // 1024} KiB "
                                               f"({MAX_CELL:,} characters), the limit for one cell", row=row)
            if "unexpected end of data" in why:
                return records, _problem(
                    name, f"a quote (\") opened on row {row} (line {_line_of(records)}) is never closed, so the "
                          "rest of the file would be read as one cell: close the quote, or double it (\"\") "
                          "inside a quoted cell", row=row)
            if not strict:
                return records, _problem(name, f"the file is not a readable CSV: {why}", row=row)
    raise AssertionError("unreachable")


def _line_of(records: list[list[str]]) -> int:
    """The line the record after `records` starts on (a cell may hold line breaks)."""
    return 1 + sum(1 + sum(c.count("\n") for c in r) for r in records)


def _nothing_to_clean(text: str) -> bool:
    """True when every cell csv reads from `text` is already what `cell_text` would make of it:
    no quote or apostrophe anywhere, no space beside a comma or line break, no other whitespace,
    so there is nothing to strip or unguard (a few scans of the text instead of a call per cell)."""
    if text[:1] == " " or text[-1:] == " " or any(s in text for s in _TO_CLEAN):
        return False
    if text.isascii():
        return not any(c in text for c in "\t\x0b\x0c\x1c\x1d\x1e\x1f")
    return not _ODD_SPACE.search(text)


def _table(name: str, records: list[list], max_rows: int, sheet: str | None,
           as_read: bool = False) -> tuple[Sheet | None, list[Problem]]:
    """The sheet in `records` (`as_read`: its cells are already clean text, see _nothing_to_clean)."""
    problems: list[Problem] = []
    start = next((i for i, r in enumerate(records) if any(cell_text(c) for c in r)), None)
    if start is None:
        return None, [_problem(name, "the file has no header row (it is blank)")]
    header = [cell_text(c) for c in records[start]]
    while header and not header[-1]:
        header.pop()
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        sep = "semicolons" if ";" in header[0] else "tabs"
        return None, [_problem(name, f"the cells are separated by {sep}, not commas; save the file as "
                                     "'CSV UTF-8 (comma delimited)'", row=start + 1)]
    seen: set[str] = set()
    for i, h in enumerate(header):
        if not h:
            problems.append(_problem(name, f"header {i + 1} is blank", row=start + 1, column=f"column {i + 1}"))
        elif h.casefold() in seen:
            problems.append(_problem(name, "the header appears twice", row=start + 1, column=h))
        seen.add(h.casefold())
    width = len(header)
    out = Sheet(name, header, sheet=sheet, header_row=start + 1)
    body = records[start + 1:]
    if as_read and body and all(map(any, body)) and set(map(len, body)) == {width}:
        # No blank row, every row as wide as the header: the rows as read are the sheet's rows.
        if len(body) > max_rows:
            return None, [_problem(name, f"the file has more than {max_rows:,} rows, the limit; split it into "
                                         "smaller files", row=start + 2 + max_rows)]
        out.rows, out.numbers = body, list(range(start + 2, start + 2 + len(body)))
        return out, problems
    for index in range(start + 1, len(records)):
        cells = records[index] if as_read else [cell_text(c) for c in records[index]]
        if not any(cells):
            continue
        number = index + 1
        if len(cells) > width and any(cells[width:]):
            problems.append(_problem(name, f"the row has {len(cells)} cells but the header has {width}", row=number,
                                     value=cells[width]))
            continue
        if len(cells) != width:
            cells = (cells + [""] * width)[:width]
        out.rows.append(cells)
        out.numbers.append(number)
        if len(out.rows) > max_rows:
            return None, [_problem(name, f"the file has more than {max_rows:,} rows, the limit; split it into "
                                         "smaller files", row=number)]
    if not out.rows and not problems:
        problems.append(_problem(name, "the file has headers but no rows of data", row=start + 2))
    return out, problems


def _unpacked_size(data: bytes) -> int | None:
    """What a zip's members add up to unpacked, from its directory (nothing is unpacked); None when
    it is not a readable zip (openpyxl then says so). Reading a member stops at the size the
    directory gives, so this bounds the work parsing can do."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _read_xlsx(name: str, data: bytes, max_rows: int, wanted: str | None, max_unpacked: int = MAX_UNPACKED,
               max_cells: int = MAX_CELLS) -> tuple[Sheet | None, list[Problem]]:
    import openpyxl  # imported here: CSV-only users never pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    unpacked = _unpacked_size(data)
    if unpacked is not None and unpacked > max_unpacked:
        return None, [_problem(name, f"the workbook would unpack to {unpacked / 1e6:,.0f} MB; the limit is "
                                     f"{max_unpacked / 1e6:,.0f} MB unpacked — it was not opened. Save the rows "
                                     "as CSV UTF-8, or split them into smaller workbooks")]
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        return None, [_problem(name, f"the file is not a readable .xlsx workbook ({type(exc).__name__}); "
                                     "save it again from Excel as .xlsx or CSV UTF-8")]
    try:
        names = book.sheetnames
        by_key = {n.strip().casefold(): n for n in names}
        chosen = None
        for candidate in (wanted, DATA_SHEET):
            if candidate and candidate.casefold() in by_key:
                chosen = by_key[candidate.casefold()]
                break
        if chosen is None:
            data_sheets = [n for n in names if n.strip().casefold() != COLUMNS_SHEET]
            if not data_sheets:
                return None, [_problem(name, f"the workbook has no data sheet (only {', '.join(names)}); "
                                             f"put the rows on a sheet named '{DATA_SHEET}'")]
            chosen = data_sheets[0]
        ws = book[chosen]
        if getattr(ws, "max_row", None) and ws.max_row > max_rows + 50:
            return None, [_problem(name, f"sheet '{chosen}' has {ws.max_row:,} rows; the limit is {max_rows:,} — "
                                         "split it into smaller files")]
        records, cells = [], 0
        for r in ws.iter_rows(min_row=1, values_only=True):
            cells += len(r)
            if cells > max_cells:  # stop reading here: the rest is never parsed
                return None, [_problem(name, f"sheet '{chosen}' has more than {max_cells:,} cells, the limit "
                                             f"(reached on row {len(records) + 1:,}); split it into smaller files",
                                       row=len(records) + 1)]
            records.append(list(r))
    finally:
        book.close()
    sheet, problems = _table(name, records, max_rows, chosen)
    return sheet, [Problem(p.file, p.row, p.column, p.value,
                           p.message if chosen is None else f"{p.message} (sheet '{chosen}')") for p in problems]
