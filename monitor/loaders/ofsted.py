"""Ofsted inspections of councils' children's services (`ofsted_inspection`, `ofsted_judgement`).

Three kinds of file, one shape of output:

- ILACS inspection history 2018-2025: one row per ILACS standard or short inspection, with dates.
- In-year inspections and visits 2024-25: adds focused visits (with their theme) and monitoring
  visits, which have no grades. Its graded inspections are the same inspections as in the history
  file (same publication, checked: same dates and grades), so by default only the visits are
  returned; otherwise both files would emit the same inspection_id.
- 2009-2023 wide file (and its `_former_las` variant): one row per council, a block of columns per
  earlier framework (SLAC, CPI, CPRI, TLAC, SIF, SIF re-inspection) with publication dates only.
  Its ILACS columns are NOT loaded: they repeat the history file's first two ILACS inspections per
  council, but without inspection dates, so they would appear twice under different ids.

A blank grade means the judgement did not exist (care leavers before 2023, visits): no row, never
a made-up grade. The wide file also writes "-" where a judgement was not made (City of London and
the Isles of Scilly had too few children looked after for some judgements): also no row.

Each inspection records its framework version (`framework_version`: ILACS 2018, ILACS 2023, ILACS
2026, SIF...), chosen by framework and date from data/reference/ofsted_frameworks.csv; a graded
ILACS inspection must carry a grade for every judgement its version grades (overall effectiveness
too, except under ILACS 2026) and none in an area its version does not grade.

inspection_id is `slug(ons_code-framework-kind-date)`, using the inspection date when the file
gives one and the publication date otherwise, so reloading the same files gives the same ids.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from monitor.loaders import tables
from monitor.loaders.authorities import REFERENCE_DIR
from monitor.loaders.frameworks import VERSION_SOURCE, reference_frameworks
from monitor.loaders.problems import ProblemLog
from monitor.loaders.reading import (
    date_series, find_columns, header_key, iter_rows, read_csv_file, read_date, slug,
)

WIDE_WEB_LINKS = REFERENCE_DIR / "ofsted_wide_web_links.csv"
WIDE_WEB_LINKS_SOURCE = "data/reference/ofsted_wide_web_links.csv"

# Ofsted's inspection types (ILACS files) -> (framework, kind).
INSPECTION_TYPES = {
    "ILACS Standard Inspection": ("ILACS", "full inspection"),
    "ILACS Short Inspection": ("ILACS", "short inspection"),
    "ILACS Focused Visit": ("ILACS", "focused visit"),
    "ILACS Monitoring Visit": ("ILACS", "monitoring visit"),
    "LA Monitoring visit": ("ILACS", "monitoring visit"),  # the in-year sheet's wording
}
GRADED_KINDS = ("full inspection", "short inspection")

# Grade wordings -> the schema's ofsted_grade. All three files (the wide file too, for SLAC and CPI,
# whose scale once said "adequate") publish exactly these four words; anything else is refused
# rather than guessed, so a file using the old wording gets a person's decision, not ours.
GRADES = {grade: grade for grade in tables.OFSTED_GRADES}
_GRADE_BY_KEY = {header_key(wording): grade for wording, grade in GRADES.items()}  # case/space-insensitive
# Cells that mean "no judgement was made": no judgement row.
NOT_JUDGED = ("", "-")

# ILACS judgement columns: Ofsted's own wording is the judgement_area.
ILACS_JUDGEMENTS = (
    "Overall effectiveness",
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
)
OVERALL = "Overall effectiveness"

HISTORY_COLUMNS = {  # our name -> header in the ILACS history file
    "web_link": "Web link", "ons_code": "Local authority area code", "region": "Ofsted region",
    "inspection_date": "Inspection date", "published_date": "Publication date", "type": "Inspection type",
}
IN_YEAR_COLUMNS = {  # our name -> header in the in-year file
    "web_link": "Web link", "ons_code": "Local authority area code", "region": "Region",
    "inspection_date": "Inspection/Visit date", "published_date": "Publication date",
    "type": "Inspection/Visit type", "theme": "Visit Theme",
}


@dataclass(frozen=True)
class WideBlock:
    """One framework's columns in the wide file: a publication date and its judgements."""

    framework: str
    inspection_type: str
    date_column: str
    judgements: tuple[tuple[str, str], ...]  # (header, judgement_area as Ofsted named it)


_SIF = "Single Inspection of LA Children's Services (SIF)"
WIDE_BLOCKS = (
    WideBlock("SLAC", "Safeguarding & Looked After Children (SLAC) Inspection",
              "Safeguarding & Looked After Children (SLAC) Inspection publication date",
              (("SLAC Safeguarding Overall effectiveness (OE)", "Safeguarding overall effectiveness"),
               ("SLAC Looked After Children Overall Effectiveness (OE)", "Looked after children overall effectiveness"))),
    # The two SLAC re-inspections are separate columns; when both were published the same day they
    # were one visit, and merge into one inspection with both judgements.
    WideBlock("SLAC re-inspection", "SLAC re-inspection", "SLAC re-inspection of Safeguarding publication date",
              (("SLAC re-inspection Safeguarding OE", "Safeguarding overall effectiveness"),)),
    WideBlock("SLAC re-inspection", "SLAC re-inspection",
              "SLAC re-inspection of services for Children Looked After publication date",
              (("SLAC re-inspection of services Children Looked After OE", "Looked after children overall effectiveness"),)),
    WideBlock("CPI", "Child Protection Inspection (CPI)", "Child Protection Inspections (CPI) publication date",
              (("CPI Overall Effectiveness (OE)", "Overall effectiveness"),)),
    WideBlock("CPRI", "Child Protection Re-Inspection (CPRI)", "Child Protection Re-Inspection (CPRI) publication date",
              (("CPRI Overall Effectiveness (OE)", "Overall effectiveness"),)),
    WideBlock("TLAC", "Targeted Looked After Children (TLAC) inspection",
              "Targeted Looked After Children (TLAC) inspection publication date",
              (("TLAC Overall Effectiveness (OE)", "Overall effectiveness"),)),
    WideBlock("SIF", _SIF, f"{_SIF} First SIF publication date",
              (("First SIF Overall Judgement (OE)", "Overall effectiveness"),
               ("First SIF children who need help and protection", "Children who need help and protection"),
               ("First SIF children looked after and achieving permanence", "Children looked after and achieving permanence"),
               ("First SIF CLA Sub: Adoption Performance", "Adoption performance"),
               ("First SIF CLA Sub: Experiences and progress of care leavers", "Experiences and progress of care leavers"),
               ("First SIF leadership, management and governance", "Leadership, management and governance"),
               ("LSCB Overall Effectiveness", "LSCB overall effectiveness"))),
    WideBlock("SIF re-inspection", "SIF re-inspection", f"{_SIF} SIF Re-inspection publication date",
              (("SIF Re-inspection Overall Judgement (OE)", "Overall effectiveness"),
               ("SIF Re-inspection children who need help and protection", "Children who need help and protection"),
               ("SIF Re-inspection children looked after and achieving permanence", "Children looked after and achieving permanence"),
               ("SIF Re-inspection CLA Sub: Adoption Performance", "Adoption performance"),
               ("SIF Re-inspection CLA Sub: Experiences and progress of care leavers", "Experiences and progress of care leavers"),
               ("SIF Re-inspection leadership, management and governance", "Leadership, management and governance"))),
)
WIDE_COLUMNS = ("Web link", "LA region")


def inspection_id(ons_code: str, framework: str, kind: str, date: dt.date) -> str:
    """The stable id of an inspection: same files in, same ids out."""
    return slug(f"{ons_code}-{framework}-{kind}-{date.isoformat()}")


def _grade(log: ProblemLog, row: int, column: str, text: str) -> str | None:
    """The schema's grade for a cell, None for no judgement; an unknown wording is a problem."""
    if text in NOT_JUDGED:
        return None
    grade = _GRADE_BY_KEY.get(header_key(text))
    if grade is None:
        log.add(row, column, text, f"unknown grade: expected one of {', '.join(tables.OFSTED_GRADES)} or blank")
    return grade


def _check_version_grades(log: ProblemLog, row: int, cols: dict[str, str], cells: dict[str, str], version: str,
                          graded: dict[str, str]) -> None:
    """A graded ILACS inspection has a grade for every judgement its version grades (overall
    effectiveness too, except under ILACS 2026), and none its version does not give."""
    frameworks = reference_frameworks()
    for area in frameworks.areas(version):
        if area not in graded and cells[cols[area]] == "":
            log.add(row, cols[area], "", f"an inspection under {version} must have a grade for this judgement")
    for area in graded:
        if not frameworks.grades(version, area):
            log.add(row, cols[area], cells[cols[area]], f"{version} does not grade this judgement, but the row has a grade")


def _known_codes(authorities: pd.DataFrame) -> set[str]:
    return set(authorities["ons_code"])


def _frames(inspections: list[dict], judgements: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    ins = tables.frame(inspections, tables.OFSTED_INSPECTION)
    for column in ("inspection_date", "published_date"):
        ins[column] = date_series(list(ins[column]))
    return ins, tables.frame(judgements, tables.OFSTED_JUDGEMENT)


def _load_ilacs(path: str | Path, authorities: pd.DataFrame, names: dict[str, str], *,
                keep_kinds: tuple[str, ...] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Shared by the history and in-year files: one row per inspection or visit, with dates."""
    log = ProblemLog.for_path(path)
    known = _known_codes(authorities)
    inspections: list[dict] = []
    judgements: list[dict] = []
    frame = read_csv_file(path, log)
    cols = find_columns(frame, [*names.values(), *ILACS_JUDGEMENTS], log) if frame is not None else None
    if cols is None:
        log.raise_if_any()
    c = {ours: cols[theirs] for ours, theirs in names.items()}
    first_row: dict[str, int] = {}
    for row, cells in iter_rows(frame):
        ons_code = cells[c["ons_code"]]
        ok = True
        if ons_code not in known:
            log.add(row, c["ons_code"], ons_code, "council code not in the authority table")
            ok = False
        framework_kind = INSPECTION_TYPES.get(cells[c["type"]])
        if framework_kind is None:
            log.add(row, c["type"], cells[c["type"]], f"unknown inspection type: expected one of {', '.join(INSPECTION_TYPES)}")
            ok = False
        inspected = read_date(log, row, c["inspection_date"], cells[c["inspection_date"]], required=True)
        published = read_date(log, row, c["published_date"], cells[c["published_date"]], required=False)
        if inspected and published and published < inspected:
            log.add(row, c["published_date"], cells[c["published_date"]], "published before the inspection date")
        grades = {area: _grade(log, row, cols[area], cells[cols[area]]) for area in ILACS_JUDGEMENTS}
        if not (ok and inspected):
            continue
        framework, kind = framework_kind
        version = reference_frameworks().version_for(framework, inspected)
        if version is None:
            log.add(row, c["inspection_date"], cells[c["inspection_date"]],
                    f"no {framework} framework version covers this date (see {VERSION_SOURCE})")
            continue
        graded = {area: g for area, g in grades.items() if g}
        if kind in GRADED_KINDS:
            _check_version_grades(log, row, cols, cells, version, graded)
        if kind not in GRADED_KINDS and graded:
            log.add(row, c["type"], cells[c["type"]], f"a {kind} is not graded, but this row has grades")
        iid = inspection_id(ons_code, framework, kind, inspected)
        if iid in first_row:
            log.add(row, c["inspection_date"], cells[c["inspection_date"]],
                    f"duplicate inspection: same council, type and date as row {first_row[iid]}")
            continue
        first_row[iid] = row
        if keep_kinds is not None and kind not in keep_kinds:
            continue
        inspections.append({
            "inspection_id": iid, "ons_code": ons_code, "framework": framework, "framework_version": version,
            "inspection_type": cells[c["type"]], "kind": kind, "inspection_date": inspected,
            "published_date": published, "ofsted_region": tables.text_or_none(cells[c["region"]]),
            "visit_theme": tables.text_or_none(cells[c["theme"]]) if "theme" in c else None,
            "web_link": tables.text_or_none(cells[c["web_link"]]), "source": log.file,
        })
        judgements.extend({"inspection_id": iid, "judgement_area": area, "grade": g, "source": log.file}
                          for area, g in graded.items())
    log.raise_if_any()
    return _frames(inspections, judgements)


def load_ofsted_ilacs_history(path: str | Path, authorities: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every ILACS standard and short inspection since 2018: (inspections, judgements)."""
    return _load_ilacs(path, authorities, HISTORY_COLUMNS, keep_kinds=None)


def load_ofsted_in_year(path: str | Path, authorities: pd.DataFrame, *,
                        include_inspections: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The year's focused and monitoring visits: (inspections, judgements).

    Every row is checked, but graded inspections are returned only with include_inspections=True:
    the ILACS history file of the same publication already holds them under the same ids.
    """
    keep = None if include_inspections else ("focused visit", "monitoring visit")
    return _load_ilacs(path, authorities, IN_YEAR_COLUMNS, keep_kinds=keep)


def _web_links(path: Path, known: set[str]) -> tuple[dict[str, str], ProblemLog]:
    """The curated crosswalk from the wide file's "Web link" to an ONS code."""
    log = ProblemLog(WIDE_WEB_LINKS_SOURCE if path == WIDE_WEB_LINKS else path.name)
    mapping: dict[str, str] = {}
    frame = read_csv_file(path, log)
    cols = find_columns(frame, ("web_link", "ons_code"), log) if frame is not None else None
    if cols is not None:
        for row, cells in iter_rows(frame):
            link, code = cells[cols["web_link"]], cells[cols["ons_code"]]
            if link in mapping:
                log.add(row, cols["web_link"], link, "web link listed twice")
            if code not in known:
                log.add(row, cols["ons_code"], code, "council code not in the authority table")
            mapping[link] = code
    return mapping, log


def load_ofsted_wide_2009_2023(path: str | Path, authorities: pd.DataFrame, *,
                               web_links_path: str | Path = WIDE_WEB_LINKS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pre-ILACS inspections (SLAC, CPI, CPRI, TLAC, SIF, SIF re-inspection) from the wide file.

    The file has no council code column: each row is matched through its "Web link" in the curated
    crosswalk (never through the council name). Only publication dates are known.
    """
    log = ProblemLog.for_path(path)
    links, links_log = _web_links(Path(web_links_path), _known_codes(authorities))
    inspections: dict[str, dict] = {}
    judgements: dict[tuple[str, str], dict] = {}
    frame = read_csv_file(path, log)
    needed = [*WIDE_COLUMNS, *(b.date_column for b in WIDE_BLOCKS), *(h for b in WIDE_BLOCKS for h, _ in b.judgements)]
    cols = find_columns(frame, needed, log) if frame is not None else None
    if cols is None or links_log:
        ProblemLog(log.file, [*links_log.problems, *log.problems]).raise_if_any()
    for row, cells in iter_rows(frame):
        link = cells[cols["Web link"]]
        ons_code = links.get(link)
        if ons_code is None:
            log.add(row, cols["Web link"], link, f"web link not in {WIDE_WEB_LINKS_SOURCE}")
        for block in WIDE_BLOCKS:
            date_text = cells[cols[block.date_column]]
            grades = {area: _grade(log, row, cols[h], cells[cols[h]]) for h, area in block.judgements}
            published = read_date(log, row, cols[block.date_column], date_text, required=False)
            if not date_text:
                for h, _ in block.judgements:
                    if cells[cols[h]] not in NOT_JUDGED:
                        log.add(row, cols[h], cells[cols[h]], f"a grade without a {block.framework} publication date")
                continue
            if ons_code is None or published is None:
                continue
            version = reference_frameworks().version_for(block.framework, published)
            if version is None:
                log.add(row, cols[block.date_column], date_text,
                        f"no {block.framework} framework version covers this date (see {VERSION_SOURCE})")
                continue
            iid = inspection_id(ons_code, block.framework, "full inspection", published)
            inspections.setdefault(iid, {
                "inspection_id": iid, "ons_code": ons_code, "framework": block.framework,
                "framework_version": version,
                "inspection_type": block.inspection_type, "kind": "full inspection",
                "inspection_date": None, "published_date": published,
                "ofsted_region": tables.text_or_none(cells[cols["LA region"]]), "visit_theme": None,
                # The former-LAs file has the text "Ofsted Local Authority Webpage" where
                # Northamptonshire's link should be: kept in the crosswalk, not as a link.
                "web_link": link if link.startswith("http") else None, "source": log.file,
                "_row": row,
            })
            if inspections[iid]["_row"] != row:
                log.add(row, cols[block.date_column], date_text,
                        f"duplicate {block.framework} inspection: same council and date as row {inspections[iid]['_row']}")
            for area, grade in grades.items():
                if grade is None:
                    continue
                if (iid, area) in judgements:
                    log.add(row, cols[block.date_column], date_text, f"'{area}' judged twice in one inspection")
                judgements[(iid, area)] = {"inspection_id": iid, "judgement_area": area, "grade": grade, "source": log.file}
    log.raise_if_any()
    return _frames(list(inspections.values()), list(judgements.values()))
