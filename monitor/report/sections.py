"""The report's sections: shared shapes (a section, a table) and the titles every view uses."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from collections.abc import Mapping, Sequence

from monitor import programme as programme_dates
from monitor.formatting import is_illustrative
from monitor.periods import quarter_bounds
from monitor.report.provenance import source_note
from monitor.sources.links import cited_sources

# Each section's title as it reads when the data names no council (sections name theirs:
# "Improvement indicators: West Sussex"); the Ofsted section of a report to a board is "Ofsted
# activity" (no statutory directions).
SECTION_TITLES: dict[str, str] = {
    "summary": "Summary and delivery confidence",
    "milestones": "Milestones",
    "indicators": "Improvement indicators",
    "no_detriment": "No-detriment indicators",
    "ofsted": "Ofsted and DfE activity",
    "savings": "Savings against plan",
    "risks": "Risks",
    "key_dates": "Key dates ahead",
}


NARRATIVE_SECTIONS: tuple[str, ...] = tuple(SECTION_TITLES)


def _table(title: str, columns: list[str], rows: list[list]) -> dict:
    return {"title": title, "columns": list(columns), "rows": [list(r) for r in rows]}


# What each section's figures are, for the source note under its tables and charts.
SECTION_WHAT: dict[str, str] = {
    "milestones": "the programme's milestone register in Improvement Monitor",
    "indicators": "the supported council's improvement indicators in Improvement Monitor",
    "no_detriment": "the lending council's no-detriment indicators in Improvement Monitor",
    "ofsted": "Ofsted's published inspection outcomes, as loaded in Improvement Monitor",
    "savings": "the programme's savings ledger in Improvement Monitor",
    "risks": "the programme's risk register in Improvement Monitor",
    "key_dates": "the programme's governance calendar in Improvement Monitor",
}


def _section(key: str, summary: str, facts: dict, tables: list[dict] | None = None,
             charts: list[dict] | None = None, sources: Sequence[str] = (), what: str | None = None,
             publications: Mapping[str, str] | None = None) -> dict:
    """A section; every table and chart without a source note of its own gets the section's."""
    sources = [s for s in sources if s is not None]
    note = source_note(what or SECTION_WHAT.get(key, "Improvement Monitor"), sources, publications)
    for item in [*(tables or []), *(charts or [])]:
        item.setdefault("source", note)
    return {"key": key, "title": SECTION_TITLES[key], "summary": summary, "facts": facts,
            "tables": tables or [], "charts": charts or [], "source": note,
            "illustrative": any(is_illustrative(s) for s in sources),
            "cited": cited_sources(sources)}  # each a link in the Word file and on the page


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
