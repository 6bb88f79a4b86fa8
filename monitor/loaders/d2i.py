"""Data to Insight's ILACS summary workbook (`ofsted_csc_ilacs_overview.xlsx`), read as published.

One row per council with its latest ILACS inspection: DfE code (`la_code`), Ofsted URN, start and end
dates, publication date, framework (`standard` / `short`), five grades, statistical neighbours. Data
to Insight reads the grades from Ofsted's published reports, so the workbook often knows inspections
Ofsted's annual release does not have yet. Its quirks, each handled here:

- grades are lower-case words ("requires improvement" for Requires improvement to be good), in any
  case; `nan`, `None`, a blank cell or `inspection_pre_dates_judgement` mean no grade. No grade is
  accepted only where the inspection's framework version grades no such judgement (care leavers
  before 2023, overall effectiveness under ILACS 2026); anywhere else the row is refused with file,
  row and column;
- start and end dates are dd/mm/yyyy, publication dates dd/mm/yy (real Excel dates are read too);
- `local_link_to_all_inspections` is an `=HYPERLINK(...)` formula pointing at a folder on the
  publisher's machine: never read, never evaluated, never stored. A formula in any column this loader
  does read is refused;
- `inspection_framework` may say `None` (with no dates) where the scrape could not tell: such a row
  can only confirm an inspection already stored (same council, same publication date);
- `stat_neighbours` and `stat_neighbour_judgement` are lists written as text (the second as a Python
  literal): not loaded, statistical neighbours come from DfE's model;
- `ltla23cd` still carries the pre-reorganisation county code for six councils (Cumberland and
  Westmorland and Furness say E10000006, Cumbria's): councils are joined on the DfE code, checked
  against the Ofsted URN, never on names or on that column.

`load_d2i_overview(path, authorities)` checks every row (`D2IRow`s, or one LoadError with every
problem); `monitor.loaders.d2i_plan.plan_d2i` compares them with what is stored. Pure: no
Streamlit, no database.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from monitor.loaders import tables
from monitor.loaders.frameworks import VERSION_SOURCE, Frameworks, reference_frameworks
from monitor.loaders.ofsted import GRADED_KINDS, ILACS_JUDGEMENTS, INSPECTION_TYPES
from monitor.loaders.problems import ProblemLog
from monitor.loaders.reading import header_key

D2I_FILE = "d2i_ofsted_csc_ilacs_overview_2025-12-01.xlsx"
SOURCE = {  # its row of data_source
    "source_file": D2I_FILE, "publisher": "Data to Insight",
    "title": "ILACS summary workbook (ofsted_csc_ilacs_overview.xlsx), copy of 1 December 2025: each council's "
             "latest ILACS inspection, grades read from Ofsted's published reports",
    "published_date": None, "licence": "MIT licence",
    "source_url": "https://github.com/data-to-insight/ofsted-ilacs-scrape-tool",
    "loaded_into": "ofsted_inspection, ofsted_judgement",
}
FRAMEWORK = "ILACS"
KINDS = {"standard": "full inspection", "short": "short inspection"}  # inspection_framework -> kind
UNKNOWN_KIND = ("none", "nan", "")
# The inspection types Ofsted's own files use, so a later Ofsted release updates these rows in place.
TYPE_OF_KIND = {kind: t for t, (fw, kind) in INSPECTION_TYPES.items() if fw == FRAMEWORK and kind in GRADED_KINDS}
GRADE_COLUMNS = {  # workbook column -> judgement area in Ofsted's wording
    "overall_effectiveness_grade": ILACS_JUDGEMENTS[0],
    "impact_of_leaders_grade": ILACS_JUDGEMENTS[1],
    "help_and_protection_grade": ILACS_JUDGEMENTS[2],
    "in_care_grade": ILACS_JUDGEMENTS[3],
    "care_leavers_grade": ILACS_JUDGEMENTS[4],
}
GRADE_WORDS = {**{header_key(g): g for g in tables.OFSTED_GRADES},
               "requires improvement": "Requires improvement to be good"}
NO_GRADE = ("", "nan", "none", "null", "inspection_pre_dates_judgement")
READ_COLUMNS = ("urn", "la_code", "inspection_link", "inspection_framework", "inspection_start_date",
                "inspection_end_date", "publication_date", *GRADE_COLUMNS)
# Headers only this layout has: how an upload is recognised as the workbook.
MARKER_HEADERS = frozenset({"la_code", "inspection_framework", "overall_effectiveness_grade", "in_care_grade"})
DATE_FORMATS = {"inspection_start_date": ("%d/%m/%Y", "%Y-%m-%d"), "inspection_end_date": ("%d/%m/%Y", "%Y-%m-%d"),
                "publication_date": ("%d/%m/%y", "%d/%m/%Y", "%Y-%m-%d")}
_WEB = re.compile(r"https://[^\s\"'<>]+")


def is_d2i_header(keys) -> bool:
    """Whether a sheet with these headers (as `header_key` gives them) is the workbook."""
    return MARKER_HEADERS <= set(keys)


def is_d2i_source(source) -> bool:
    """A stored row loaded from a Data to Insight workbook: its source is the workbook's file name.
    (Ofsted's releases are read from CSV; only this loader stores an .xlsx name as a source.)"""
    return isinstance(source, str) and source.lower().endswith((".xlsx", ".xlsm"))


@dataclass(frozen=True)
class D2IRow:
    """One checked row of the workbook."""

    row: int
    ons_code: str
    kind: str | None  # None: the workbook could not tell
    start: dt.date | None
    end: dt.date | None
    published: dt.date
    version: str
    grades: dict[str, str]  # area -> grade, for the areas the version grades
    extra: dict[str, str]  # area -> grade the workbook gives for an area the version does not grade
    web_link: str | None
    columns: dict[str, str] = field(default_factory=dict)  # area -> workbook column, for messages
    texts: dict[str, str] = field(default_factory=dict)  # workbook column -> cell text, for messages


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_sheet(path: Path, log: ProblemLog) -> tuple[dict[str, int], list[tuple[int, list]]] | None:
    """(header -> column index, [(row number, cells)]) of the first sheet; cells are (value, is_formula)."""
    import openpyxl  # only this loader and the Data page need it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)  # formulas stay text, unevaluated
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        log.add(None, None, None, f"not a readable .xlsx workbook ({type(exc).__name__})")
        return None
    try:
        rows = book.worksheets[0].iter_rows()
        header = next(rows, None)
        if header is None:
            log.add(1, None, None, "the workbook has no header row")
            return None
        columns = {header_key(_cell_text(c.value)): i for i, c in enumerate(header) if _cell_text(c.value)}
        body = []
        for number, cells in enumerate(rows, start=2):
            values = [(c.value, getattr(c, "data_type", None) == "f") for c in cells]
            if any(_cell_text(v) for v, _ in values):
                body.append((number, values))
        return columns, body
    finally:
        book.close()


def is_d2i_workbook(path: str | Path) -> bool:
    """Whether `path` is the workbook (an .xlsx whose first sheet has its headers)."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            if f.read(4) != b"PK\x03\x04":
                return False
    except OSError:
        return False
    read = _read_sheet(path, ProblemLog(path.name))
    return read is not None and is_d2i_header(read[0])


def _date(log: ProblemLog, row: int, column: str, value, *, required: bool) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _cell_text(value)
    if header_key(text) in NO_GRADE:
        if required:
            log.add(row, column, text, "date is missing")
        return None
    for fmt in DATE_FORMATS[column]:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    shown = " or ".join(f.replace("%d", "dd").replace("%m", "mm").replace("%Y", "yyyy").replace("%y", "yy")
                        for f in DATE_FORMATS[column])
    log.add(row, column, text, f"unreadable date: expected {shown}")
    return None


def load_d2i_overview(path: str | Path, authorities: pd.DataFrame,
                      frameworks: Frameworks | None = None) -> list[D2IRow]:
    """Every row of the workbook, checked. `authorities`: rows of `authority` (ons_code, dfe_code,
    ofsted_urn, is_childrens_services). Raises LoadError naming file, row and column of each problem."""
    path = Path(path)
    frameworks = frameworks or reference_frameworks()
    log = ProblemLog.for_path(path)
    read = _read_sheet(path, log)
    if read is None:
        log.raise_if_any()
    columns, body = read
    missing = [c for c in READ_COLUMNS if c not in columns]
    for name in missing:
        log.add(None, name, None, "required column is missing (renamed or removed?)")
    log.raise_if_any()
    by_dfe = {str(r["dfe_code"]): r for r in authorities.to_dict("records")
              if isinstance(r.get("dfe_code"), str) and r.get("is_childrens_services", True)}
    out: list[D2IRow] = []
    first_row: dict[str, int] = {}
    for number, cells in body:
        raw = {name: cells[columns[name]] if columns[name] < len(cells) else (None, False) for name in READ_COLUMNS}
        formulas = [name for name, (_, is_formula) in raw.items() if is_formula]
        for name in formulas:
            log.add(number, name, None, "a formula, not a value: formulas are never evaluated; paste the value instead")
        if formulas:
            continue
        values = {name: value for name, (value, _) in raw.items()}
        texts = {name: _cell_text(value) for name, value in values.items()}
        ok = True
        council = by_dfe.get(texts["la_code"])
        if council is None:
            log.add(number, "la_code", texts["la_code"], "not the DfE code of a council with children's services")
            ok = False
        elif texts["la_code"] in first_row:
            log.add(number, "la_code", texts["la_code"], f"the same council as row {first_row[texts['la_code']]}")
            ok = False
        else:
            first_row[texts["la_code"]] = number
            urn = council.get("ofsted_urn")
            if texts["urn"] and isinstance(urn, str) and urn and texts["urn"] != urn:
                log.add(number, "urn", texts["urn"], f"not the Ofsted URN of the council with DfE code "
                                                     f"{texts['la_code']} ({urn}): the codes disagree")
                ok = False
        framework_key = header_key(texts["inspection_framework"])
        kind = KINDS.get(framework_key)
        if kind is None and framework_key not in UNKNOWN_KIND:
            log.add(number, "inspection_framework", texts["inspection_framework"],
                    f"expected {' or '.join(KINDS)} (or None where unknown)")
            ok = False
        start = _date(log, number, "inspection_start_date", values["inspection_start_date"], required=False)
        end = _date(log, number, "inspection_end_date", values["inspection_end_date"], required=False)
        published = _date(log, number, "publication_date", values["publication_date"], required=True)
        if start and end and end < start:
            log.add(number, "inspection_end_date", texts["inspection_end_date"], "ends before it starts")
        if start and published and published < start:
            log.add(number, "publication_date", texts["publication_date"], "published before the inspection started")
        link = texts["inspection_link"]
        web_link = None
        if header_key(link) not in NO_GRADE:
            if _WEB.fullmatch(link):
                web_link = link
            else:
                log.add(number, "inspection_link", link, "not a web address (https://...)")
        version = frameworks.version_for(FRAMEWORK, start or published) if (start or published) else None
        if version is None and (start or published):
            column = "inspection_start_date" if start else "publication_date"
            log.add(number, column, texts[column], f"no ILACS framework version covers this date (see {VERSION_SOURCE})")
        if council is None or published is None or version is None or not ok:
            continue
        grades: dict[str, str] = {}
        extra: dict[str, str] = {}
        for column, area in GRADE_COLUMNS.items():
            text = texts[column]
            graded = frameworks.grades(version, area)
            if header_key(text) in NO_GRADE:
                if graded:
                    log.add(number, column, text or "blank",
                            f"no grade, but {version} grades this judgement: a grade is required "
                            f"(only a version without it, such as ILACS 2026 for overall effectiveness, may have none)")
                continue
            grade = GRADE_WORDS.get(header_key(text))
            if grade is None:
                log.add(number, column, text, "unknown grade: expected outstanding, good, requires improvement or "
                                              "inadequate (any case), or nan where the framework has no such judgement")
            elif graded:
                grades[area] = grade
            else:
                extra[area] = grade
        out.append(D2IRow(number, council["ons_code"], kind, start, end, published, version, grades, extra, web_link,
                          {area: column for column, area in GRADE_COLUMNS.items()}, texts))
    log.raise_if_any()
    return out


def count_rows(path: str | Path) -> int:
    """Data rows of the workbook's first sheet (non-blank rows after the header)."""
    read = _read_sheet(Path(path), ProblemLog(Path(path).name))
    return 0 if read is None else len(read[1])
