"""The Ofsted headline facts of a programme's supported council as at a date — one definition, rendered
by the Overview card, the quarterly report, the headline-figures CSV and `make figures`: the latest
graded inspection known by then (by publication, or inspection when unpublished), its overall
judgement and the direction since the inspection before that had one — or, when its framework has no
overall judgement (ILACS 2026), its judgement areas, each compared with the last inspection that
graded that same area (like with like).

The grades come one row per programme, graded inspection and judgement area, with the inspection's
framework version and that version's headline area (query ofsted/supported_council_grades, or for
one programme's rows of it). A frame without `judgement_area` (one row per inspection,
`grade` its overall grade) is read as overall grades only.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from monitor.formatting import format_date
from monitor.loaders.ofsted import OVERALL
from monitor.ofsted.grades import GRADES, area_label, area_title, no_overall_text
from monitor.programme import rows_as_at
from monitor.values import as_date, day_column, records_by, sorted_rows

# What the Ofsted downloads come from (monitor.tidy.Origin): the inspections, and the intervention timeline.
SOURCE = "Ofsted's published inspection outcomes for English local authorities (official files, loaded as published)"
TIMELINE_SOURCE = ("Ofsted's published inspection outcomes, DfE's intervention register and the programme's reports "
                   "and milestones as recorded in Improvement Monitor")

# Best first: a lower rank is a better grade.
GRADE_RANK = {grade: rank for rank, grade in enumerate(GRADES, start=1)}
NO_OVERALL = "No overall judgement"

# The columns a grades frame needs (one row per programme, graded inspection and judgement area).
GRADE_COLUMNS = ["programme_id", "authority_name", "inspection_id", "framework_version", "headline_area",
                 "inspection_date", "published_date", "judgement_area", "area_order", "grade"]


def direction_between(before: str | None, now: str) -> str:
    """'improved', 'declined', 'unchanged', or 'first graded inspection' when there is nothing before."""
    if before is None:
        return "first graded inspection"
    b, n = GRADE_RANK[before], GRADE_RANK[now]
    return "improved" if n < b else "declined" if n > b else "unchanged"


@dataclass(frozen=True)
class AreaGrade:
    """One judgement area of the latest inspection, with the last earlier grade of that same area."""
    area: str                                   # Ofsted's wording
    grade: str
    previous_grade: str | None = None
    previous_inspected: dt.date | None = None

    @property
    def direction(self) -> str:
        return direction_between(self.previous_grade, self.grade)

    @property
    def direction_text(self) -> str:
        """'impact of leaders improved since 13 Mar 2023 (Requires improvement to be good)'."""
        if self.previous_grade is None:
            return f"{area_label(self.area)}: first graded"
        return (f"{area_label(self.area)} {self.direction} since {format_date(self.previous_inspected)} "
                f"({self.previous_grade})")


@dataclass(frozen=True)
class OfstedFacts:
    as_at: dt.date
    grade: str | None = None            # the latest inspection's overall grade (None: no inspection, or none judged)
    inspected: dt.date | None = None    # the latest graded inspection known by as_at
    council: str | None = None
    previous_grade: str | None = None   # the last earlier overall grade (like with like)
    previous_inspected: dt.date | None = None
    framework_version: str | None = None
    areas: tuple[AreaGrade, ...] = field(default_factory=tuple)  # the latest inspection's other judgement areas

    @property
    def has_inspection(self) -> bool:
        return self.inspected is not None

    @property
    def no_overall(self) -> bool:
        """The latest inspection's framework has no overall judgement (ILACS 2026)."""
        return self.has_inspection and self.grade is None

    @property
    def judgement(self) -> str:
        """What the 'Latest Ofsted judgement' figure reads: the grade, 'No overall judgement' or 'none'."""
        return self.grade or (NO_OVERALL if self.has_inspection else "none")

    @property
    def direction(self) -> str:
        """'improved', 'declined', 'unchanged', 'first graded inspection', 'by judgement area' (no
        overall judgement: see `areas`) or 'none'."""
        if not self.has_inspection:
            return "none"
        if self.grade is None:
            return "by judgement area"
        return direction_between(self.previous_grade, self.grade)

    @property
    def area_grades(self) -> str:
        """'Impact of leaders: Good; Children who need help and protection: Good; …' ('' when none)."""
        return "; ".join(f"{area_title(a.area)}: {a.grade}" for a in self.areas)

    @property
    def latest(self) -> str:
        """'Requires improvement to be good (13 Mar 2023, West Sussex)', or under a framework with no
        overall judgement 'No overall judgement under the 2026 framework: impact of leaders Good; …
        (11 May 2026, West Sussex)'."""
        if not self.has_inspection:
            return "No graded Ofsted inspection (no children's services or none published)"
        when = f"({format_date(self.inspected)}, {self.council})"
        if self.grade is None:
            grades = "; ".join(f"{area_label(a.area)} {a.grade}" for a in self.areas)
            return f"{no_overall_text(self.framework_version)}: {grades} {when}"
        return f"{self.grade} {when}"

    @property
    def direction_text(self) -> str:
        if self.grade is None and self.has_inspection:
            return "; ".join(a.direction_text for a in self.areas) or "no judgement areas graded"
        if self.previous_grade is None:
            return self.direction
        return f"{self.direction} since {format_date(self.previous_inspected)} ({self.previous_grade})"


def _long(frame: pd.DataFrame) -> pd.DataFrame:
    """The grades as one row per inspection and area; an overall-grades-only frame read as such."""
    if "judgement_area" in frame:
        return frame
    return frame.assign(judgement_area=OVERALL, headline_area=OVERALL,
                        framework_version=frame["framework_version"] if "framework_version" in frame else None)


def _inspection(rows: list[dict]) -> dict:
    """One inspection's grades: {'when', 'council', 'version', 'headline', 'grades': {area: grade}},
    the areas in their framework version's order (area_order) where the frame gives it."""
    rows = sorted(rows, key=lambda r: (r.get("area_order") if pd.notna(r.get("area_order", None)) else 99))
    first = rows[0]
    headline = first.get("headline_area")
    return {"when": as_date(first["inspection_date"]), "council": first["authority_name"],
            "version": first.get("framework_version") if isinstance(first.get("framework_version"), str) else None,
            "headline": headline if isinstance(headline, str) else None,
            "grades": {r["judgement_area"]: r["grade"] for r in rows if isinstance(r["grade"], str)}}


def _facts(on: dt.date, inspections: list[dict]) -> OfstedFacts:
    last, earlier = inspections[-1], inspections[:-1]
    grade = last["grades"].get(last["headline"]) if last["headline"] else None

    def before(area: str) -> tuple[str | None, dt.date | None]:
        """The last earlier grade of this very judgement area (like with like)."""
        for ins in reversed(earlier):
            if area in ins["grades"]:
                return ins["grades"][area], ins["when"]
        return None, None

    areas = tuple(AreaGrade(a, g, *before(a)) for a, g in last["grades"].items() if a != last["headline"])
    previous_grade, previous_inspected = before(last["headline"]) if grade is not None else (None, None)
    return OfstedFacts(on, grade, last["when"], last["council"], previous_grade, previous_inspected,
                       last["version"], areas)


def ofsted_facts(grades: pd.DataFrame, as_at: Mapping[str, dt.date]) -> dict[str, OfstedFacts]:
    """OfstedFacts for every programme in `as_at`, from query ofsted/supported_council_grades (see the
    module docstring; each inspection counts once it is known: published, or inspected if unpublished)."""
    frame, cut = rows_as_at(_long(grades), as_at)
    known = day_column(frame, "published_date") if "published_date" in frame else day_column(frame, "inspection_date")
    known = known.fillna(day_column(frame, "inspection_date"))
    frame = frame.loc[known.to_numpy() <= cut]
    order = ["programme_id", "inspection_date"] + (["inspection_id"] if "inspection_id" in frame else [])
    frame = sorted_rows(frame, order)
    key = "inspection_id" if "inspection_id" in frame else "inspection_date"
    out = {}
    # Only the columns an inspection is read from (a row as a dict costs per column, 7,000 rows nationally).
    read = ["programme_id", key, "authority_name", "framework_version", "headline_area", "inspection_date",
            "judgement_area", "area_order", "grade"]
    by = records_by(frame[[c for c in dict.fromkeys(read) if c in frame]], "programme_id")
    for pid, on in as_at.items():
        rows = by.get(pid, [])
        if not rows:
            out[pid] = OfstedFacts(on)
            continue
        inspections: dict = {}
        for r in rows:
            inspections.setdefault(r[key], []).append(r)
        out[pid] = _facts(on, [_inspection(group) for group in inspections.values()])
    return out
