"""The hostile-backup corpus (tests/bad_inputs/backup_*.zip, made by make_backup_corpus.py): each is
refused by `make restore`'s command with its message as `file:-:-:` lines, no traceback, and writes
nothing — the database file byte for byte as it was, and no file created anywhere (a traversal
manifest resolved against the working or temporary folder would land inside this test's folder)."""
import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from queries import backup
from queries.db import ROOT
from tests.bad_inputs.make_backup_corpus import ABSOLUTE, CORPUS_KEY

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
CASES = list(csv.DictReader((CORPUS / "expected_backups.csv").open(encoding="utf-8")))


def tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_the_corpus_holds_the_traversal_absolute_tampered_unsigned_and_mis_signed_backups():
    names = {c["file"] for c in CASES}
    assert {"backup_traversal_manifest.zip", "backup_absolute_path_manifest.zip", "backup_tampered_resummed.zip",
            "backup_unsigned.zip", "backup_other_key.zip"} <= names
    assert all((CORPUS / n).exists() for n in names)


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_a_hostile_backup_is_refused_and_writes_nothing(built_db, tmp_path, case):
    work = tmp_path / "a" / "b" / "c" / "d"  # the working folder: ../../../../ from here is still tmp_path
    scratch = tmp_path / "t" / "a" / "b" / "c"  # the temporary folder, as deep
    work.mkdir(parents=True)
    scratch.mkdir(parents=True)
    db = work / "monitor.duckdb"
    shutil.copy(built_db, db)
    zip_path = work / case["file"]
    shutil.copy(CORPUS / case["file"], zip_path)
    before, files = db.read_bytes(), tree(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "MONITOR_DB"}
    done = subprocess.run([sys.executable, "-m", "queries.backup_cli", "restore", str(zip_path), "--db", str(db)],
                          cwd=work, capture_output=True, text=True, timeout=300,
                          env={**env, backup.KEY_ENV: CORPUS_KEY, "TMPDIR": str(scratch), "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    *problems, last = done.stderr.splitlines()
    assert last.endswith("nothing was changed.")
    # file:row:column: message — the backup (or a member of it), no row, the manifest's field or '-'
    shape = re.compile(re.escape(str(zip_path)) + r"(/[^:/]+)?:-:[a-z_0-9-]*: ")
    assert problems and all(shape.match(line) for line in problems), problems
    assert any(case["words"] in line for line in problems), f"expected {case['words']!r} in:\n" + "\n".join(problems)
    assert db.read_bytes() == before
    assert tree(tmp_path) == files
    assert not Path(ABSOLUTE).exists()


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_a_hostile_backup_is_refused_by_postgresql_and_changes_nothing(fresh_db, tmp_path, case):
    from queries.db import close
    from queries.imports import table_checksums

    work = tmp_path / "a" / "b" / "c" / "d"
    scratch = tmp_path / "t" / "a" / "b" / "c"
    work.mkdir(parents=True)
    scratch.mkdir(parents=True)
    zip_path = work / case["file"]
    shutil.copy(CORPUS / case["file"], zip_path)
    before, files = table_checksums(fresh_db), tree(tmp_path)
    close(fresh_db)
    env = {k: v for k, v in os.environ.items() if k != "MONITOR_DB"}
    done = subprocess.run([sys.executable, "-m", "queries.backup_cli", "restore", str(zip_path), "--db", fresh_db],
                          cwd=work, capture_output=True, text=True, timeout=300,
                          env={**env, backup.KEY_ENV: CORPUS_KEY, "TMPDIR": str(scratch), "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr and done.stderr.rstrip().endswith("nothing was changed.")
    assert case["words"] in done.stderr
    assert table_checksums(fresh_db) == before
    assert tree(tmp_path) == files
    assert not Path(ABSOLUTE).exists()
