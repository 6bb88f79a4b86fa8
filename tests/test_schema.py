"""The schema's constraints are enforced by DuckDB itself: each kind of bad row is refused."""
from pathlib import Path

import duckdb
import pytest

SCHEMA = Path(__file__).resolve().parent.parent / "data" / "schema.sql"


@pytest.fixture
def con():
    c = duckdb.connect()
    c.execute(SCHEMA.read_text())
    c.execute("INSERT INTO authority (ons_code, dfe_code, authority_name, tier, is_childrens_services, source) "
              "VALUES ('E10000032', '938', 'West Sussex', 'county', true, 't'), "
              "('E10000011', '845', 'East Sussex', 'county', true, 't')")
    c.execute("INSERT INTO programme (programme_id, programme_name, kind, start_date, status, summary, source) "
              "VALUES ('p', 'P', 'DfE commission', DATE '2020-01-01', 'active', 's', 't')")
    c.execute("INSERT INTO workstream (workstream_id, programme_id, workstream_name, is_primary, source) "
              "VALUES ('w', 'p', 'W', true, 't')")
    yield c
    c.close()


MILESTONE = ("INSERT INTO milestone (milestone_id, programme_id, workstream_id, milestone_title, owner, "
             "baseline_due_date, status, completed_date, source) VALUES ")

REFUSED = {
    "primary key": "INSERT INTO authority (ons_code, authority_name, tier, is_childrens_services, source) "
                   "VALUES ('E10000032', 'again', 'county', true, 't')",
    "foreign key": "INSERT INTO programme_party (programme_id, ons_code, role, source) VALUES ('p', 'E99999999', 'partner', 't')",
    "not null": "INSERT INTO programme (programme_id, programme_name, kind, start_date, status, summary, source) "
                "VALUES ('q', NULL, 'DfE commission', DATE '2020-01-01', 'active', 's', 't')",
    "enum": MILESTONE + "('m', 'p', 'w', 't', 'o', DATE '2020-02-01', 'nearly done', NULL, 't')",
    "check: complete needs a completed date": MILESTONE + "('m', 'p', 'w', 't', 'o', DATE '2020-02-01', 'complete', NULL, 't')",
    "check: ONS code shape": "INSERT INTO authority (ons_code, authority_name, tier, is_childrens_services, source) "
                             "VALUES ('938', 'x', 'county', true, 't')",
    "check: financial year": "INSERT INTO saving (saving_id, programme_id, ons_code, financial_year, category, "
                             "is_cashable, is_recurring, planned_gbp, source) "
                             "VALUES ('s', 'p', 'E10000032', '2020/22', 'c', true, true, 1, 't')",
    "check: negative money": "INSERT INTO saving (saving_id, programme_id, ons_code, financial_year, category, "
                             "is_cashable, is_recurring, planned_gbp, source) "
                             "VALUES ('s', 'p', 'E10000032', '2020/21', 'c', true, true, -5, 't')",
    "check: likelihood 1-5": "INSERT INTO risk (risk_id, programme_id, description, category, owner, inherent_likelihood, "
                             "inherent_impact, likelihood, impact, target_likelihood, target_impact, status, raised_date, source) "
                             "VALUES ('r', 'p', 'd', 'c', 'o', 6, 1, 1, 1, 1, 1, 'open', DATE '2020-01-01', 't')",
    "check: submitted report needs figures": "INSERT INTO commissioner_report (report_id, programme_id, quarter_label, "
                             "reporting_date, author, status, submitted_at, source) VALUES ('r', 'p', '2020-Q1', "
                             "DATE '2020-03-31', 'a', 'submitted', TIMESTAMP '2020-04-01 10:00:00', 't')",
    "check: closed programme needs an end": "INSERT INTO programme (programme_id, programme_name, kind, start_date, "
                             "status, summary, source) VALUES ('q', 'Q', 'DfE commission', DATE '2020-01-01', 'closed', 's', 't')",
    "check: grade wording": "INSERT INTO ofsted_framework_version (framework_version, framework, title, status, source) "
                            "VALUES ('ILACS 2018', 'ILACS', 't', 'superseded', 't'); "
                            "INSERT INTO ofsted_inspection (inspection_id, ons_code, framework, framework_version, inspection_type, "
                            "kind, inspection_date, source) VALUES ('i', 'E10000032', 'ILACS', 'ILACS 2018', 'x', 'full inspection', "
                            "DATE '2019-02-25', 't'); "
                            "INSERT INTO ofsted_judgement VALUES ('i', 'Overall effectiveness', 'Adequate', 't')",
}


@pytest.mark.parametrize("sql", REFUSED.values(), ids=REFUSED.keys())
def test_duckdb_refuses(con, sql):
    with pytest.raises(duckdb.Error):
        con.execute(sql)


def test_a_good_milestone_is_accepted(con):
    con.execute(MILESTONE + "('m', 'p', 'w', 't', 'o', DATE '2020-02-01', 'complete', DATE '2020-01-30', 't')")
    assert con.execute("SELECT count(*) FROM milestone").fetchone()[0] == 1


def test_schema_version_recorded(con):
    assert con.execute("SELECT max(schema_version) FROM schema_version").fetchone()[0] == 1
