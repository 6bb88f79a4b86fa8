"""`make backup OUT=path.zip [DB=path]` and `make restore FILE=path.zip [DB=path]`, as a scheduler runs
them: the same signature, checks and summary as the Data page; refusals as `file:-:-: message`
lines with a non-zero exit status and nothing written — a full disk and an unwritable OUT too."""
import os
import resource
import signal
import subprocess
import sys
import zipfile

import pytest

from monitor.permissions import Actor
from queries import backup
from queries.db import ROOT
from queries.write import Change, write
from tests.dbutil import fetch, submitted

KEY = "scheduler-test-backup-key-0123456789abcdef"
COMMISSIONER = Actor("commissioner@example.gov.uk", "Commissioner", "commissioner", frozenset({"hampshire-west-sussex"}))


def env(**extra) -> dict:
    out = {k: v for k, v in os.environ.items() if k not in ("MONITOR_DB", backup.KEY_ENV)}
    return {**out, backup.KEY_ENV: KEY, **extra}


def make(*args, **kwargs) -> subprocess.CompletedProcess:
    # -o: the virtualenv counts as made (these tests must not install anything).
    return subprocess.run(["make", "-s", "-o", ".venv/.runtime", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env(), timeout=300, **kwargs)


def cli(*args, preexec_fn=None, **extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "queries.backup_cli", *args], cwd=ROOT, capture_output=True,
                          text=True, env=env(**extra), timeout=300, preexec_fn=preexec_fn)


def test_make_backup_and_make_restore_keep_submitted_reports_and_say_so(fresh_db, tmp_path):
    from queries.db import close

    out = tmp_path / "nightly.zip"
    close(fresh_db)  # DuckDB lets one program hold the file: the command line needs it free
    done = make("backup", f"OUT={out}", f"DB={fresh_db}")
    assert done.returncode == 0, done.stderr
    assert f"to {out}, signed with the backup key from the environment variable {backup.KEY_ENV}" in done.stdout
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    with zipfile.ZipFile(out) as z:
        assert {"manifest.json", "manifest.sig", "commissioner_report.parquet"} <= set(z.namelist())
    # After the backup the draft of 2023-Q3 is submitted; restoring the older backup must keep it.
    write([Change("commissioner_report", "update", {"report_id": "hws-2023-Q3-v1"},
                  submitted(COMMISSIONER.email, confidence_reason="r"))], actor=COMMISSIONER, db=fresh_db)
    live = fetch(fresh_db, "SELECT * FROM commissioner_report WHERE status = 'submitted' ORDER BY report_id")
    tables = int(fetch(fresh_db, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main'").iloc[0, 0])
    close(fresh_db)
    done = make("restore", f"FILE={out}", f"DB={fresh_db}")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"Restored {tables - len(backup.KEPT)} tables from the backup made ")
    assert lines[1] == ("Kept from the live database: 1 submitted report that the backup lacks or holds otherwise. "
                        "A submitted report is a record: a restore never removes, changes or un-submits it.")
    assert lines[2] == "  hws-2023-Q3-v1 (hampshire-west-sussex, 2023-Q3, version 1): a draft version in the backup"
    assert lines[-1] == "The change log was kept (never rewound) and records the restore."
    assert fetch(fresh_db, "SELECT * FROM commissioner_report WHERE status = 'submitted' ORDER BY report_id").equals(live)
    who = fetch(fresh_db, "SELECT DISTINCT changed_by FROM change_log WHERE note LIKE 'restore of the whole table%'")
    import getpass

    assert who["changed_by"].tolist() == [f"command line ({getpass.getuser()})"]


def test_usage_without_out_or_file(fresh_db):
    for target, words in (("backup", "usage: make backup OUT=path.zip"), ("restore", "usage: make restore FILE=path.zip")):
        done = make(target)
        assert done.returncode != 0 and words in done.stderr


def test_a_backup_signed_with_another_key_is_refused_from_the_command_line(fresh_db, tmp_path):
    from queries.db import close

    close(fresh_db)
    out = tmp_path / "b.zip"
    assert cli("backup", str(out), "--db", str(fresh_db)).returncode == 0
    assert cli("restore", str(out), "--db", str(fresh_db), "--check").returncode == 0
    before = fresh_db.read_bytes()
    done = cli("restore", str(out), "--db", str(fresh_db), **{backup.KEY_ENV: "another-installation-key-0123456789"})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[0].startswith(f"{out}:-:-: This backup is not signed by this installation's backup key")
    assert fresh_db.read_bytes() == before


@pytest.mark.parametrize("where", ["missing folder", "a folder"])
def test_an_unwritable_out_is_a_plain_message_and_writes_nothing(fresh_db, tmp_path, where):
    from queries.db import close

    close(fresh_db)
    out = tmp_path / "no-such-folder" / "b.zip" if where == "missing folder" else tmp_path
    done = cli("backup", str(out), "--db", str(fresh_db))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{out}:-:-: the backup could not be written (") and "nothing was written" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["monitor.duckdb"]  # no backup, no temporary file


@pytest.mark.parametrize("limit_kb, stage", [(64, "made"), (200, "written")])
def test_a_full_disk_leaves_no_half_written_backup(fresh_db, tmp_path, limit_kb, stage):
    """A file-size limit makes every write past it fail as a full disk does (EFBIG rather than
    ENOSPC): at 64 KB while the tables are copied out, at 200 KB while the zip is written."""
    from queries.db import close

    close(fresh_db)
    folder = tmp_path / "backups"
    folder.mkdir()
    out = folder / "b.zip"

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write, do not kill the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_kb * 1024, limit_kb * 1024))

    done = cli("backup", str(out), "--db", str(fresh_db), preexec_fn=small_disk)
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith(f"{out}:-:-: the backup could not be {stage} (") and "File too large" in done.stderr
    assert done.stderr.rstrip().endswith("nothing was written")
    assert list(folder.iterdir()) == []


def test_a_full_disk_during_a_restore_leaves_the_database_as_it_was(fresh_db, tmp_path):
    from queries.db import close

    close(fresh_db)
    out = tmp_path / "b.zip"
    assert cli("backup", str(out), "--db", str(fresh_db)).returncode == 0
    before = fresh_db.read_bytes()

    def small_disk():  # the restored file (about as large as the database) cannot be written
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024 * 1024, 1024 * 1024))

    done = cli("restore", str(out), "--db", str(fresh_db), preexec_fn=small_disk)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{out}:-:-: the backup could not be restored") and "File too large" in done.stderr
    assert fresh_db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.zip", "monitor.duckdb"]  # no half-built file left


def test_a_database_held_by_the_dashboard_is_a_plain_message(fresh_db, tmp_path):
    from queries.db import connect

    connect(fresh_db)  # this process holds the file, as the running dashboard does
    done = cli("backup", str(tmp_path / "b.zip"), "--db", str(fresh_db))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{fresh_db}:-:-: ") and "in use by another program" in done.stderr
    assert not (tmp_path / "b.zip").exists()


# --- PostgreSQL: the same commands, beside a running dashboard ----------------------------------------

def restored_rows(db) -> dict[str, list[tuple]]:
    """Every restored table's rows (not the kept log and counters), sorted, as Python values."""
    from queries import catalog
    from queries.db import connect

    with connect(db).cursor() as cur:
        return {t: sorted(cur.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in catalog.tables(cur) if t not in backup.KEPT}


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_on_postgresql_make_backup_and_make_restore_run_while_the_dashboard_holds_connections(fresh_db, tmp_path):
    from queries.db import connect

    connect(fresh_db)  # this process keeps its connections open, as a running dashboard does
    out = tmp_path / "nightly.zip"
    done = make("backup", f"OUT={out}", f"DATABASE_URL={fresh_db}")
    assert done.returncode == 0, done.stderr
    assert f"of {fresh_db} to {out}, signed with the backup key" in done.stdout
    write([Change("commissioner_report", "update", {"report_id": "hws-2023-Q3-v1"},
                  submitted(COMMISSIONER.email, confidence_reason="r"))], actor=COMMISSIONER, db=fresh_db)
    live = fetch(fresh_db, "SELECT * FROM commissioner_report WHERE status = 'submitted' ORDER BY report_id")
    done = make("restore", f"FILE={out}", f"DATABASE_URL={fresh_db}")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[2] == "  hws-2023-Q3-v1 (hampshire-west-sussex, 2023-Q3, version 1): a draft version in the backup"
    assert fetch(fresh_db, "SELECT * FROM commissioner_report WHERE status = 'submitted' ORDER BY report_id").equals(live)
    assert fetch(fresh_db, "SELECT count(*) AS n FROM change_log WHERE note LIKE 'restore of the whole table%'")["n"][0] > 20


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_a_backup_of_either_database_restores_on_the_other(fresh_db, built_db, tmp_path):
    """A file's backup restored into PostgreSQL, and PostgreSQL's restored into a file: the same rows."""
    import shutil

    from monitor.permissions import SYSTEM
    from queries.db import close

    file_db = tmp_path / "monitor.duckdb"
    shutil.copy(built_db, file_db)
    write([Change("milestone", "update", {"milestone_id": "ews-m01"}, {"owner": "Only in the file"})], actor=SYSTEM,
          db=file_db)
    name, data = backup.backup_zip(file_db)
    backup.restore_backup(name, data, actor=SYSTEM, db=fresh_db)
    assert restored_rows(fresh_db) == restored_rows(file_db)
    write([Change("milestone", "update", {"milestone_id": "ews-m01"}, {"owner": "Then in PostgreSQL"})], actor=SYSTEM,
          db=fresh_db)
    name, data = backup.backup_zip(fresh_db)
    backup.restore_backup(name, data, actor=SYSTEM, db=file_db)
    assert restored_rows(file_db) == restored_rows(fresh_db)
    assert fetch(file_db, "SELECT owner FROM milestone WHERE milestone_id = 'ews-m01'")["owner"][0] == "Then in PostgreSQL"
    close(file_db)


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_a_postgresql_database_not_answering_is_a_plain_message(fresh_db, tmp_path, postgres_server):
    gone = f"postgresql://postgres@127.0.0.1:{postgres_server.port + 1}/monitor"
    done = cli("backup", str(tmp_path / "b.zip"), "--db", gone)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "is not answering" in done.stderr and not (tmp_path / "b.zip").exists()
