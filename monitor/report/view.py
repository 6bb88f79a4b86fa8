"""The quarterly report's sections as the page draws them — figures, tables and sentences built
once from the assembled (or frozen) figures, so the page can keep them and a rerun only draws."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from monitor.periods import quarter_bounds
from monitor.report.charts import chart_figure, chart_table
from monitor.report.compare import compare, compare_confidence, on_screen
from monitor.report.record import thaw
from monitor.tidy import Origin

# What a report's downloads come from when a table or chart has no source note of its own.
SOURCE = "the quarterly report's figures, assembled by Improvement Monitor from the programme's records"


@dataclass(frozen=True)
class DrawnTable:
    heading: str                   # the table's title and row count
    frame: pd.DataFrame | None     # None: no rows
    sentences: list[str]           # each row in words, where the table has them
    source: str = ""               # its source note


@dataclass(frozen=True)
class DrawnSection:
    key: str
    title: str
    summary: str
    charts: list[tuple]            # (figure, one-line summary, table, source note)
    tables: list[DrawnTable]
    illustrative: bool = False
    cited: tuple[str, ...] = ()    # the sources the section cites, each shown as a link


def draw_sections(figures: dict) -> list[DrawnSection]:
    drawn = []
    for section in figures["sections"]:
        tables = []
        for table in section["tables"]:
            frame = pd.DataFrame(table["rows"], columns=table["columns"]) if table["rows"] else None
            tables.append(DrawnTable(
                heading=f"{table['title']} ({len(table['rows'])})",
                frame=None if frame is None else frame.drop(columns=["In words"], errors="ignore"),
                sentences=[] if frame is None else [s for s in frame.get("In words", []) if s],
                source=table.get("source") or section.get("source") or ""))
        drawn.append(DrawnSection(
            key=section["key"], title=section["title"], summary=section["summary"],
            charts=[(chart_figure(c), c["summary"], chart_table(c), c.get("source") or section.get("source") or "")
                    for c in section["charts"]],
            tables=tables, illustrative=bool(section.get("illustrative")), cited=tuple(section.get("cited") or ())))
    return drawn


def headline_table(figures: dict) -> tuple[str, pd.DataFrame] | None:
    """The report's opening table of headline figures (title, frame), when the figures have one."""
    head = figures.get("headline")
    return (head["title"], pd.DataFrame(head["rows"], columns=head["columns"])) if head else None


def figures_of(record: dict | None, assemble) -> tuple[dict, dict | None]:
    """(the figures to show for a report version, its frozen figures). A submitted report shows its
    frozen record and nothing else, whatever the live data says now (a report frozen before full
    figures were kept shows the milestone counts it kept); any other version is `assemble()`d."""
    frozen = thaw((record or {}).get("figures_json"))
    if record is not None and record.get("status") == "submitted" and frozen is not None:
        return frozen, frozen
    return assemble(), frozen


def report_origin(figures: dict, quarter: str, note: str = "") -> Origin:
    """A download of the report of `quarter`: its source note ("Source: …", else SOURCE), as at the
    report's date (for a record frozen before that date was kept, its quarter's last day)."""
    source = note.strip().removeprefix("Source:").strip() or SOURCE
    when = figures.get("as_at") or figures.get("reporting_date") or quarter_bounds(quarter)[1].isoformat()
    return Origin(source, dt.date.fromisoformat(str(when)[:10]))


# The comparison's columns in a file: each value in a cell of its own, the change as a number and in a word.
COMPARE_COLUMNS = {"section": "Section", "figure": "Figure", "previous": "Previous", "current": "Current",
                   "unit": "Unit", "change": "Change", "direction": "Change in words"}


def compare_rows(figures: dict, record: dict | None, proposed_level: str | None, prev_record: dict | None,
                 prev_figures: dict, author: str = "Commissioner's assessment") -> tuple[pd.DataFrame, pd.DataFrame]:
    """This quarter against the previous one: confidence, then every figure (each side as frozen
    when it was submitted) — as the page shows it ("£10,000", "▲ +2") and as its CSV holds it
    (numbers as numbers, a Unit column, the change as a signed number and in words)."""
    current = {"proposed_confidence": proposed_level,
               **{k: (record or {}).get(k) for k in ("confidence", "council_confidence")}}
    rows = compare_confidence(current, prev_record, author) + compare(figures, prev_figures)
    shown = pd.DataFrame(on_screen(rows), columns=["section", "figure", "previous", "current", "change"])
    tidy = pd.DataFrame(rows, columns=list(COMPARE_COLUMNS), dtype=object)
    return shown.rename(columns=str.capitalize), tidy.rename(columns=COMPARE_COLUMNS)
