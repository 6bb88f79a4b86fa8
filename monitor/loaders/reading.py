"""Reading published CSV files as they are, quirks included.

Official files arrive with UTF-8 byte-order marks, CRLF line endings, header cells with line
breaks inside quotes ("First SIF Overall Judgement\\n(OE)") and trailing spaces in cells. We read
them with the standard `csv` module rather than `pandas.read_csv` so that every record keeps its
spreadsheet row number (see `problems`), nothing is guessed (all cells stay text), and a file that
is not UTF-8 is refused with a message instead of being read as mojibake.

Headers are matched after normalising whitespace and case (`header_key`), but problems always
report the header as the loader expected it, which is how the publisher spells it.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from monitor.loaders.problems import ProblemLog

# Date spellings accepted in published files: ISO (what the official files use) and the UK
# day-first form Excel writes when a sheet is saved as CSV on a British machine.
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def header_key(header: str) -> str:
    """The form two headers are compared in: whitespace (incl. line breaks) collapsed, case folded."""
    return " ".join(header.split()).casefold()


def read_csv_file(path: str | Path, log: ProblemLog) -> pd.DataFrame | None:
    """Read a CSV into a frame of stripped text cells, indexed by spreadsheet row number.

    Columns keep their headers as published. Blank lines are skipped (they still count as rows).
    Returns None, with a problem logged, when the file cannot be read as a table at all.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        log.add(None, None, None, f"cannot read the file: {exc.strerror or exc}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        log.add(None, None, None,
                f"the file is not UTF-8: byte 0x{raw[exc.start]:02X} on line {line} cannot be read; "
                "save it as 'CSV UTF-8' and try again")
        return None
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        log.add(None, None, None, f"the file is not a readable CSV: {exc}")
        return None
    if not records or not any(cell.strip() for cell in records[0]):
        log.add(1, None, None, "the file has no header row")
        return None
    header = records[0]
    seen: dict[str, str] = {}
    for name in header:
        key = header_key(name)
        if key in seen:
            log.add(1, name, None, "the header appears twice")
        seen[key] = name
    width = len(header)
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > width and not any(cell.strip() for cell in record[width:]):
            record = record[:width]
        if len(record) != width:
            log.add(number, None, None, f"the row has {len(record)} cells but the header has {width}")
            continue
        rows.append([cell.strip() for cell in record])
        numbers.append(number)
    frame = pd.DataFrame(rows, columns=header, index=pd.Index(numbers, name="row"), dtype=object)
    return frame


def iter_rows(frame: pd.DataFrame) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {published header: cell}) for each record: plain dicts, fast to index."""
    return zip(frame.index, frame.to_dict("records"))


def find_columns(frame: pd.DataFrame, expected: Iterable[str], log: ProblemLog) -> dict[str, str] | None:
    """Map each expected header to the published one (whitespace and case aside).

    A missing header is a problem with no row and the expected header as its column. Returns
    None when any is missing, so the caller stops before reading cells.
    """
    expected = list(expected)
    published = {header_key(c): c for c in frame.columns}
    found: dict[str, str] = {}
    for name in expected:
        column = published.get(header_key(name))
        if column is None:
            log.add(None, name, None, "required column is missing (renamed or removed?)")
        else:
            found[name] = column
    return found if len(found) == len(set(expected)) else None


def parse_date(text: str) -> dt.date:
    """A date in one of DATE_FORMATS; raises ValueError otherwise."""
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def read_date(log: ProblemLog, row: int, column: str, text: str, *, required: bool) -> dt.date | None:
    """Parse one date cell, logging a problem (and returning None) when it is missing or unreadable."""
    if text == "":
        if required:
            log.add(row, column, text, "date is missing")
        return None
    try:
        return parse_date(text)
    except ValueError:
        log.add(row, column, text, "unreadable date: expected YYYY-MM-DD (or DD/MM/YYYY)")
        return None


def date_series(values: list[dt.date | None]) -> pd.Series:
    """Dates as a datetime64 column (None becomes NaT), the form the database builder inserts."""
    return pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[s]")


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: the form of every generated id."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def count_data_rows(path: str | Path) -> int:
    """How many data records a CSV holds (quoted line breaks in cells do not count as rows)."""
    text = Path(path).read_text(encoding="utf-8-sig")
    records = csv.reader(io.StringIO(text, newline=""))
    return max(sum(1 for r in records if any(c.strip() for c in r)) - 1, 0)
