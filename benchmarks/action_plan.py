"""Action plan: the page's computation (monitor.action_plan.build_view — every list, sentence and
figure) for each demo programme and for synthetic programmes of 25, 200 and 1,000 milestones × 40
quarterly snapshots, with the size of the trend chart sent to the browser. The page caches the
result per view, so this is the cost of the first draw of a view (a rerun only draws)."""
from __future__ import annotations

import datetime as dt
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

import queries
from monitor.milestones.reported import reporting_dates
from monitor.milestones.tables import ALL_OWNERS
from monitor.milestones.view import build_view

RUNS = 5
TODAY = dt.date(2026, 11, 22)


def synthetic(n: int, quarters: int = 40, seed: int = 4) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A programme of ``n`` milestones in 5 work streams, each reported every quarter; four in ten
    slip a little at most reports; a third complete."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(end="2026-09-30", periods=quarters, freq="QE")
    baseline = dates[0] + pd.to_timedelta(rng.integers(90, 4000, n), unit="D")
    slip = np.where(rng.random(n) < 0.4, rng.integers(0, 400, n), 0)
    status = rng.choice(["not started", "on track", "at risk", "off track", "complete", "dropped"], n,
                        p=[0.1, 0.35, 0.12, 0.08, 0.33, 0.02])
    ids = [f"m{i:05d}" for i in range(n)]
    plan = pd.DataFrame({
        "milestone_id": ids, "programme_id": "bench", "workstream_id": [f"w{i % 5}" for i in range(n)],
        "workstream_name": [f"Work stream {i % 5}" for i in range(n)], "milestone_title": [f"Milestone {i}" for i in range(n)],
        "owner": rng.choice(["Chief Executive", "Director of Finance", "Head of HR"], n),
        "baseline_due_date": baseline, "forecast_due_date": baseline + pd.to_timedelta(slip, unit="D"),
        "completed_date": pd.NaT, "status": status, "evidence": None, "source": "illustrative",
    })
    plan.loc[plan["status"] == "complete", "completed_date"] = plan["forecast_due_date"]
    step = np.tile(np.arange(quarters), n)
    snapshots = pd.DataFrame({
        "milestone_id": np.repeat(ids, quarters), "reporting_date": np.tile(dates, n),
        "status": np.where((step < quarters // 2) & (np.repeat(status, quarters) == "complete"), "on track",
                           np.repeat(status, quarters)),
        "forecast_due_date": np.repeat(baseline.values, quarters) + (step * np.repeat(slip, quarters) // quarters).astype("timedelta64[D]"),
        "source": "illustrative",
    })
    return plan, snapshots


def measure(plan: pd.DataFrame, snapshots: pd.DataFrame, closed: bool = False) -> tuple[float, float, int]:
    """(median wall time, median CPU time, trend chart JSON bytes); CPU time is the steadier figure
    on a shared machine."""
    latest = reporting_dates(snapshots)
    reporting = latest[0].date().isoformat() if latest else None
    build = lambda: build_view(plan, snapshots, reporting, (), (), ALL_OWNERS, TODAY, closed)  # noqa: E731
    view = build()
    wall, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        build()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    trend_bytes = len(view.trend[0].to_json()) if view.trend else 0
    return statistics.median(wall), statistics.median(cpu), trend_bytes


def section(db: Path, tmp: Path) -> tuple[str, list[str]]:
    rows = ["| programme | milestones | snapshots | build_view wall (median) | CPU (median) | trend chart JSON |",
            "|---|---|---|---|---|---|"]
    programmes = queries.run("programmes/all", db=db)
    for p in programmes.itertuples():
        plan = queries.run("milestones/all", db=db, programme_id=p.programme_id)
        snapshots = queries.run("milestones/snapshots_by_programme", db=db, programme_id=p.programme_id)
        wall, cpu, size = measure(plan, snapshots, p.status == "closed")
        rows.append(f"| {p.programme_id} (demo) | {len(plan)} | {len(snapshots):,} | {wall * 1000:,.0f} ms | "
                    f"{cpu * 1000:,.0f} ms | {size / 1000:,.0f} kB |")
    for n in (25, 200, 1_000):
        plan, snapshots = synthetic(n)
        wall, cpu, size = measure(plan, snapshots)
        rows.append(f"| synthetic | {n:,} | {len(snapshots):,} | {wall * 1000:,.0f} ms | {cpu * 1000:,.0f} ms | "
                    f"{size / 1000:,.0f} kB |")
    return "Action plan: computing a view (lists, sentences, timeline, burn-up, trend)", rows


if __name__ == "__main__":
    import sys

    title, lines = section(Path(sys.argv[1]), Path("/tmp"))
    print(f"## {title}\n")
    print("\n".join(lines))
