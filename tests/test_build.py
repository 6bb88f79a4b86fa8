"""`make db`: the database is built from the schema and the real files, atomically."""
import pytest

from queries import build as build_module
from tests.dbutil import fetch, scalar as count


def test_built_database_holds_real_and_demo_data(built_db):
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


def test_suppressed_years_are_gaps_with_the_marker_kept(built_db):
    row = fetch(built_db,
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
