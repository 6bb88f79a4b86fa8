"""Benchmark section: the quarterly report's assembly, freezing and Word export (registered in
benchmarks/run.py EXTRA). Figures only."""
from __future__ import annotations

import statistics
from pathlib import Path

import queries
from benchmarks.timing import cell, times
from monitor import clock
from monitor.periods import financial_year, quarter_bounds
from monitor.report.annual import annual_report, financial_year_quarters
from monitor.report.assemble import assemble_report
from monitor.report.docx import build_docx
from monitor.report.docx_charts import chart_png
from monitor.report.record import freeze
from queries.report import report_audience, report_frames

CASES = [("hampshire-west-sussex", "2023-Q3"), ("essex-braintree-brentwood", "2026-Q2")]
BUDGET_S = 2.0  # report assembly + Word export for one quarter, wall time on the 2-core machine


def budget_cell(steps: list[list[float]]) -> str:
    """The sum of the steps' medians against the budget: '1,234 ms ✔ met'."""
    total = sum(statistics.median(s) for s in steps)
    return f"{total * 1000:,.0f} ms {'✔ met' if total <= BUDGET_S else '✖ missed'}"


def section(db: Path, tmp: Path) -> tuple[str, list[str]]:
    rows = ["| programme, quarter | read the report's queries | assemble | freeze (JSON) | charts (PNG) | Word export | "
            f"assembly + Word export (budget {BUDGET_S:g} s) | annual report (financial year, Word) | .docx size |",
            "|---|---|---|---|---|---|---|---|---|"]
    for pid, quarter in CASES:
        frames: dict = {}
        read = times(lambda: frames.update(report_frames(pid, db=db)), 3)
        meta = queries.run("programmes/all", db=db).set_index("programme_id").loc[pid].to_dict() | {"programme_id": pid}
        audience = report_audience(pid, db=db)
        assemble = lambda q=quarter: assemble_report(meta, q, today=clock.today(), audience=audience, **frames)  # noqa: E731
        figures = assemble()
        t_assemble = times(assemble, 5)
        t_freeze = times(lambda: freeze(figures), 5)
        charts = [c for s in figures["sections"] for c in s["charts"]]
        t_charts = times(lambda: [chart_png(c) for c in charts], 3)
        data = build_docx(figures, None)
        t_docx = times(lambda: build_docx(figures, None), 3)
        year = financial_year(quarter_bounds(quarter)[0])
        four = financial_year_quarters(year)
        t_annual = times(lambda: build_docx(annual_report(year, [assemble(q) for q in four], [None] * 4,
                                                          audience.to_dict())), 2)
        rows.append(f"| {pid}, {quarter} | {cell(read)} | {cell(t_assemble)} | {cell(t_freeze)} | "
                    f"{cell(t_charts)} ({len(charts)} charts) | {cell(t_docx)} | "
                    f"{budget_cell([read, t_assemble, t_freeze, t_docx])} | {cell(t_annual)} | "
                    f"{len(data) / 1000:.0f} kB |")
    rows += ["", "Median / worst. Assembly is a pure function over the programme's frames; the Word export draws "
                 "its charts with matplotlib (no browser) and is built only when the download is clicked. "
                 "Assembly + Word export: the medians of reading, assembling, freezing and the Word export summed "
                 "(the charts are drawn inside the Word export, so they are not counted twice), against the budget "
                 f"of {BUDGET_S:g} s for one quarter."]
    return "Quarterly report: assembly and Word export", rows
