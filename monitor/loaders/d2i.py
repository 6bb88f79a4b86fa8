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
problem). `plan_d2i(rows, stored_inspections, stored_judgements, file)` compares them with what is
stored: the same council and dates are the same inspection (never a duplicate). Ofsted's own release
is the record: where the workbook disagrees with an inspection loaded from it, the release stands and
the disagreement is listed (`D2IPlan.differences`); inspections the workbook itself loaded earlier
are brought up to date (each change a logged write); inspections not stored are inserted. Pure: no
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
from monitor.loaders.ofsted import GRADED_KINDS, ILACS_JUDGEMENTS, INSPECTION_TYPES, inspection_id
from monitor.loaders.problems import LoadError, Problem, ProblemLog
from monitor.loaders.reading import date_series, header_key

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


# ---- planning against what is stored ------------------------------------------------------------

@dataclass
class D2IPlan:
    """What loading the workbook changes. Each list holds rows or (key, values) in table columns."""

    inspections: list[dict] = field(default_factory=list)  # to insert
    judgements: list[dict] = field(default_factory=list)  # to insert
    inspection_updates: list[tuple[dict, dict]] = field(default_factory=list)
    judgement_updates: list[tuple[dict, dict]] = field(default_factory=list)
    judgement_deletes: list[dict] = field(default_factory=list)
    differences: list[Problem] = field(default_factory=list)  # where Ofsted's release stands
    matched: dict[int, str] = field(default_factory=dict)  # workbook row -> stored inspection_id

    @property
    def empty(self) -> bool:
        return not (self.inspections or self.judgements or self.inspection_updates or self.judgement_updates
                    or self.judgement_deletes)

    def inspection_frame(self) -> pd.DataFrame:
        frame = tables.frame(self.inspections, tables.OFSTED_INSPECTION)
        for column in ("inspection_date", "published_date"):
            frame[column] = date_series(list(frame[column]))
        return frame

    def judgement_frame(self) -> pd.DataFrame:
        return tables.frame(self.judgements, tables.OFSTED_JUDGEMENT)


def _day(value) -> dt.date | None:
    if value is None or value is pd.NaT:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return pd.Timestamp(value).date()


def _shown(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else ("none" if value is None else str(value))


def plan_d2i(rows: list[D2IRow], stored_inspections: pd.DataFrame, stored_judgements: pd.DataFrame,
             file: str) -> D2IPlan:
    """Compare checked workbook rows with the stored Ofsted tables (frames with their tables'
    columns). Raises LoadError for rows that cannot be written (an inspection the workbook cannot
    identify, a grade its framework version does not give)."""
    log = ProblemLog(file)
    plan = D2IPlan()
    graded = [r for r in stored_inspections.to_dict("records")
              if r["framework"] == FRAMEWORK and str(r["kind"]) in GRADED_KINDS]
    by_council: dict[str, list[dict]] = {}
    for rec in graded:
        by_council.setdefault(rec["ons_code"], []).append(rec)
    stored_grades: dict[str, dict[str, dict]] = {}
    for rec in stored_judgements.to_dict("records"):
        stored_grades.setdefault(rec["inspection_id"], {})[rec["judgement_area"]] = rec
    known_ids = set(stored_inspections["inspection_id"])
    claimed: dict[str, int] = {}
    for r in rows:
        mine = by_council.get(r.ons_code, [])
        hits = [s for s in mine if r.start is not None and _day(s["inspection_date"]) == r.start]
        if not hits:  # the same inspection with a corrected start date, or a row without dates
            hits = [s for s in mine if _day(s["published_date"]) == r.published]
        if len(hits) > 1:
            log.add(r.row, "publication_date", r.texts["publication_date"],
                    "matches more than one stored inspection of this council: cannot tell which")
            continue
        if hits:
            stored = hits[0]
            if stored["inspection_id"] in claimed:
                log.add(r.row, "la_code", r.texts["la_code"], f"the same inspection as row {claimed[stored['inspection_id']]}")
                continue
            claimed[stored["inspection_id"]] = r.row
            plan.matched[r.row] = stored["inspection_id"]
            if is_d2i_source(stored["source"]):
                _refresh(plan, log, r, stored, stored_grades.get(stored["inspection_id"], {}), file)
            else:
                _differences(plan, r, stored, stored_grades.get(stored["inspection_id"], {}), file)
            continue
        if r.kind is None or r.start is None:
            column = "inspection_framework" if r.kind is None else "inspection_start_date"
            log.add(r.row, column, r.texts[column] or "blank",
                    "cannot tell which inspection this is (no framework or start date), and no stored inspection "
                    f"of this council was published on {r.published.isoformat()}")
            continue
        for area, grade in r.extra.items():
            log.add(r.row, r.columns[area], r.texts[r.columns[area]], f"{r.version} does not grade this judgement")
        if r.extra:
            continue
        iid = inspection_id(r.ons_code, FRAMEWORK, r.kind, r.start)
        if iid in known_ids:
            log.add(r.row, "inspection_start_date", r.texts["inspection_start_date"],
                    f"an inspection {iid} is already stored with another kind or date")
            continue
        plan.inspections.append({
            "inspection_id": iid, "ons_code": r.ons_code, "framework": FRAMEWORK, "framework_version": r.version,
            "inspection_type": TYPE_OF_KIND[r.kind], "kind": r.kind, "inspection_date": r.start,
            "published_date": r.published, "ofsted_region": None, "visit_theme": None, "web_link": r.web_link,
            "source": file,
        })
        plan.judgements.extend({"inspection_id": iid, "judgement_area": area, "grade": grade, "source": file}
                               for area, grade in r.grades.items())
    log.raise_if_any()
    return plan


def _differences(plan: D2IPlan, r: D2IRow, stored: dict, grades: dict[str, dict], file: str) -> None:
    """An inspection from Ofsted's own release: it stands; list where the workbook says otherwise."""
    why = f"Ofsted's release ({stored['source']}) says {{}}; kept as published"

    def differ(column: str, ours, theirs) -> None:
        plan.differences.append(Problem(file, r.row, column, r.texts.get(column) or _shown(ours),
                                        why.format(_shown(theirs))))

    if r.start is not None and r.start != _day(stored["inspection_date"]):
        differ("inspection_start_date", r.start, _day(stored["inspection_date"]))
    if r.published != _day(stored["published_date"]):
        differ("publication_date", r.published, _day(stored["published_date"]))
    if r.kind is not None and r.kind != str(stored["kind"]):
        differ("inspection_framework", r.kind, stored["kind"])
    for area, grade in {**r.grades, **r.extra}.items():
        theirs = grades.get(area, {}).get("grade")
        if area in r.extra:
            plan.differences.append(Problem(file, r.row, r.columns[area], r.texts[r.columns[area]],
                                            f"{r.version} does not grade this judgement and Ofsted's release "
                                            f"({stored['source']}) gives no grade; kept as published"))
        elif grade != theirs:
            differ(r.columns[area], grade, theirs if theirs else "no grade")


def _refresh(plan: D2IPlan, log: ProblemLog, r: D2IRow, stored: dict, grades: dict[str, dict], file: str) -> None:
    """An inspection an earlier copy of the workbook loaded: bring it up to date."""
    for area in r.extra:
        log.add(r.row, r.columns[area], r.texts[r.columns[area]], f"{r.version} does not grade this judgement")
    if r.extra:
        return
    iid = stored["inspection_id"]
    now = {"framework_version": r.version, "published_date": r.published}
    if r.start is not None:
        now["inspection_date"] = r.start
    if r.kind is not None:
        now.update(kind=r.kind, inspection_type=TYPE_OF_KIND[r.kind])
    if r.web_link is not None:
        now["web_link"] = r.web_link
    before = {c: (_day(stored[c]) if c.endswith("_date") else stored[c]) for c in now}
    changed = {c: v for c, v in now.items() if v != (str(before[c]) if c == "kind" else before[c])}
    if changed:
        if file != stored["source"]:
            changed["source"] = file
        plan.inspection_updates.append(({"inspection_id": iid}, changed))
    for area, grade in r.grades.items():
        key = {"inspection_id": iid, "judgement_area": area}
        old = grades.get(area)
        if old is None:
            plan.judgements.append({**key, "grade": grade, "source": file})
        elif str(old["grade"]) != grade:
            plan.judgement_updates.append((key, {"grade": grade, **({"source": file} if old["source"] != file else {})}))
    for area in grades:
        if area not in r.grades:
            plan.judgement_deletes.append({"inspection_id": iid, "judgement_area": area})


def count_rows(path: str | Path) -> int:
    """Data rows of the workbook's first sheet (non-blank rows after the header)."""
    read = _read_sheet(Path(path), ProblemLog(Path(path).name))
    return 0 if read is None else len(read[1])
