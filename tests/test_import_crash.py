"""Crash safety: an import killed (SIGKILL) at random moments leaves a database that opens and holds
exactly its rows from before the import — or, when the kill landed after the commit, exactly the
imported state. Never anything in between. The kill times are seeded, so a failure reproduces."""
import datetime as dt
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from queries import db as dbmod
from queries.imports import table_checksums

ROOT = Path(__file__).resolve().parent.parent
KILLS = 20
ROWS = 15_000


def big_snapshot_file(path: Path, milestones: list[str]) -> Path:
    lines = ["milestone_id,reporting_date,status,forecast_due_date,source"]
    per = ROWS // len(milestones) + 1
    start = dt.date(2027, 1, 1)
    for m in milestones:
        for day in range(per):
            lines.append(f"{m},{start + dt.timedelta(days=day)},on track,,illustrative")
    path.write_text("\n".join(lines[:ROWS + 1]) + "\n")
    return path


def start_import(file: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "queries.import_cli", str(file), "--db", str(db), "--progress"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def fresh_copy(pristine: Path, work: Path) -> None:
    for p in (work, work.with_name(work.name + ".wal")):
        p.unlink(missing_ok=True)
    shutil.copy(pristine, work)


def checksums(db: Path) -> dict:
    """Every table's checksum; the change log's without its timestamps (two runs of one import
    log the same changes at different times)."""
    try:
        sums = table_checksums(db)
        sums["change_log"] = tuple(scalar_row(db, "SELECT count(*), coalesce(sum(hash(changed_by, table_name, row_key, "
                                                  "action, before_json, after_json, note)), 0) FROM change_log"))
        return sums
    finally:
        dbmod.close(db)


def scalar_row(db: Path, sql: str) -> tuple:
    with dbmod.connect(db).cursor() as cur:
        return tuple(int(v) for v in cur.execute(sql).fetchone())


def test_sigkill_during_import_leaves_before_or_fully_after(built_db, tmp_path):
    pristine = tmp_path / "pristine.duckdb"
    shutil.copy(built_db, pristine)
    with dbmod.connect(pristine).cursor() as cur:
        # Milestones of programmes still running: their snapshots may be dated from 2027 on (the data
        # rules refuse a snapshot outside its programme's dates).
        milestones = [r[0] for r in cur.execute("SELECT milestone_id FROM milestone JOIN programme USING (programme_id) "
                                                "WHERE end_date IS NULL ORDER BY 1").fetchall()]
    before = checksums(pristine)
    file = big_snapshot_file(tmp_path / "snapshots.csv", milestones)

    # One run to the end: the imported state, and how long each stage takes.
    work = tmp_path / "work.duckdb"
    fresh_copy(pristine, work)
    started = time.monotonic()
    proc = start_import(file, work)
    writing_at = None
    for line in proc.stderr:
        if line.startswith("writing") and writing_at is None:
            writing_at = time.monotonic() - started
    assert proc.wait(120) == 0, proc.stdout.read()
    total = time.monotonic() - started
    after = checksums(work)
    assert after["milestone_snapshot"][0] == before["milestone_snapshot"][0] + ROWS
    assert writing_at is not None

    rng = random.Random(10)
    outcomes = []
    for i in range(KILLS):
        fresh_copy(pristine, work)
        # Half the kills anywhere in the run, half inside the write (where a torn write would show).
        delay = rng.uniform(0.1, total) if i % 2 == 0 else rng.uniform(writing_at, total)
        proc = start_import(file, work)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        err = proc.stderr.read()
        stage = "committed" if "committed" in err else "writing" if "writing" in err else "checking"
        state = checksums(work)  # the database opens (replaying its WAL) ...
        if state == before:
            outcomes.append(("before", stage, proc.returncode))
        elif state == after:
            outcomes.append(("after", stage, proc.returncode))
        else:  # ... and is exactly one of the two states
            changed = {t: (before[t], state.get(t), after[t]) for t in before if state.get(t) != before[t]}
            pytest.fail(f"kill {i} at {delay:.2f}s (stage {stage}) left a mixed state: {changed}")
    landed_before = sum(1 for o in outcomes if o[0] == "before")
    in_write = sum(1 for o in outcomes if o[1] == "writing")
    print(f"\n{KILLS} kills: {landed_before} before commit ({in_write} of them during the write), "
          f"{KILLS - landed_before} after; run {total:.1f}s, write from {writing_at:.1f}s")
    assert landed_before >= 1
