"""The Ofsted headline facts of a programme's supported council as at a date — one definition, rendered
by the Overview card, the quarterly report, the headline-figures CSV and `make figures`: the latest
graded judgement known by then (by publication, or inspection when unpublished) and its direction
since the one before."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from monitor.formatting import format_date
from monitor.ofsted.grades import GRADES
from monitor.values import as_date, day, day_column

# Best first: a lower rank is a better grade.
GRADE_RANK = {grade: rank for rank, grade in enumerate(GRADES, start=1)}


@dataclass(frozen=True)
class OfstedFacts:
    as_at: dt.date
    grade: str | None = None            # the latest overall effectiveness grade known by as_at
    inspected: dt.date | None = None
    council: str | None = None
    previous_grade: str | None = None
    previous_inspected: dt.date | None = None

    @property
    def direction(self) -> str:
        """'improved', 'declined', 'unchanged', 'first graded inspection' or 'none'."""
        if self.grade is None:
            return "none"
        if self.previous_grade is None:
            return "first graded inspection"
        before, now = GRADE_RANK[self.previous_grade], GRADE_RANK[self.grade]
        return "improved" if now < before else "declined" if now > before else "unchanged"

    @property
    def latest(self) -> str:
        """'Requires improvement to be good (13 Mar 2023, West Sussex)'."""
        if self.grade is None:
            return "No graded Ofsted inspection (no children's services or none published)"
        return f"{self.grade} ({format_date(self.inspected)}, {self.council})"

    @property
    def direction_text(self) -> str:
        if self.previous_grade is None:
            return self.direction
        return f"{self.direction} since {format_date(self.previous_inspected)} ({self.previous_grade})"


def ofsted_facts(grades: pd.DataFrame, as_at: Mapping[str, dt.date]) -> dict[str, OfstedFacts]:
    """OfstedFacts for every programme in `as_at`, from query ofsted/supported_council_overall_grades
    (one row per programme per graded inspection of its supported council)."""
    frame = grades.loc[grades["programme_id"].isin(list(as_at))]
    known = day_column(frame, "published_date") if "published_date" in frame else day_column(frame, "inspection_date")
    known = known.fillna(day_column(frame, "inspection_date"))
    cut = frame["programme_id"].map({p: day(d) for p, d in as_at.items()}).astype("datetime64[us]")
    frame = frame.loc[(known <= cut).to_numpy()].sort_values(["programme_id", "inspection_date"], kind="stable")
    by = {pid: rows.to_dict("records") for pid, rows in frame.groupby("programme_id")}
    out = {}
    for pid, on in as_at.items():
        rows = by.get(pid, [])
        if not rows:
            out[pid] = OfstedFacts(on)
            continue
        last, before = rows[-1], (rows[-2] if len(rows) > 1 else None)
        out[pid] = OfstedFacts(on, last["grade"], as_date(last["inspection_date"]), last["authority_name"],
                               before["grade"] if before else None,
                               as_date(before["inspection_date"]) if before else None)
    return out
