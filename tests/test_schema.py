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


# --- PostgreSQL enforces the same data model ---------------------------------------------------------

@pytest.fixture
def pg(postgres_server):
    """data/schema.sql on PostgreSQL (as queries.schema runs it), in a transaction rolled back after."""
    import psycopg

    from queries.schema import postgres_statements

    with psycopg.connect(postgres_server.url(), autocommit=False) as c:
        c.execute("CREATE SCHEMA monitor")
        c.execute("SET LOCAL search_path TO monitor")
        for statement in postgres_statements():
            c.execute(statement)
        c.execute("INSERT INTO authority (ons_code, dfe_code, authority_name, tier, is_childrens_services, source) "
                  "VALUES ('E10000032', '938', 'West Sussex', 'county', true, 't'), "
                  "('E10000011', '845', 'East Sussex', 'county', true, 't')")
        c.execute("INSERT INTO programme (programme_id, programme_name, kind, start_date, status, summary, source) "
                  "VALUES ('p', 'P', 'DfE commission', DATE '2020-01-01', 'active', 's', 't')")
        c.execute("INSERT INTO workstream (workstream_id, programme_id, workstream_name, is_primary, source) "
                  "VALUES ('w', 'p', 'W', true, 't')")
        yield c
        c.rollback()


@pytest.mark.parametrize("sql", REFUSED.values(), ids=REFUSED.keys())
def test_postgresql_refuses(pg, sql):
    import psycopg

    with pytest.raises(psycopg.Error):
        pg.execute(sql)


def test_postgresql_accepts_a_good_milestone(pg):
    pg.execute(MILESTONE + "('m', 'p', 'w', 't', 'o', DATE '2020-02-01', 'complete', DATE '2020-01-30', 't')")
    assert pg.execute("SELECT count(*) FROM milestone").fetchone()[0] == 1
    assert pg.execute("SELECT max(schema_version) FROM schema_version").fetchone()[0] == 1


# DuckDB's type names and PostgreSQL's for the same columns.
TYPES = {"VARCHAR": "CHARACTER VARYING", "INTEGER": "INTEGER", "BIGINT": "BIGINT", "DOUBLE": "DOUBLE PRECISION",
         "DATE": "DATE", "TIMESTAMP": "TIMESTAMP WITHOUT TIME ZONE", "BOOLEAN": "BOOLEAN"}


def model(db) -> dict:
    """Every table's columns (type, NOT NULL, default), keys, unique rules, foreign keys, the columns of
    each CHECK, and every enum's values: the data model as the database holds it."""
    from queries import catalog
    from queries.db import connect, dialect

    out = {}
    with connect(db).cursor() as cur:
        postgres = dialect(cur) == "postgres"
        enums = {}
        if postgres:
            for name, labels in cur.execute(
                    "SELECT t.typname::text, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_type t "
                    "JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace "
                    "AND n.nspname = current_schema() GROUP BY t.typname").fetchall():
                enums[name] = list(labels)
            checks = cur.execute(
                "SELECT r.relname::text, array_agg(a.attname::text ORDER BY a.attname) FROM pg_constraint c "
                "JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace "
                "AND n.nspname = current_schema() CROSS JOIN LATERAL unnest(c.conkey) AS k(attnum) "
                "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum "
                "WHERE c.contype = 'c' GROUP BY c.oid, r.relname").fetchall()
            nullable = cur.execute("SELECT table_name, column_name, is_nullable FROM information_schema.columns "
                                   "WHERE table_schema = current_schema()").fetchall()
        else:
            for name, labels in cur.execute("SELECT type_name, labels FROM duckdb_types() WHERE logical_type = 'ENUM' AND NOT internal "
                                            "AND schema_name = current_schema()").fetchall():
                enums[name] = list(labels)
            checks = cur.execute("SELECT table_name, list_sort(list_distinct(constraint_column_names)) FROM duckdb_constraints() "
                                 "WHERE constraint_type = 'CHECK' AND schema_name = current_schema()").fetchall()
            nullable = cur.execute("SELECT table_name, column_name, is_nullable FROM information_schema.columns "
                                   "WHERE table_schema = current_schema()").fetchall()
        not_null = {(t, c) for t, c, n in nullable if n == "NO"}
        fks = catalog.foreign_keys(cur)
        for table in catalog.tables(cur):
            types = catalog.column_types(cur, table)
            columns = []
            for column in catalog.columns(cur, table):
                dtype, default = types[column]
                if dtype.startswith("ENUM:"):
                    dtype = enums[dtype[5:]]
                elif dtype.startswith("ENUM("):
                    dtype = [v.strip().strip("'") for v in dtype[5:-1].split(",")]
                elif postgres:
                    dtype = dtype.replace("NUMERIC", "DECIMAL")
                else:
                    dtype = TYPES.get(dtype, dtype)
                columns.append((column, dtype, (table, column) in not_null, default))
            out[table] = {"columns": columns, "keys": sorted(map(tuple, catalog.unique_keys(cur, table))),
                          "primary key": catalog.primary_key(cur, table),
                          "foreign keys": sorted((tuple(c), r, tuple(rc)) for t, c, r, rc in fks if t == table),
                          "checks": sorted(tuple(c) for t, c in checks if t == table)}
        out["enums"] = dict(sorted(enums.items()))
    return out


def test_postgresql_holds_every_constraint_of_the_schema(built_db, postgres_demo):
    duck, pg_model = model(built_db), model(postgres_demo)
    assert sorted(pg_model) == sorted(duck)
    for table in duck:
        assert pg_model[table] == duck[table], table
    assert sum(len(t["checks"]) for name, t in duck.items() if name != "enums") > 40
