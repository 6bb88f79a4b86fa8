"""`make bench` section: check and import 100,000 milestone-snapshot rows (the Data page's and
`make import`'s path: read, validate against the catalogue's rules, one transaction through
queries.write.write_table with a change_log row per row), then re-check and re-import the same file
(all unchanged, nothing written)."""
from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

ROWS = 100_000


def snapshot_csv(milestones: list[str], rows: int = ROWS) -> bytes:
    per = rows // len(milestones) + 1
    start = dt.date(1980, 1, 1)
    lines = ["milestone_id,reporting_date,status,forecast_due_date,source"]
    for m in milestones:
        for day in range(per):
            lines.append(f"{m},{start + dt.timedelta(days=day)},on track,,benchmark")
    return ("\n".join(lines[:rows + 1]) + "\n").encode()


def section(db: Path, tmp: Path) -> tuple[str, list[str]]:
    from monitor.permissions import SYSTEM
    from queries import db as dbmod
    from queries.imports import run_import, validate_upload

    work = Path(tmp) / "imports-bench.duckdb"
    dbmod.close(db)
    shutil.copy(db, work)
    with dbmod.connect(work).cursor() as cur:
        milestones = [r[0] for r in cur.execute("SELECT milestone_id FROM milestone ORDER BY 1").fetchall()]
    data = snapshot_csv(milestones)
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
