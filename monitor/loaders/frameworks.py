"""Ofsted's inspection frameworks as data: each version, when it applied, and the judgement areas it
grades (`ofsted_framework_version`, `ofsted_framework_area`).

The facts live in two curated files, each row citing its source:

- data/reference/ofsted_frameworks.csv: one row per version (ILACS 2018, ILACS 2023 with care
  leavers graded separately, ILACS 2026 without overall effectiveness, the planned 2027 framework,
  and the earlier SLAC, CPI, CPRI, TLAC, SIF frameworks), with the dates it applied;
- data/reference/ofsted_framework_areas.csv: one row per version and judgement area, in Ofsted's
  wording (the wording the published files use, so a grade's area matches its version's area).

`Frameworks` answers the questions code asks (which version applied to an inspection, which areas it
grades, its headline judgement) from either source of the same facts: the reference files
(`reference_frameworks()`, what the loaders use) or the database (`Frameworks.from_rows`, over the
`ofsted/frameworks` query). Pure: no Streamlit, no database.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from monitor.loaders import tables
from monitor.loaders.authorities import REFERENCE_DIR
from monitor.loaders.problems import LoadError, ProblemLog
from monitor.loaders.reading import date_series, find_columns, iter_rows, read_csv_file, read_date
from monitor.values import as_date, filled

VERSIONS_PATH = REFERENCE_DIR / "ofsted_frameworks.csv"
AREAS_PATH = REFERENCE_DIR / "ofsted_framework_areas.csv"
VERSION_SOURCE = "data/reference/ofsted_frameworks.csv"
AREA_SOURCE = "data/reference/ofsted_framework_areas.csv"
STATUSES = ("superseded", "in force", "consultation")
# A version still being consulted on grades nothing yet and never applies to an inspection.
NOT_IN_USE = "consultation"


@dataclass(frozen=True)
class Version:
    """One version of an inspection framework."""

    name: str  # framework_version, e.g. "ILACS 2026"
    framework: str  # as ofsted_inspection.framework, e.g. "ILACS"
    title: str
    valid_from: dt.date | None  # None: from the framework's first inspection
    valid_until: dt.date | None  # None: still applies (or no end recorded)
    status: str
    headline_area: str | None  # None: no overall judgement (ILACS 2026)
    areas: tuple[str, ...]  # graded judgement areas, in Ofsted's order
    source: str

    def covers(self, when: dt.date) -> bool:
        return ((self.valid_from is None or when >= self.valid_from)
                and (self.valid_until is None or when <= self.valid_until))


@dataclass(frozen=True)
class Frameworks:
    """Every framework version, by name."""

    versions: dict[str, Version]

    def version(self, name: str) -> Version:
        return self.versions[name]

    def version_for(self, framework: str, when: dt.date | None) -> str | None:
        """The version of `framework` that applied on `when` (an inspection's date, or its
        publication date when that is all that is known); None when none did."""
        if when is None:
            return None
        when = as_date(when)
        hits = [v for v in self.versions.values()
                if v.framework == framework and v.status != NOT_IN_USE and v.covers(when)]
        return hits[0].name if len(hits) == 1 else None

    def areas(self, name: str) -> tuple[str, ...]:
        return self.versions[name].areas

    def grades(self, name: str, area: str) -> bool:
        """Whether version `name` grades `area`."""
        return area in self.versions[name].areas

    def headline(self, name: str) -> str | None:
        return self.versions[name].headline_area

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(ofsted_framework_version rows, ofsted_framework_area rows), ready to insert."""
        versions = tables.frame([{
            "framework_version": v.name, "framework": v.framework, "title": v.title, "valid_from": v.valid_from,
            "valid_until": v.valid_until, "status": v.status, "headline_area": v.headline_area, "source": v.source,
        } for v in self.versions.values()], tables.OFSTED_FRAMEWORK_VERSION)
        for column in ("valid_from", "valid_until"):
            versions[column] = date_series(list(versions[column]))
        areas = tables.frame([{"framework_version": v.name, "judgement_area": a, "area_order": i, "source": AREA_SOURCE}
                              for v in self.versions.values() for i, a in enumerate(v.areas, start=1)],
                             tables.OFSTED_FRAMEWORK_AREA)
        return versions, areas

    @classmethod
    def from_rows(cls, rows: pd.DataFrame) -> "Frameworks":
        """From the `ofsted/frameworks` query: one row per version and area (area columns empty for
        a version that grades none yet), ordered by version and area_order."""
        versions: dict[str, Version] = {}
        areas: dict[str, list[str]] = {}
        for r in rows.to_dict("records"):
            name = r["framework_version"]
            if name not in versions:
                versions[name] = Version(name, r["framework"], r["title"], as_date(r["valid_from"]),
                                         as_date(r["valid_until"]), str(r["status"]), filled(r["headline_area"]),
                                         (), r["source"])
                areas[name] = []
            if filled(r.get("judgement_area")):
                areas[name].append(r["judgement_area"])
        return cls({n: replace(v, areas=tuple(areas[n])) for n, v in versions.items()})


VERSION_COLUMNS = ("framework_version", "framework", "title", "valid_from", "valid_until", "status",
                   "headline_area", "source")
AREA_COLUMNS = ("framework_version", "judgement_area", "area_order", "source")


def load_frameworks(versions_path: str | Path = VERSIONS_PATH, areas_path: str | Path = AREAS_PATH) -> Frameworks:
    """The two reference files, checked: every problem of both raised together as one LoadError."""
    vlog = ProblemLog(VERSION_SOURCE if Path(versions_path) == VERSIONS_PATH else Path(versions_path).name)
    alog = ProblemLog(AREA_SOURCE if Path(areas_path) == AREAS_PATH else Path(areas_path).name)
    found: dict[str, dict] = {}
    frame = read_csv_file(versions_path, vlog)
    cols = find_columns(frame, VERSION_COLUMNS, vlog) if frame is not None else None
    for row, cells in (iter_rows(frame) if cols else ()):
        get = {name: cells[col] for name, col in cols.items()}
        name = get["framework_version"]
        if not name or name in found:
            vlog.add(row, "framework_version", name, "a version needs a name, once")
            continue
        if get["status"] not in STATUSES:
            vlog.add(row, "status", get["status"], f"status must be one of {', '.join(STATUSES)}")
        start = read_date(vlog, row, "valid_from", get["valid_from"], required=False)
        end = read_date(vlog, row, "valid_until", get["valid_until"], required=False)
        if start and end and end < start:
            vlog.add(row, "valid_until", get["valid_until"], "ends before it starts")
        for column in ("framework", "title", "source"):
            if not get[column]:
                vlog.add(row, column, "", "required")
        found[name] = {"row": row, "name": name, "framework": get["framework"], "title": get["title"],
                       "valid_from": start, "valid_until": end, "status": get["status"],
                       "headline_area": get["headline_area"] or None, "source": get["source"]}
    areas: dict[str, list[tuple[int, str]]] = {name: [] for name in found}
    frame = read_csv_file(areas_path, alog)
    cols = find_columns(frame, AREA_COLUMNS, alog) if frame is not None else None
    for row, cells in (iter_rows(frame) if cols else ()):
        get = {name: cells[col] for name, col in cols.items()}
        name, area = get["framework_version"], get["judgement_area"]
        if name not in found:
            alog.add(row, "framework_version", name, f"not a version in {VERSION_SOURCE}")
            continue
        try:
            order = int(get["area_order"])
        except ValueError:
            alog.add(row, "area_order", get["area_order"], "expected a whole number")
            continue
        if not area or area in (a for _, a in areas[name]) or order in (o for o, _ in areas[name]):
            alog.add(row, "judgement_area", area, "each area (and its order) once per version")
            continue
        areas[name].append((order, area))
    versions = {}
    for name, v in found.items():
        graded = tuple(a for _, a in sorted(areas[name]))
        if v["headline_area"] and v["headline_area"] not in graded:
            vlog.add(v["row"], "headline_area", v["headline_area"], "the headline is not one of the version's areas")
        if v["status"] != NOT_IN_USE and not graded:
            vlog.add(v["row"], "framework_version", name, f"a version in use needs its areas in {AREA_SOURCE}")
        versions[name] = Version(name, v["framework"], v["title"], v["valid_from"], v["valid_until"], v["status"],
                                 v["headline_area"], graded, v["source"])
    by_framework: dict[str, list[Version]] = {}
    for v in versions.values():
        if v.status != NOT_IN_USE:
            by_framework.setdefault(v.framework, []).append(v)
    for framework, group in by_framework.items():  # versions of one framework must not overlap
        for a in group:
            for b in group:
                if a.name < b.name and _overlap(a, b):
                    vlog.add(found[b.name]["row"], "valid_from", str(b.valid_from or ""),
                             f"{b.name} overlaps {a.name}: the versions of {framework} need distinct dates")
    if vlog or alog:
        raise LoadError([*vlog.problems, *alog.problems])
    return Frameworks(versions)


def _overlap(a: Version, b: Version) -> bool:
    lo = max(a.valid_from or dt.date.min, b.valid_from or dt.date.min)
    hi = min(a.valid_until or dt.date.max, b.valid_until or dt.date.max)
    return lo <= hi


@functools.cache
def reference_frameworks() -> Frameworks:
    """The shipped reference files (what the loaders and the build use)."""
    return load_frameworks()
