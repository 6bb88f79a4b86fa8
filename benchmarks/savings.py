"""Benchmark section: the Savings page's pure work (label, aggregate, reconcile, Excel ledger) and
the Options appraisal's (totals, distance to flip for each council) on the demo data. Registered
in benchmarks/run.py EXTRA. Figures only."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import queries
from benchmarks.timing import cell, times
from monitor.appraisal.scoring import weighted_totals
from monitor.appraisal.sensitivity import flip_details
from monitor.savings.charts import breakdown_figure, waterfall_figure, year_figure
from monitor.savings.export import ledger_xlsx
from monitor.savings.facts import SOURCE
from monitor.savings.ledger import aggregate, by_year, label_ledger, reconcile, waterfall_steps
from monitor.tidy import Origin

ORIGIN = Origin(SOURCE, dt.date(2026, 12, 4))  # a date only the file's About sheet shows


def section(db: Path, tmp: Path) -> tuple[str, list[str]]:
    rows = ["| programme | ledger rows | read ledger | label + 4 aggregates + reconcile | charts (4) | Excel ledger |",
            "|---|---|---|---|---|---|"]
    for pid in ("essex-braintree-brentwood", "breckland-south-holland"):
        raw = queries.run("savings/by_programme", db=db, programme_id=pid)
        read = times(lambda: queries.run("savings/by_programme", db=db, programme_id=pid), 5)
        ledger = label_ledger(raw)

        def work():
            labelled = label_ledger(raw)
            aggs = [aggregate(labelled, d) for d in ("workstream", "council", "category")]
            assert not reconcile(labelled, by_year(labelled), *aggs)

        def charts():
            yearly = by_year(ledger)
            year_figure(yearly, "t")
            breakdown_figure(aggregate(ledger, "workstream"), "workstream", "t")
            breakdown_figure(aggregate(ledger, "council"), "council", "t")
            waterfall_figure(waterfall_steps(ledger, yearly["financial_year"].iloc[-1]), "t")

        xlsx = ledger_xlsx(ledger, title="t", origin=ORIGIN)
        rows.append(f"| {pid} | {len(raw)} | {cell(read, 1)} | {cell(times(work, 5), 1)} | {cell(times(charts, 3), 1)} | "
                    f"{cell(times(lambda: ledger_xlsx(ledger, title='t', origin=ORIGIN), 3), 1)} ({len(xlsx) / 1000:.0f} kB) |")
    ratings = queries.run("appraisal/ratings", db=db, appraisal_id="bsh-2020").rename(
        columns={"option_name": "option", "criterion_name": "criterion"})
    weights = queries.run("appraisal/weights", db=db, appraisal_id="bsh-2020").rename(columns={"criterion_name": "criterion"})

    def appraise():
        for council in weights["council_name"].unique():
            w = weights[weights["council_name"] == council][["criterion", "weight"]]
            weighted_totals(ratings, w)
            flip_details(ratings, w)

    rows += ["", "| options appraisal | totals + distance to flip, both councils |", "|---|---|",
             f"| bsh-2020 (4 options × 8 criteria) | {cell(times(appraise, 10), 1)} |",
             "", "Median / worst. The what-if sliders rerun only the totals (pure numpy), never a query or a write."]
    return "Savings and Options appraisal: pure work", rows
