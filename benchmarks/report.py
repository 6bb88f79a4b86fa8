"""Benchmark section: the quarterly report's assembly, freezing and Word export (registered in
benchmarks/run.py EXTRA). Figures only."""
from __future__ import annotations

import statistics
from pathlib import Path

from benchmarks.timing import cell, times

import queries
from monitor import report as R
from monitor.report_docx import build_docx, chart_png

CASES = [("hampshire-west-sussex", "2023-Q3"), ("essex-braintree-brentwood", "2026-Q2")]
FRAMES = {"milestones": "report_milestones", "snapshots": "report_milestone_snapshots",
          "indicator_values": "report_indicator_values", "inspections": "report_ofsted_activity",
          "directions": "report_statutory_directions", "savings": "report_savings_by_year", "risks": "report_risks",
          "risk_snapshots": "report_risk_snapshots", "key_dates": "report_key_dates"}
BUDGET_S = 2.0  # report assembly + Word export for one quarter, wall time on the 2-core machine


def budget_cell(steps: list[list[float]]) -> str:
    """The sum of the steps' medians against the budget: '1,234 ms ✔ met'."""
    total = sum(statistics.median(s) for s in steps)
    return f"{total * 1000:,.0f} ms {'✔ met' if total <= BUDGET_S else '✖ missed'}"


def section(db: Path, tmp: Path) -> tuple[str, list[str]]:
    rows = ["| programme, quarter | read the 9 queries | assemble | freeze (JSON) | charts (PNG) | Word export | "
            f"assembly + Word export (budget {BUDGET_S:g} s) | annual report (4 quarters, Word) | .docx size |",
            "|---|---|---|---|---|---|---|---|---|"]
    for pid, quarter in CASES:
        frames: dict = {}
        read = times(lambda: frames.update({k: queries.run(q, db=db, programme_id=pid) for k, q in FRAMES.items()}), 3)
        meta = {"programme_id": pid, "programme_name": pid}
        assemble = lambda q=quarter: R.assemble_report(meta, q, **frames)  # noqa: E731
        figures = assemble()
        t_assemble = times(assemble, 5)
        t_freeze = times(lambda: R.freeze(figures), 5)
        charts = [c for s in figures["sections"] for c in s["charts"]]
        t_charts = times(lambda: [chart_png(c) for c in charts], 3)
        data = build_docx(figures, None)
        t_docx = times(lambda: build_docx(figures, None), 3)
        four = R.annual_quarters(quarter)
        t_annual = times(lambda: build_docx(R.annual_report([assemble(q) for q in four], [None] * 4, "partner")), 2)
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
