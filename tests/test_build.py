"""`make db`: the database is built from the schema and the real files, atomically — a file, or the
data of a PostgreSQL database (loaded into a new schema that replaces the old in one transaction)."""
import psycopg
import pytest

from queries import build as build_module
from queries import transfer
from tests.dbutil import fetch, scalar as count


@pytest.mark.both_backends
def test_built_database_holds_real_and_demo_data(demo_db):
    built_db = demo_db
    assert count(built_db, "SELECT count(*) FROM programme") == 5
    assert count(built_db, "SELECT count(*) FROM authority WHERE is_childrens_services AND abolished_date IS NULL") == 153
    assert count(built_db, "SELECT count(*) FROM authority WHERE ons_code IN ('E07000188', 'E07000189') "
                           "AND abolished_date = DATE '2023-04-01'") == 2
    assert count(built_db, "SELECT count(*) FROM ofsted_inspection WHERE framework = 'ILACS'") >= 271
    assert count(built_db, "SELECT count(*) FROM ofsted_inspection WHERE framework <> 'ILACS'") > 300
    assert count(built_db, "SELECT count(*) FROM dfe_statistic WHERE suppression_marker IS NOT NULL") > 0
    # No-detriment indicators follow the real DfE series: Hampshire's re-referral rate in 2019.
    assert count(built_db, "SELECT v.value FROM indicator_value v JOIN indicator i USING (indicator_id) "
                           "WHERE i.ons_code = 'E10000014' AND i.dfe_measure = 'rereferral_percent' "
                           "AND v.period_end_date = DATE '2019-03-31'") == pytest.approx(29.1)
    assert count(built_db, "SELECT count(*) FROM data_source") >= 14


@pytest.mark.both_backends
def test_suppressed_years_are_gaps_with_the_marker_kept(demo_db):
    row = fetch(demo_db,
        "SELECT v.value, v.note FROM indicator_value v JOIN indicator i USING (indicator_id) "
        "WHERE i.ons_code = 'E10000014' AND i.dfe_measure = 'rereferral_percent' "
        "AND v.period_end_date = DATE '2024-03-31'").iloc[0]
    assert row.isna()["value"] and "'u'" in row["note"]


def test_interrupted_build_leaves_no_database_and_keeps_the_old_one(tmp_path, monkeypatch, built_db):
    target = tmp_path / "monitor.duckdb"
    target.write_bytes(built_db.read_bytes())
    before = target.read_bytes()

    def explode(*args, **kwargs):
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(build_module.official, "load_dfe_statistics", explode)
    with pytest.raises(KeyboardInterrupt):
        build_module.build(target, log=lambda *_: None)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["monitor.duckdb"]


def test_build_cli_if_missing_does_not_rebuild(tmp_path, capsys, built_db):
    target = tmp_path / "monitor.duckdb"
    target.write_bytes(b"placeholder")
    assert build_module.main(["--db", str(target), "--if-missing"]) == 0
    assert target.read_bytes() == b"placeholder"


def schemas(url) -> list[str]:
    with psycopg.connect(url) as c:
        return [r[0] for r in c.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'monitor%' ORDER BY 1")]


def programme_name(url) -> str:
    with psycopg.connect(url) as c:
        return c.execute("SELECT programme_name FROM monitor.programme WHERE programme_id = 'east-west-sussex'").fetchone()[0]


def test_on_postgresql_a_failed_build_leaves_the_previous_data(postgres_server, built_db, monkeypatch, capsys):
    url = postgres_server.create_database("monitor_rebuilt")
    transfer.replace_postgres(url, built_db)
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("UPDATE monitor.programme SET programme_name = 'As it was' WHERE programme_id = 'east-west-sussex'")
        version = c.execute("SELECT data_version FROM monitor.data_version").fetchone()[0]

    def explode(*args, **kwargs):
        raise KeyboardInterrupt("power cut")

    with monkeypatch.context() as m:  # stopped while reading the files
        m.setattr(build_module.official, "load_dfe_statistics", explode)
        with pytest.raises(KeyboardInterrupt):
            build_module.build(url, log=lambda *_: None)
    copy_in = transfer._copy_in

    def refused_half_way(src, con, table, tmp):
        copy_in(src, con, table, tmp)
        if table == "programme":
            raise psycopg.errors.CheckViolation("a row PostgreSQL refuses")

    with monkeypatch.context() as m:  # stopped while loading PostgreSQL, some tables already in
        m.setattr(transfer, "_copy_in", refused_half_way)
        assert build_module.main(["--db", url]) == 1
        assert "previous data are as they were" in capsys.readouterr().err
    assert programme_name(url) == "As it was"
    assert schemas(url) == ["monitor"]  # no half-built schema left behind
    assert build_module.main(["--db", url]) == 0
    assert programme_name(url) != "As it was"
    assert schemas(url) == ["monitor"]
    with psycopg.connect(url) as c:  # every replica's cached pages refresh
        assert c.execute("SELECT data_version FROM monitor.data_version").fetchone()[0] > version
