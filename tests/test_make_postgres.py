"""The make targets that open the database, pointed at PostgreSQL by DATABASE_URL (as the README says):
`make db` builds it, `make import` writes to it, `make figures` reads it — the same figures as from
the DuckDB file built from the same files."""
import os
import shutil
import subprocess

from queries.db import ROOT
from tests.dbutil import scalar

HEAD = "milestone_id,reporting_date,status,forecast_due_date,source"


def make(*args) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("MONITOR_DB", "DATABASE_URL")}
    # -o: the virtualenv counts as made (these tests must not install anything).
    return subprocess.run(["make", "-s", "-o", ".venv/.runtime", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=600)


def test_make_db_import_and_figures_use_database_url(postgres_server, built_db, tmp_path):
    url = postgres_server.create_database("monitor_make")
    done = make("db", f"DATABASE_URL={url}")
    assert done.returncode == 0, done.stderr
    assert f"Built {url} in" in done.stdout
    assert scalar(url, "SELECT count(*) FROM programme") == 5
    assert not (ROOT / "data" / "monitor_make").exists()

    on_postgres = make("figures", f"DATABASE_URL={url}")
    file_db = tmp_path / "monitor.duckdb"  # a copy no process of the tests holds
    shutil.copy(built_db, file_db)
    on_file = make("figures", f"DB={file_db}")
    assert on_postgres.returncode == on_file.returncode == 0, on_postgres.stderr + on_file.stderr
    assert on_postgres.stdout == on_file.stdout and on_postgres.stdout.count("\n") >= 6

    good = tmp_path / "good.csv"
    good.write_text(f"{HEAD}\news-m01,2031-03-31,on track,,illustrative\n")
    done = make("import", f"FILE={good}", f"DATABASE_URL={url}")
    assert done.returncode == 0 and "1 inserted, 0 updated, 0 unchanged" in done.stdout, done.stderr
    assert scalar(url, "SELECT count(*) FROM change_log WHERE note = 'make import of good.csv'") == 1
    assert scalar(file_db, "SELECT count(*) FROM change_log WHERE note = 'make import of good.csv'") == 0
