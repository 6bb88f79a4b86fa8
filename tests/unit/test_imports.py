"""Pure pieces of the Data page's imports: catalogue → rules, reading files, parsing cells,
templates, the change log's wording, the editor's diff and conflicts."""
import datetime as dt
import decimal
import io
import json

import openpyxl
import pandas as pd
import pytest

from monitor.imports import changelog, edits, reading, templates
from monitor.imports.spec import Check, Column, infer_table, parse_type, specs_from_catalogue
from monitor.imports.validate import describe_check, parse_cell, parse_sheet, text_of

COLUMNS = pd.DataFrame([
    ("thing", "thing_id", 1, "VARCHAR", "NO", None), ("thing", "status", 2, "ENUM('open', 'it''s shut')", "NO", None),
    ("thing", "due_date", 3, "DATE", "YES", None), ("thing", "amount_gbp", 4, "DECIMAL(14,2)", "YES", None),
    ("thing", "is_live", 5, "BOOLEAN", "NO", "false"), ("thing", "row_version", 6, "INTEGER", "NO", "1"),
    ("part", "thing_id", 1, "VARCHAR", "NO", None), ("part", "n", 2, "INTEGER", "NO", None),
], columns=["table_name", "column_name", "ordinal_position", "data_type", "is_nullable", "column_default"])
CONSTRAINTS = pd.DataFrame([
    ("thing", "PRIMARY KEY", ["thing_id"], None, None, []),
    ("thing", "CHECK", ["amount_gbp"], "(amount_gbp >= 0)", None, []),
    ("part", "PRIMARY KEY", ["thing_id", "n"], None, None, []),
    ("part", "FOREIGN KEY", ["thing_id"], None, "thing", ["thing_id"]),
], columns=["table_name", "constraint_type", "constraint_column_names", "expression", "referenced_table",
            "referenced_column_names"])
SPECS = specs_from_catalogue(COLUMNS, CONSTRAINTS)


def test_specs_from_catalogue():
    thing = SPECS["thing"]
    assert thing.key == ("thing_id",)
    assert thing.column("status").allowed == ("open", "it's shut")
    assert thing.column("amount_gbp").scale == 2 and thing.column("amount_gbp").kind == "decimal"
    assert not thing.column("is_live").required  # it has a default
    assert [c.name for c in thing.importable][-1] == "is_live"  # row_version is the database's
    assert SPECS["part"].foreign_keys[0].table == "thing"
    assert thing.checks[0].expression == "(amount_gbp >= 0)"


def test_parse_type():
    assert parse_type("BIGINT")["kind"] == "integer"
    assert parse_type("TIMESTAMP")["kind"] == "timestamp"
    assert parse_type("DOUBLE")["kind"] == "number"


def test_infer_table_from_headers():
    assert infer_table(["thing_id", "status"], SPECS, ("thing", "part")) == ("thing", "")
    assert infer_table(["thing_id", "n"], SPECS, ("thing", "part"))[0] == "part"
    assert infer_table(["colour"], SPECS, ("thing", "part"))[0] is None


@pytest.mark.parametrize("column,text,value", [
    (Column("d", "DATE", "date", True, False), "2024-02-29", dt.date(2024, 2, 29)),
    (Column("d", "DATE", "date", True, False), "29/02/2024", dt.date(2024, 2, 29)),
    (Column("d", "DATE", "date", True, False), "2024-02-29 00:00:00", dt.date(2024, 2, 29)),
    (Column("m", "DECIMAL(14,2)", "decimal", True, False, precision=14, scale=2), "12.5", decimal.Decimal("12.50")),
    (Column("b", "BOOLEAN", "boolean", True, False), "Yes", True),
    (Column("e", "ENUM", "enum", True, False, allowed=("on track",)), "On Track", "on track"),
    (Column("n", "DOUBLE", "number", True, False), "1e3", 1000.0),
    (Column("i", "INTEGER", "integer", True, False, bounds=(-10, 10)), "-3", -3),
    (Column("t", "VARCHAR", "text", True, False), "", None),
])
def test_parse_cell_accepts(column, text, value):
    assert parse_cell(column, text) == (value, None)


@pytest.mark.parametrize("column,text,words", [
    (Column("d", "DATE", "date", True, False), "2024-02-30", "expected a date"),
    (Column("m", "DECIMAL(14,2)", "decimal", True, False, precision=14, scale=2), "£1,000", "no £"),
    (Column("m", "DECIMAL(14,2)", "decimal", True, False, precision=14, scale=2), "1.234", "2 decimal places"),
    (Column("n", "DOUBLE", "number", True, False), "c", "suppression marker"),
    (Column("n", "DOUBLE", "number", True, False), "nan", "finite"),
    (Column("i", "INTEGER", "integer", True, False, bounds=(-10, 10)), "11", "too large"),
    (Column("e", "ENUM", "enum", True, False, allowed=("a", "b")), "c", "one of: a, b"),
])
def test_parse_cell_refuses(column, text, words):
    value, problem = parse_cell(column, text)
    assert value is None and words in problem


def test_describe_check():
    assert describe_check(Check(("x",), "(planned_gbp >= 0)")) == "planned_gbp cannot be negative"
    assert describe_check(Check(("x",), "((likelihood >= 1) AND (likelihood <= 5))")) == \
        "likelihood must be at least 1 and at most 5"
    # A rule with no wording names its columns, never its SQL.
    assert describe_check(Check(("email",), "(email LIKE '%@%')")) == \
        "email must keep a rule of the database that has no wording yet"
    assert "between 1 and 5" in describe_check(Check(("x",), "(impact BETWEEN 1 AND 5)"))


def test_read_csv_with_bom_crlf_blank_lines_and_neutralised_cells():
    data = "\ufeffthing_id,status\r\n'=SUM(A1),open\r\n\r\nb,open\r\n".encode("utf-8")
    sheet, problems = reading.read_upload("x.csv", data)
    assert not problems and sheet.headers == ["thing_id", "status"]
    assert sheet.rows == [["=SUM(A1)", "open"], ["b", "open"]] and sheet.numbers == [2, 4]


def test_read_xlsx_data_sheet_with_typed_cells():
    book = openpyxl.Workbook()
    book.active.title = "columns"
    ws = book.create_sheet("data")
    ws.append(["thing_id", "due_date", "amount_gbp", "is_live"])
    ws.append(["a", dt.datetime(2024, 3, 1), 1500.0, True])
    out = io.BytesIO()
    book.save(out)
    sheet, problems = reading.read_upload("x.xlsx", out.getvalue())
    assert not problems and sheet.sheet == "data"
    assert sheet.rows == [["a", "2024-03-01", "1500", "true"]]


def test_parse_sheet_reports_headers_before_cells():
    sheet = reading.Sheet("f.csv", ["thing_id", "colour"], [["a", "red"]], [2])
    parsed = parse_sheet(sheet, SPECS["thing"])
    assert [(p.row, p.column) for p in parsed.problems] == [(1, "colour"), (1, "status")]
    assert not parsed.records


def test_templates_round_trip_and_neutralise(tmp_path):
    spec = SPECS["thing"]
    examples = pd.DataFrame([{"thing_id": "=cmd|' /C calc'!A0", "status": "open", "due_date": dt.date(2024, 1, 2),
                              "amount_gbp": decimal.Decimal("10.50"), "is_live": True}])
    csv_text = templates.template_csv(spec, examples).decode("utf-8-sig")
    assert "'=cmd" in csv_text and "2024-01-02" in csv_text
    book = openpyxl.load_workbook(io.BytesIO(templates.template_xlsx(spec, examples)))
    assert book.sheetnames == ["data", "columns", "lists"] and book["lists"].sheet_state == "hidden"
    data = list(book["data"].iter_rows(values_only=True))
    assert data[0] == ("thing_id", "status", "due_date", "amount_gbp", "is_live")
    assert data[1][0].startswith("'=") and len(data) == 2  # header + the one real example given
    about = list(book["columns"].iter_rows(values_only=True))
    status = next(r for r in about if r[0] == "status")
    assert "it's shut" in status[3] and status[2] == "required"
    # Read back, the neutralised cell is the original value again.
    sheet, problems = reading.read_upload("t.xlsx", templates.template_xlsx(spec, examples))
    assert not problems and sheet.rows[0][0] == "=cmd|' /C calc'!A0"


def test_change_log_wording():
    before = json.dumps({"owner": "A", "status": "on track", "row_version": 1})
    after = json.dumps({"owner": "B", "status": "on track", "row_version": 2})
    assert changelog.changed_fields(before, after) == "owner: A → B"
    assert changelog.changed_fields(None, after) == "new row"
    table = changelog.side_by_side(before, after)
    assert table[table["Field"] == "owner"][["Before", "After", "Changed"]].values.tolist() == [["A", "B", "yes"]]
    log = pd.DataFrame([{"change_id": 7, "changed_at": pd.Timestamp("2026-02-03 10:15"), "changed_by": "x@y",
                         "table_name": "milestone", "row_key": '{"milestone_id": "m1"}', "action": "update",
                         "before_json": before, "after_json": after, "note": "import of f.csv"}])
    row = changelog.describe_log(log).iloc[0]
    assert (row["When"], row["Row"], row["What changed"]) == ("3 Feb 2026 10:15", "m1", "owner: A → B")


def test_editor_sheet_deletes_and_conflicts():
    spec = SPECS["thing"]
    base = pd.DataFrame([{"thing_id": "a", "status": "open", "due_date": dt.date(2024, 1, 1), "amount_gbp": 1.0,
                          "is_live": False, "row_version": 3}])
    state = {"edited_rows": {0: {"status": "it's shut"}}, "added_rows": [{"thing_id": "b", "status": "open"}],
             "deleted_rows": [0]}
    sheet, origins = edits.editor_sheet(spec, base, state)
    assert origins == [0, -1] and sheet.numbers == [2, 3]
    assert sheet.rows[0][:3] == ["a", "it's shut", "2024-01-01"]
    assert edits.deleted_keys(spec, base, state) == [({"thing_id": "a"}, 3)]
    opened = base.to_dict("records")
    same = {("a",): {**opened[0], "amount_gbp": decimal.Decimal("1.0")}}
    assert edits.conflicts(spec, opened, same) == []
    theirs = {("a",): {**opened[0], "status": "it's shut", "row_version": 4}}
    [message] = edits.conflicts(spec, opened, theirs)
    assert "changed by someone else" in message and "status = it's shut" in message
    assert "deleted by someone else" in edits.conflicts(spec, opened, {})[0]
    assert text_of(dt.date(2024, 1, 1)) == "2024-01-01"
