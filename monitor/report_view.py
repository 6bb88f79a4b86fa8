"""The quarterly report's sections as the page draws them — figures, tables and sentences built
once from the assembled (or frozen) figures, so the page can keep them and a rerun only draws."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from monitor import report as R


@dataclass(frozen=True)
class DrawnTable:
    heading: str                   # the table's title and row count
    frame: pd.DataFrame | None     # None: no rows
    sentences: list[str]           # each row in words, where the table has them


@dataclass(frozen=True)
class DrawnSection:
    key: str
    title: str
    summary: str
    charts: list[tuple]            # (figure, one-line summary, table)
    tables: list[DrawnTable]


def draw_sections(figures: dict) -> list[DrawnSection]:
    drawn = []
    for section in figures["sections"]:
        tables = []
        for table in section["tables"]:
            frame = pd.DataFrame(table["rows"], columns=table["columns"]) if table["rows"] else None
            tables.append(DrawnTable(
                heading=f"{table['title']} ({len(table['rows'])})",
                frame=None if frame is None else frame.drop(columns=["In words"], errors="ignore"),
                sentences=[] if frame is None else list(frame.get("In words", []))))
        drawn.append(DrawnSection(
            key=section["key"], title=section["title"], summary=section["summary"],
            charts=[(R.chart_figure(c), c["summary"], R.chart_table(c)) for c in section["charts"]], tables=tables))
    return drawn
