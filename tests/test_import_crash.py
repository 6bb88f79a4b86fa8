"""Crash safety: an import killed (SIGKILL) at random moments leaves a database that opens and holds
exactly its rows from before the import — or, when the kill landed after the commit, exactly the
imported state. Never anything in between. The kill times are seeded, so a failure reproduces.
On DuckDB the file is reopened (replaying its WAL); on PostgreSQL the server ends the killed
process's transaction."""
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
from queries.catalog import row_hash
from queries.imports import table_checksums

pytestmark = pytest.mark.both_backends

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


class Copies:
    """The pristine database and a working copy made afresh from it: files, or PostgreSQL databases
    (the pristine one a template)."""

    def __init__(self, backend, request, built_db, tmp_path):
        self.server = request.getfixturevalue("postgres_server") if backend == "postgres" else None
        if self.server:
            template = request.getfixturevalue("postgres_template")
            self.pristine = self.server.create_database("crash_pristine", template=template)
            self.work = self.server.url("crash_work")
        else:
            self.pristine, self.work = tmp_path / "pristine.duckdb", tmp_path / "work.duckdb"
            shutil.copy(built_db, self.pristine)

    def fresh(self) -> None:
        if self.server:
            dbmod.close(self.pristine)
            self.server.drop_database("crash_work")
            self.server.create_database("crash_work", template="crash_pristine")
            return
        for p in (self.work, self.work.with_name(self.work.name + ".wal")):
            p.unlink(missing_ok=True)
        shutil.copy(self.pristine, self.work)


def checksums(db: Path) -> dict:
    """Every table's checksum; the change log's without its timestamps (two runs of one import
    log the same changes at different times)."""
    try:
        sums = table_checksums(db)
        with dbmod.connect(db).cursor() as cur:
            logged = row_hash(cur, "(changed_by, table_name, row_key, CAST(action AS VARCHAR), before_json, after_json, note)")
        sums["change_log"] = scalar_row(db, f"SELECT count(*), coalesce(sum({logged}), 0) FROM change_log")
        return sums
    finally:
        dbmod.close(db)


def scalar_row(db: Path, sql: str) -> tuple:
    with dbmod.connect(db).cursor() as cur:
        return tuple(int(v) for v in cur.execute(sql).fetchone())


def test_sigkill_during_import_leaves_before_or_fully_after(backend, request, built_db, tmp_path):
    copies = Copies(backend, request, built_db, tmp_path)
    pristine, work = copies.pristine, copies.work
    with dbmod.connect(pristine).cursor() as cur:
        # Milestones of programmes still running: their snapshots may be dated from 2027 on (the data
        # rules refuse a snapshot outside its programme's dates).
        milestones = [r[0] for r in cur.execute("SELECT milestone_id FROM milestone JOIN programme USING (programme_id) "
                                                "WHERE end_date IS NULL ORDER BY 1").fetchall()]
    before = checksums(pristine)
    file = big_snapshot_file(tmp_path / "snapshots.csv", milestones)

    # One run to the end: the imported state, and how long each stage takes.
    copies.fresh()
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
        copies.fresh()
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
