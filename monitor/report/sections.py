"""The report's sections: shared shapes (a section, a table) and the titles every view uses."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from monitor import programme as programme_dates
from monitor.periods import quarter_bounds

from collections.abc import Mapping, Sequence

from monitor.formatting import is_illustrative

SECTION_TITLES: dict[str, str] = {
    "summary": "Summary and delivery confidence",
    "milestones": "Milestones",
    "indicators": "Indicators",
    "ofsted": "Ofsted and DfE activity",
    "savings": "Savings against plan",
    "risks": "Risks",
    "key_dates": "Key dates ahead",
}


NARRATIVE_SECTIONS: tuple[str, ...] = tuple(SECTION_TITLES)


def _table(title: str, columns: list[str], rows: list[list]) -> dict:
    return {"title": title, "columns": list(columns), "rows": [list(r) for r in rows]}


def _section(key: str, summary: str, facts: dict, tables: list[dict] | None = None,
             charts: list[dict] | None = None, sources: Sequence[str] = ()) -> dict:
    return {"key": key, "title": SECTION_TITLES[key], "summary": summary, "facts": facts,
            "tables": tables or [], "charts": charts or [],
            "illustrative": any(is_illustrative(s) for s in sources)}


def _empty(frame) -> bool:
    return frame is None or frame.empty


def counts_only(chart: Mapping) -> bool:
    """True when every value of a bar chart is a whole number (milestones, risks): its axis should
    step in whole numbers, on screen and in the Word export alike."""
    return all(float(v).is_integer() for r in chart["rows"] for v in r[1:] if v is not None)


def live_count(facts: Mapping) -> int:
    """Milestones in the plan less the dropped ones: the "of N" of "15 of 19 milestones complete"
    (milestones.summary_line). Reports frozen before the dropped count was kept count them all."""
    return int(facts.get("milestones_total") or 0) - int(facts.get("milestones_dropped") or 0)


@dataclass(frozen=True)
class ReportDate:
    """The date a report's facts are as at: the quarter's end, or today while the quarter runs, and
    never after the programme closed (monitor.programme.as_at)."""

    programme_id: str
    as_at: dt.date
    closed_on: dt.date | None
    today: dt.date

    @classmethod
    def of(cls, programme, quarter: str, today: dt.date) -> "ReportDate":
        q_end = quarter_bounds(quarter)[1]
        status, end = programme.get("status", "active"), programme.get("end_date")
        return cls(str(programme["programme_id"]),
                   programme_dates.as_at(status, end, today, wanted=min(q_end, today)),
                   programme_dates.closed_on(status, end, today), today)
