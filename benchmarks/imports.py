"""`make bench` section: check and import 100,000 milestone-snapshot rows (the Data page's and
`make import`'s path: read, validate against the catalogue's rules, one transaction through
queries.write.write_table with a change_log row per row), then re-check and re-import the same file
(all unchanged, nothing written)."""
from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

from monitor import clock

ROWS = 100_000


def snapshot_csv(milestones: list[tuple[str, dt.date, dt.date]], rows: int = ROWS,
                 taken: frozenset = frozenset()) -> bytes:
    """`rows` new snapshots that keep the data rules: each milestone reported daily from its
    programme's start to its end (or today), milestone after milestone, sourced as illustrative;
    the days already reported (`taken`: (milestone_id, date)) left out, so every row is an insert."""
    lines = ["milestone_id,reporting_date,status,forecast_due_date,source"]
    for m, start, end in milestones:
        day = start
        while day <= end and len(lines) <= rows:
            if (m, day) not in taken:
                lines.append(f"{m},{day},on track,,illustrative")
            day += dt.timedelta(days=1)
    if len(lines) <= rows:
        raise ValueError(f"the programmes' spans hold {len(lines) - 1:,} daily snapshots, fewer than {rows:,}")
    return ("\n".join(lines) + "\n").encode()


def section(db: Path, tmp: Path) -> tuple[str, list[str]]:
    from monitor.permissions import SYSTEM
    from queries import db as dbmod
    from queries.imports import run_import, validate_upload

    work = Path(tmp) / "imports-bench.duckdb"
    dbmod.close(db)
    shutil.copy(db, work)
    with dbmod.connect(work).cursor() as cur:
        # Reported within each programme's dates (a data rule), up to today at the latest.
        milestones = cur.execute(
            "SELECT m.milestone_id, p.start_date, least(coalesce(p.end_date, $today), $today) FROM milestone AS m "
            "JOIN programme AS p USING (programme_id) ORDER BY 1", {"today": clock.today()}).fetchall()
        taken = frozenset(cur.execute("SELECT milestone_id, reporting_date FROM milestone_snapshot").fetchall())
    data = snapshot_csv(milestones, taken=taken)
    rows = []

    def measure(label: str, fn):
        start, cpu = time.perf_counter(), time.process_time()
        out = fn()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        rows.append(f"| {label} | {seconds:.2f} s | {cpu:.2f} s | {ROWS / seconds:,.0f} rows/s |")
        return out

    checked = measure(f"check {ROWS:,} new milestone snapshots ({len(data) / 1e6:.1f} MB CSV)",
                      lambda: validate_upload("snapshots.csv", data, actor=SYSTEM, db=work))
    assert checked.ok, checked.problems[:3]
    result = measure(f"import them (one transaction, {ROWS:,} change-log rows)",
                     lambda: run_import(checked, actor=SYSTEM, db=work))
    assert result.inserted == ROWS
    again = measure("check the same file again (all unchanged)",
                    lambda: validate_upload("snapshots.csv", data, actor=SYSTEM, db=work))
    measure("import it again (nothing written)", lambda: run_import(again, actor=SYSTEM, db=work))
    dbmod.close(work)
    return (f"Data imports ({ROWS:,} milestone-snapshot rows)",
            ["| step | wall time | CPU time (this process) | rate (wall) |", "|---|---|---|---|", *rows])


if __name__ == "__main__":
    import sys
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from queries.build import build

    with tempfile.TemporaryDirectory() as d:
        target = Path(d) / "bench.duckdb"
        build(target, log=lambda *_: None)
        title, lines = section(target, Path(d))
        print(f"## {title}\n\n" + "\n".join(lines))
