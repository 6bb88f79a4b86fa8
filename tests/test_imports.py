"""Imports through the write function on a real database: upsert by primary key, re-import
changes nothing, every change logged, roles and row versions enforced; official files; the
command line (`make import`). (Backup and restore: tests/test_backup*.py.)"""
import contextlib
import datetime as dt
import json
import resource
import shutil
import signal
import subprocess
import sys

import pytest

import queries
from monitor.imports import templates
from monitor.permissions import SYSTEM, Actor
from queries.db import ROOT
from queries.imports import example_rows, import_upload, table_checksums, table_specs, validate_upload
from queries.write import WriteRefused, write_table
from tests.conftest import duckdb_only
from tests.dbutil import fetch, scalar

pytestmark = pytest.mark.both_backends

OFFICER = Actor("officer.sussex@example.gov.uk", "Officer", "programme officer", frozenset({"east-west-sussex"}))
HEAD = "milestone_id,reporting_date,status,forecast_due_date,source"


def log_count(db):
    return scalar(db, "SELECT count(*) FROM change_log")


def test_upsert_then_reimport_changes_nothing(fresh_db):
    text = f"{HEAD}\news-m01,2031-03-31,on track,,illustrative\news-m02,2031-03-31,at risk,2031-06-30,illustrative\n"
    validation, result = import_upload("q1.csv", text.encode(), actor=OFFICER, db=fresh_db)
    assert validation.ok and (result.inserted, result.updated) == (2, 0)
    version, logged = queries.data_version(fresh_db), log_count(fresh_db)
    validation, result = import_upload("q1.csv", text.encode(), actor=OFFICER, db=fresh_db)
    assert (result.inserted, result.updated, result.unchanged) == (0, 0, 2)
    assert queries.data_version(fresh_db) == version and log_count(fresh_db) == logged == 2
    changed = text.replace("at risk", "off track")
    validation, result = import_upload("q1b.csv", changed.encode(), actor=OFFICER, db=fresh_db)
    assert (result.updated, result.unchanged) == (1, 1)
    entry = fetch(fresh_db, "SELECT * FROM change_log ORDER BY change_id DESC LIMIT 1").iloc[0]
    assert (entry["action"], entry["note"]) == ("update", "import of q1b.csv")
    assert json.loads(entry["before_json"])["status"] == "at risk" and json.loads(entry["after_json"])["status"] == "off track"


def test_a_column_left_out_keeps_its_value_and_defaults_apply(fresh_db):
    text = ("programme_id,ons_code,role,source\n"
            "east-west-sussex,E10000011,improvement partner,000 para 2.1\n"
            "east-west-sussex,E10000012,partner,illustrative\n")
    validation, result = import_upload("parties.csv", text.encode(), actor=OFFICER, db=fresh_db)
    assert validation.ok, validation.problems
    rows = fetch(fresh_db, "SELECT ons_code, is_lending, source, row_version FROM programme_party "
                           "WHERE programme_id = 'east-west-sussex' ORDER BY ons_code")
    kept = rows[rows["ons_code"] == "E10000011"].iloc[0]
    assert bool(kept["is_lending"]) is True and kept["source"] == "000 para 2.1" and kept["row_version"] == 2
    new = rows[rows["ons_code"] == "E10000012"].iloc[0]
    assert bool(new["is_lending"]) is False and new["row_version"] == 1


def test_write_table_refuses_other_programmes_and_stale_versions(fresh_db):
    before = table_checksums(fresh_db)
    row = {"milestone_id": "bsh-m01", "reporting_date": "2031-03-31", "status": "on track", "source": "illustrative"}
    with pytest.raises(WriteRefused, match="not a programme officer for programme breckland-south-holland"):
        write_table("milestone_snapshot", [row], actor=OFFICER, programmes=["breckland-south-holland"], db=fresh_db)
    with pytest.raises(WriteRefused, match="could not be told"):  # a child row with no programme given
        write_table("milestone_snapshot", [{**row, "milestone_id": "ews-m01"}], actor=OFFICER, db=fresh_db)
    mid = fetch(fresh_db, "SELECT * FROM milestone WHERE milestone_id = 'ews-m01'").iloc[0]
    with pytest.raises(WriteRefused, match="changed by someone else"):
        write_table("milestone", [{"milestone_id": "ews-m01", "owner": "Someone"}], actor=OFFICER,
                    expected_versions=[mid["row_version"] + 5], db=fresh_db)
    after = table_checksums(fresh_db)
    assert {t: v for t, v in after.items() if t != "change_log"} == {t: v for t, v in before.items() if t != "change_log"}
    assert set(fetch(fresh_db, "SELECT DISTINCT action FROM change_log")["action"]) == {"refused"}


def test_xlsx_template_of_real_rows_reimports_unchanged(demo_db):
    spec = table_specs(demo_db)["milestone"]
    data = templates.template_xlsx(spec, example_rows("milestone", {"east-west-sussex"}, demo_db))
    validation = validate_upload("milestone.xlsx", data, actor=OFFICER, db=demo_db)
    assert validation.ok, validation.problems
    assert validation.counts() == {"insert": 0, "update": 0, "unchanged": 2}


def test_dfe_file_as_published(fresh_db):
    path = ROOT / "data" / "official" / "dfe_csww_indicators_2017_to_2025.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    data = ("\n".join(lines[:40]) + "\n").encode()
    admin = Actor("admin@example.gov.uk", "Admin", "administrator")
    validation = validate_upload(path.name, data, actor=admin, db=fresh_db)
    assert validation.ok and validation.kind == "dfe" and validation.counts()["insert"] == 0  # already loaded
    refused = validate_upload(path.name, data, actor=OFFICER, db=fresh_db)
    assert refused.ok  # nothing would change, so nothing needs the role
    changed = data.replace(b",36186.3,", b",36190.0,")
    refused = validate_upload(path.name, changed, actor=OFFICER, db=fresh_db)
    assert not refused.ok and "cannot change dfe_statistic" in refused.problems[0].message


def test_ofsted_file_as_published_is_a_reload(fresh_db):
    path = ROOT / "data" / "official" / "ofsted_la_in_year_inspections_2024_25.csv"
    validation = validate_upload(path.name, path.read_bytes(), actor=SYSTEM, db=fresh_db)
    assert validation.ok and validation.kind == "ofsted"
    assert validation.counts()["insert"] == 0 and validation.counts()["update"] == 0


def cli(*args, db):
    return subprocess.run([sys.executable, "-m", "queries.import_cli", *map(str, args), "--db", str(db)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_command_line_import(fresh_db, tmp_path):
    queries.db.close(fresh_db)  # the child process needs the file
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEAD}\news-m01,2031-02-30,on trak,,x\n")
    run = cli(bad, db=fresh_db)
    assert run.returncode == 1
    assert "bad.csv:2:reporting_date: expected a date" in run.stdout and "bad.csv:2:status:" in run.stdout
    good = tmp_path / "good.csv"
    good.write_text(f"{HEAD}\news-m01,2031-03-31,on track,,illustrative\n")
    run = cli(good, db=fresh_db)
    assert run.returncode == 0 and "1 inserted, 0 updated, 0 unchanged" in run.stdout
    run = cli(good, "--table", "milestone_snapshot", db=fresh_db)
    assert run.returncode == 0 and "0 inserted, 0 updated, 1 unchanged. Nothing changed." in run.stdout
    assert scalar(fresh_db, "SELECT count(*) FROM change_log WHERE note = 'make import of good.csv'") == 1


@duckdb_only
def test_command_line_says_plainly_when_the_app_holds_the_file(fresh_db, tmp_path):
    queries.db.close(fresh_db)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(60)", str(fresh_db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        good = tmp_path / "good.csv"
        good.write_text(f"{HEAD}\news-m01,2031-03-31,on track,,illustrative\n")
        run = cli(good, db=fresh_db)
    finally:
        holder.kill()
        holder.wait()
    assert run.returncode == 2
    assert "in use by another program" in run.stderr and "Traceback" not in run.stderr


CORPUS = ROOT / "tests" / "bad_inputs"
ADMIN = Actor("admin@example.gov.uk", "Admin", "administrator")


def test_a_programme_officer_cannot_import_ofsted_grades(fresh_db):
    data = (CORPUS / "ofsted_grades_by_officer.csv").read_bytes()
    before = table_checksums(fresh_db)
    validation, result = import_upload("ofsted_ilacs_inspection_history_2018_2025.csv", data, actor=OFFICER, db=fresh_db)
    assert result is None and "official national table" in validation.problems[0].message
    assert "update 4" in validation.problems[0].message
    assert table_checksums(fresh_db) == before
    # An administrator loads Ofsted's corrections.
    validation, result = import_upload("ofsted_ilacs_inspection_history_2018_2025.csv", data, actor=ADMIN, db=fresh_db)
    assert (result.inserted, result.updated, result.unchanged) == (0, 4, 0)


def test_the_command_line_refuses_ofsted_grades_from_a_programme_officer(fresh_db, tmp_path):
    queries.db.close(fresh_db)
    path = tmp_path / "ofsted_ilacs_inspection_history_2018_2025.csv"
    path.write_bytes((CORPUS / "ofsted_grades_by_officer.csv").read_bytes())
    run = cli(path, "--as", OFFICER.email, db=fresh_db)
    assert run.returncode == 1, run.stdout
    assert "official national table" in run.stdout and "updated" not in run.stdout
    assert scalar(fresh_db, "SELECT count(*) FROM change_log WHERE action <> 'refused'") == 0


def test_an_official_file_identical_to_the_database_counts_its_rows_unchanged(fresh_db, tmp_path):
    queries.db.close(fresh_db)
    path = ROOT / "data" / "official" / "ofsted_la_in_year_inspections_2024_25.csv"
    run = cli(path, db=fresh_db)
    assert run.returncode == 0
    assert "0 inserted, 0 updated, 112 unchanged. Nothing changed." in run.stdout


DIRECTIONS = "event_id,ons_code,event_date,kind,summary,source\n"


def test_council_rows_are_imported_only_for_the_councils_of_the_persons_programmes(fresh_db):
    own = DIRECTIONS + "wsx-sd-90,E10000032,2024-05-01,statutory direction issued,A direction to West Sussex,illustrative\n"
    validation, result = import_upload("directions.csv", own.encode(), actor=OFFICER, db=fresh_db)
    assert validation.ok and result.inserted == 1, validation.problems
    other = DIRECTIONS + "hants-sd-90,E10000014,2024-05-01,statutory direction issued,A direction to Hampshire,illustrative\n"
    validation, result = import_upload("directions.csv", other.encode(), actor=OFFICER, db=fresh_db)
    assert result is None
    assert [(p.row, p.column, p.value) for p in validation.problems] == [(2, "ons_code", "E10000014")]
    assert "Hampshire (E10000014), which is not a party to any programme" in validation.problems[0].message
    # An indicator with no programme is its council's: the same rule.
    head = "indicator_id,ons_code,programme_id,indicator_name,purpose,unit,improvement,source\n"
    for code, ok in (("E10000032", True), ("E10000014", False)):
        text = head + f"x-{code},{code},,Agency social workers,no_detriment,%,decrease,illustrative\n"
        validation, result = import_upload("indicator.csv", text.encode(), actor=OFFICER, db=fresh_db)
        assert validation.ok is ok, validation.problems
        if not ok:
            assert validation.problems[0].column == "ons_code" and "Hampshire" in validation.problems[0].message


# --- Quarterly reports through the import ----------------------------------------------------

def test_an_imported_correction_keeps_the_pages_rules(fresh_db):
    head = "report_id,programme_id,quarter_label,reporting_date,version,corrects_report_id,author,status,source\n"
    good = head + "hws-2023-Q2-v2,hampshire-west-sussex,2023-Q2,2023-06-30,2,hws-2023-Q2-v1,Admin,draft,001 para 9\n"
    commissioner = Actor("commissioner@example.gov.uk", "C", "commissioner", frozenset({"hampshire-west-sussex"}))
    validation, result = import_upload("report.csv", good.encode(), actor=commissioner, db=fresh_db)
    assert validation.ok and result.inserted == 1, validation.problems
    submitted = good.replace("v2,", "v3,").replace(",2,hws", ",3,hws").replace(",draft,", ",submitted,")
    validation = validate_upload("report.csv", submitted.encode(), actor=ADMIN, db=fresh_db)
    assert [(p.row, p.column) for p in validation.problems][:1] == [(2, "status")]
    assert "arrive already submitted" in validation.problems[0].message


def test_every_row_breaking_a_data_rule_is_named_at_its_own_line(fresh_db):
    # 3,000 snapshots reported before their programme began: each problem names its own line and
    # column (the rows are found by their values once, not by reading every row per violation).
    head = "milestone_id,reporting_date,status,forecast_due_date,source\n"
    days = [dt.date(1980, 1, 1) + dt.timedelta(days=n) for n in range(3000)]
    text = head + "".join(f"bsh-m01,{d},on track,,illustrative\n" for d in days)
    validation = validate_upload("early.csv", text.encode(), actor=SYSTEM, db=fresh_db)
    early = [p for p in validation.problems if "snapshot_within_programme_dates" in p.message]
    assert sorted(p.row for p in early) == list(range(2, 3002))
    assert {p.column for p in early} == {"reporting_date"}
    assert all(p.value == str(days[p.row - 2]) for p in early)
    assert scalar(fresh_db, "SELECT count(*) FROM milestone_snapshot WHERE reporting_date < DATE '2000-01-01'") == 0


# --- A full disk, on the command line ----------------------------------------------------------

@contextlib.contextmanager
def small_disk(folder, size: int):
    """A filesystem of `size` bytes at `folder` (tmpfs, when this process may mount one), and a
    function limiting a child process's files to that size otherwise (RLIMIT_FSIZE: writes past it
    fail as on a full disk)."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True).returncode == 0

    def limit():
        if not mounted:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    try:
        yield limit
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=True)


@duckdb_only
def test_a_full_disk_is_one_line_on_the_command_line_and_writes_nothing(fresh_db, tmp_path):
    queries.db.close(fresh_db)
    before = table_checksums(fresh_db)
    queries.db.close(fresh_db)
    big = tmp_path / "snapshots.csv"
    start = dt.date(2031, 1, 1)
    big.write_text(HEAD + "\n" + "".join(f"ews-m01,{start + dt.timedelta(days=i)},on track,,illustrative (quarterly return {'x' * 60} illustrative)\n"
                                         for i in range(120_000)))
    with small_disk(tmp_path / "disk", fresh_db.stat().st_size + 1024 * 1024) as limit:
        db = tmp_path / "disk" / "monitor.duckdb"
        shutil.copy(fresh_db, db)
        run = subprocess.run([sys.executable, "-m", "queries.import_cli", str(big), "--db", str(db)], cwd=ROOT,
                             capture_output=True, text=True, timeout=300, preexec_fn=limit)
        kept = tmp_path / "after.duckdb"
        shutil.copy(db, kept)
        if db.with_name("monitor.duckdb.wal").exists():
            shutil.copy(db.with_name("monitor.duckdb.wal"), tmp_path / "after.duckdb.wal")
    assert run.returncode == 1, run.stdout
    assert "Traceback" not in run.stderr and "During handling" not in run.stderr
    first = run.stderr.splitlines()[0]
    assert first.startswith("snapshots.csv:-:-: ") and ("No space left" in first or "File too large" in first), first
    after = table_checksums(kept)
    queries.db.close(kept)
    assert after == before  # wholly the old database
