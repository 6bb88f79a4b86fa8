"""The import templates as an officer gets them, on the real database: every rule of data/schema.sql
said in English, every workbook with drop-downs on every list and true/false column, dates typed as
dates, the header frozen, and example rows that import with no problem through the real import —
for every programme's officer, and with `make templates`."""
import datetime as dt
import io
import re
import subprocess

import openpyxl
import pytest

from monitor.imports import templates
from monitor.imports.spec import IMPORT_TABLES
from monitor.imports.wording import check_sentence
from monitor.permissions import PROGRAMME_TABLES, REPORT_TABLE, SYSTEM, Actor
from queries.db import ROOT
from queries.imports import example_rows, run_import, table_specs, validate_upload
from queries.write import Change, write
from tests.dbutil import fetch

PROGRAMMES = ["east-west-sussex", "hampshire-west-sussex", "essex-braintree-brentwood", "breckland-south-holland",
              "south-somerset-sedgemoor"]
# Words of SQL that must never reach a person: the rules sheet, the prompts, the problems.
SQL = re.compile(r"\bIS (NOT )?NULL\b|(?i:regexp)|\bCAST\b|(?i:substr)|::|%|>=|<=|!=|<>|\[0-9\]|\{\d|\bAND\b|"
                 r"\bOR\b|\bNOT\b|breaks the rule|no wording yet")


def officer(programme: str) -> Actor:
    return Actor(f"officer.{programme}@example.gov.uk", "Officer", "programme officer", frozenset({programme}))


def test_every_rule_of_the_schema_reads_in_english(demo_db):
    specs = table_specs(demo_db)
    checks = [(name, check, {c.name: c.kind for c in spec.columns}) for name, spec in specs.items()
              for check in spec.checks]
    # Every CHECK written in data/schema.sql is in the catalogue, and so here.
    assert len(checks) == (ROOT / "data" / "schema.sql").read_text().count("CHECK (") > 40
    for table, check, kinds in checks:
        words = check_sentence(check, kinds)
        assert not SQL.search(words), f"{table}: {check.expression} -> {words}"
        for column in check.columns:
            assert column in words, f"{table}: {words} does not name {column}"


def workbook(spec, examples):
    return openpyxl.load_workbook(io.BytesIO(templates.template_xlsx(spec, examples)))


def validations(sheet) -> dict[str, object]:
    """{column letter: its data validation} (each covers its column from row 2 down)."""
    out = {}
    for check in sheet.data_validations.dataValidation:
        for cells in check.sqref.ranges:
            assert cells.min_row == 2 and cells.max_row == templates.LAST_ROW and cells.min_col == cells.max_col
            out[openpyxl.utils.get_column_letter(cells.min_col)] = check
    return out


def list_values(book, formula: str) -> list[str]:
    sheet, cells = formula.split("!")
    return [c.value for row in book[sheet][cells.replace("$", "")] for c in row]


@pytest.mark.parametrize("programmes", [None, "essex-braintree-brentwood"])
def test_every_template_has_drop_downs_dates_and_a_frozen_header(demo_db, programmes):
    specs = table_specs(demo_db)
    for table in IMPORT_TABLES:
        spec = specs[table]
        examples = example_rows(table, {programmes} if programmes else None, demo_db)
        book = workbook(spec, examples)
        data = book["data"]
        assert data.freeze_panes == "A2", table
        assert [c.value for c in data[1]] == [c.name for c in spec.importable]
        assert data.max_row == 1 + len(examples) and len(examples) >= 1, table
        checks = validations(data)
        for i, column in enumerate(spec.importable, start=1):
            letter = openpyxl.utils.get_column_letter(i)
            check = checks[letter]
            assert check.showInputMessage and check.prompt, (table, column.name)
            assert not SQL.search(check.prompt), check.prompt
            if column.kind in ("enum", "boolean"):
                assert check.type == "list", (table, column.name)
                allowed = list(column.allowed) if column.kind == "enum" else ["TRUE", "FALSE"]
                assert list_values(book, check.formula1) == allowed
                assert check.showErrorMessage
            if column.kind == "date":
                assert check.type == "date"
            cells = [data.cell(row=r, column=i) for r in range(2, data.max_row + 1)]
            for cell in cells:
                if cell.value is None:
                    continue
                if column.kind == "date":
                    assert cell.is_date and isinstance(cell.value, dt.datetime) and cell.number_format == "yyyy-mm-dd"
                elif column.kind == "boolean":
                    assert cell.value in (True, False)  # TRUE / FALSE in Excel, never 1
                elif column.kind in ("integer", "decimal", "number"):
                    assert isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)
        assert book["lists"].sheet_state == "hidden"
        rules = [" ".join(str(v) for v in row if v) for row in book["columns"].iter_rows(min_row=2, values_only=True)]
        assert any(r.startswith("Each row needs its own") for r in rules)
        for text in rules:
            assert not SQL.search(text), f"{table}: {text}"


def test_the_rules_sheet_says_each_rule_in_words(demo_db):
    specs = table_specs(demo_db)
    described = templates.describe_columns(specs["risk"]).set_index("column")
    assert described.loc["closed_date", "rules"] == ('closed_date must be given when status is "closed", and left empty '
                                                    "otherwise; when closed_date is given, it must be on or after "
                                                    "raised_date")
    assert described.loc["likelihood", "rules"] == "likelihood must be between 1 and 5"
    assert described.loc["programme_id", "must match"] == ("programme_id must be the programme_id of a programme "
                                                          "already in the dashboard (add the programme first)")
    saving = templates.describe_columns(specs["saving"]).set_index("column")
    assert "the second year in financial_year must be the year after the first" in saving.loc["financial_year", "rules"]
    assert saving.loc["is_cashable", "allowed values"] == "TRUE, FALSE"


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_example_rows_import_cleanly_for_each_programmes_officer(fresh_db, programme):
    """Every template as the officer downloads it (all at once, before importing any), imported in the
    order of the table list: no problem in any, and rows of tables the officer does not maintain are
    the database's own, unchanged."""
    specs = table_specs(fresh_db)
    actor = officer(programme)
    # The officer is registered (the write layer reads every person from app_user at each write).
    write([Change("app_user", "insert", {"email": actor.email}, {"display_name": actor.display_name,
                                                                  "role": actor.role}),
           Change("app_user_programme", "insert", {"email": actor.email, "programme_id": programme})], actor=SYSTEM)
    made = {t: example_rows(t, {programme}, fresh_db) for t in IMPORT_TABLES}
    files = {t: templates.template_xlsx(specs[t], made[t]) for t in IMPORT_TABLES}
    inserted = 0
    for table in IMPORT_TABLES:
        validation = validate_upload(f"{table}.xlsx", files[table], actor=actor, db=fresh_db)
        assert validation.ok, (table, [p.message for p in validation.problems])
        assert validation.table == table
        counts = validation.counts()
        assert sum(counts.values()) == len(made[table]) >= 1
        if table not in PROGRAMME_TABLES or table == REPORT_TABLE:
            assert counts["insert"] == counts["update"] == 0, table
        done = run_import(validation, actor=actor, db=fresh_db)
        assert done.updated == 0
        inserted += done.inserted
    # What was made for the programme is marked as illustrative examples.
    log = fetch(fresh_db, "SELECT after_json FROM change_log WHERE action = 'insert' "
                          "AND table_name NOT IN ('app_user', 'app_user_programme')")
    assert len(log) == inserted
    assert all('"source": "illustrative"' in row for row in log["after_json"])


def test_csv_template_imports_cleanly_and_says_true_false(fresh_db):
    specs = table_specs(fresh_db)
    data = templates.template_csv(specs["saving"], example_rows("saving", {"east-west-sussex"}, fresh_db))
    header, first = data.decode("utf-8-sig").splitlines()[:2]
    assert ",TRUE," in first or ",FALSE," in first
    validation = validate_upload("saving.csv", data, actor=officer("east-west-sussex"), db=fresh_db)
    assert validation.ok and validation.counts()["unchanged"] == 2


def test_administrators_templates_are_real_rows_left_unchanged(demo_db):
    specs = table_specs(demo_db)
    for table in IMPORT_TABLES:
        data = templates.template_xlsx(specs[table], example_rows(table, None, demo_db))
        validation = validate_upload(f"{table}.xlsx", data, actor=SYSTEM, db=demo_db)
        assert validation.ok, (table, validation.problems)
        assert validation.counts()["insert"] == validation.counts()["update"] == 0, table


def test_make_templates_writes_every_template(fresh_db, tmp_path):
    from queries.db import close

    close(fresh_db)  # the command line opens the file itself
    out = tmp_path / "templates"
    done = subprocess.run(["make", "-s", "-o", ".venv/.runtime", "templates", f"OUT={out}", f"DB={fresh_db}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}{s}" for t in IMPORT_TABLES for s in (".xlsx", ".csv"))
    book = openpyxl.load_workbook(out / "milestone.xlsx")
    assert book.sheetnames == ["data", "columns", "lists"] and book["data"].freeze_panes == "A2"
    assert f"Wrote {2 * len(IMPORT_TABLES)} files" in done.stdout
    wrong = subprocess.run(["make", "-s", "-o", ".venv/.runtime", "templates", f"OUT={out}", f"DB={fresh_db}",
                            "PROGRAMME=nowhere"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert wrong.returncode != 0 and "there is no programme 'nowhere'" in wrong.stderr
    usage = subprocess.run(["make", "-s", "-o", ".venv/.runtime", "templates"], cwd=ROOT, capture_output=True,
                           text=True, timeout=300)
    assert usage.returncode != 0 and "usage: make templates OUT=dir" in usage.stderr
