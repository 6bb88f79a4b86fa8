"""Benchmark section: the Savings page's pure work (label, aggregate, reconcile, Excel ledger) and
the Options appraisal's (totals, distance to flip for each council) on the demo data. Registered
in benchmarks/run.py EXTRA. Figures only."""
from __future__ import annotations

from benchmarks.timing import cell, times

from pathlib import Path

import queries
from monitor import appraisal as ap
from monitor import savings as sv




def section(db: Path, tmp: Path) -> tuple[str, list[str]]:
    rows = ["| programme | ledger rows | read ledger | label + 4 aggregates + reconcile | charts (4) | Excel ledger |",
            "|---|---|---|---|---|---|"]
    for pid in ("essex-braintree-brentwood", "breckland-south-holland"):
        raw = queries.run("savings_by_programme", db=db, programme_id=pid)
        read = times(lambda: queries.run("savings_by_programme", db=db, programme_id=pid), 5)
        ledger = sv.label_ledger(raw)

        def work():
            labelled = sv.label_ledger(raw)
            aggs = [sv.aggregate(labelled, d) for d in ("workstream", "council", "category")]
            assert not sv.reconcile(labelled, sv.by_year(labelled), *aggs)

        def charts():
            yearly = sv.by_year(ledger)
            sv.year_figure(yearly, "t")
            sv.breakdown_figure(sv.aggregate(ledger, "workstream"), "workstream", "t")
            sv.breakdown_figure(sv.aggregate(ledger, "council"), "council", "t")
            sv.waterfall_figure(sv.waterfall_steps(ledger, yearly["financial_year"].iloc[-1]), "t")

        xlsx = sv.ledger_xlsx(ledger, title="t")
        rows.append(f"| {pid} | {len(raw)} | {cell(read, 1)} | {cell(times(work, 5), 1)} | {cell(times(charts, 3), 1)} | "
                    f"{cell(times(lambda: sv.ledger_xlsx(ledger, title='t'), 3), 1)} ({len(xlsx) / 1000:.0f} kB) |")
    ratings = queries.run("appraisal_ratings", db=db, appraisal_id="bsh-2020").rename(
        columns={"option_name": "option", "criterion_name": "criterion"})
    weights = queries.run("appraisal_weights", db=db, appraisal_id="bsh-2020").rename(columns={"criterion_name": "criterion"})

    def appraise():
        for council in weights["council_name"].unique():
            w = weights[weights["council_name"] == council][["criterion", "weight"]]
            ap.weighted_totals(ratings, w)
            ap.flip_details(ratings, w)

    rows += ["", "| options appraisal | totals + distance to flip, both councils |", "|---|---|",
             f"| bsh-2020 (4 options × 8 criteria) | {cell(times(appraise, 10), 1)} |",
             "", "Median / worst. The what-if sliders rerun only the totals (pure numpy), never a query or a write."]
    return "Savings and Options appraisal: pure work", rows
