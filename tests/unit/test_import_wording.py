"""The CHECK rules read as expressions, said in plain English, and kept by made example rows
(monitor.imports.expressions, patterns, wording, examples). Every rule of data/schema.sql: tests/test_templates.py."""
import datetime as dt

import pandas as pd
import pytest

from monitor.imports import examples
from monitor.imports.evaluation import holds
from monitor.imports.expressions import And, Col, ExpressionError, In, IsNull, Lit, Op, Or, parse
from monitor.imports.patterns import pattern_example
from monitor.imports.spec import Check, specs_from_catalogue
from monitor.imports.wording import check_sentence, key_sentence, pattern_words, reference_sentence


@pytest.mark.parametrize("sql, words", [
    ("(planned_gbp >= 0)", "planned_gbp cannot be negative"),
    ("(impact BETWEEN 1 AND 5)", "impact must be between 1 and 5"),
    ("((status = 'complete') = (completed_date IS NOT NULL))",
     'completed_date must be given when status is "complete", and left empty otherwise'),
    ("((closed_date IS NULL) OR (closed_date >= raised_date))",
     "when closed_date is given, it must be on or after raised_date"),
    ("((status != 'closed') OR (end_date IS NOT NULL))", 'when status is "closed", end_date must be given'),
    ("((inspection_date IS NOT NULL) OR (published_date IS NOT NULL))",
     "inspection_date or published_date (or both) must be given"),
    ("((published_date IS NULL) OR (inspection_date IS NULL) OR (published_date >= inspection_date))",
     "when published_date and inspection_date are both given, published_date must be on or after inspection_date"),
    ("((status = 'draft') OR ((submitted_by IS NOT NULL) AND (figures_json IS NOT NULL)))",
     'when status is not "draft", submitted_by and figures_json must be given'),
    ("((\"value\" IS NULL) = (suppression_marker IS NOT NULL))",
     "suppression_marker must be given when value is empty, and left empty otherwise"),
    ("(suppression_marker IN ('x', 'c'))", 'suppression_marker must be one of "x" or "c"'),
    ("regexp_full_match(ons_code, 'E[0-9]{8}')", 'ons_code must be written as "E", then 8 digits'),
    ("contains(email, '@')", 'email must contain "@"'),
    ("(neighbour_ons_code != ons_code)", "neighbour_ons_code must be different from ons_code"),
    ("(passage_text != '')", "passage_text cannot be empty"),
    ("((likelihood >= 1) AND (likelihood <= 5))", "likelihood must be at least 1 and at most 5"),
    ("(regexp_full_match(financial_year, '[0-9]{4}/[0-9]{2}') AND (((CAST(substr(financial_year, 1, 4) AS INTEGER)"
     " + 1) % 100) = CAST(substr(financial_year, 6, 2) AS INTEGER)))",
     'financial_year must be written as 4 digits, then "/", then 2 digits, and the second year in financial_year '
     "must be the year after the first (as in 2024/25)"),
    # The same rules as PostgreSQL's catalogue writes them.
    ("((status <> 'closed'::programme_status) OR (end_date IS NOT NULL))", 'when status is "closed", end_date must be given'),
    ("((ons_code)::text ~ '^E[0-9]{8}$'::text)", 'ons_code must be written as "E", then 8 digits'),
    ("((suppression_marker)::text = ANY ((ARRAY['x'::character varying, 'c'::character varying])::text[]))",
     'suppression_marker must be one of "x" or "c"'),
])
def test_rules_in_words(sql, words):
    assert check_sentence(Check(("x",), sql)) == words


def test_dates_read_as_dates_when_the_spec_says_so():
    rule = Check(("a", "b"), "((a IS NULL) OR (a >= b))")
    assert check_sentence(rule) == "when a is given, it must be at least b"
    assert check_sentence(rule, {"a": "date", "b": "date"}) == "when a is given, it must be on or after b"


@pytest.mark.parametrize("pattern, words", [
    ("[0-9]{4}-Q[1-4]", '4 digits, then "-Q", then a digit from 1 to 4'),
    ("[a-z0-9-]+", "one or more lower-case letters, digits or hyphens"),
    ("https://[^\\s\"'<>]+",
     '"https://", then one or more characters other than spaces, double quotes, apostrophes, "<" or ">"'),
    ("[0-9]+(\\.[0-9]+)*|rec [0-9]+|§[0-9]+",
     'one of: one or more digits, then any number of (".", then one or more digits); "rec ", then one or more '
     'digits; or "§", then one or more digits'),
    ("[A-Z]{2,3}", "2 to 3 capital letters"),
])
def test_patterns_in_words(pattern, words):
    assert pattern_words(pattern) == words


@pytest.mark.parametrize("pattern", ["E[0-9]{8}", "[0-9]{4}-Q[1-4]", "https://[^\\s\"'<>]+", "[a-z0-9-]+",
                                     "[0-9]+(\\.[0-9]+)*|rec [0-9]+|§[0-9]+", "https://www\\.gov\\.uk/[A-Za-z0-9/_.-]+"])
def test_pattern_examples_match(pattern):
    import re

    assert re.fullmatch(pattern, pattern_example(pattern))


def test_parse_and_hold():
    node = parse("((status = 'complete') = (completed_date IS NOT NULL))")
    assert node == Op("=", Op("=", Col("status"), Lit("complete")), IsNull(Col("completed_date"), negated=True))
    assert holds(node, {"status": "complete", "completed_date": dt.date(2024, 1, 1)})
    assert holds(node, {"status": "on track", "completed_date": None})
    assert not holds(node, {"status": "complete", "completed_date": None})
    either = parse("((end_date IS NULL) OR (end_date >= start_date))")
    assert isinstance(either, Or) and holds(either, {"end_date": None, "start_date": dt.date(2024, 1, 1)})
    assert not holds(either, {"end_date": dt.date(2023, 1, 1), "start_date": dt.date(2024, 1, 1)})
    # As a CHECK: unknown (NULL) keeps the rule.
    assert holds(parse("(planned_gbp >= 0)"), {"planned_gbp": None})
    year = parse("(((CAST(substr(fy, 1, 4) AS INTEGER) + 1) % 100) = CAST(substr(fy, 6, 2) AS INTEGER))")
    assert holds(year, {"fy": "2024/25"}) and not holds(year, {"fy": "2024/26"})
    assert not holds(year, {"fy": "abcd/ef"})  # a failed cast breaks the rule, as the database refuses it
    assert parse("(x IN (1, 2))") == In(Col("x"), (Lit(1), Lit(2)))
    assert isinstance(parse("((a > 0) AND (b < 3) AND (c = 1))"), And)
    with pytest.raises(ExpressionError):
        parse("(email LIKE '%@%')")


def test_keys_and_references_in_words():
    columns = pd.DataFrame([
        ("thing", "thing_id", 1, "VARCHAR", "NO", None), ("thing", "programme_id", 2, "VARCHAR", "NO", None),
        ("part", "thing_id", 1, "VARCHAR", "NO", None), ("part", "n", 2, "INTEGER", "NO", None),
    ], columns=["table_name", "column_name", "ordinal_position", "data_type", "is_nullable", "column_default"])
    constraints = pd.DataFrame([
        ("thing", "PRIMARY KEY", ["thing_id"], None, None, []),
        ("thing", "FOREIGN KEY", ["programme_id"], None, "programme", ["programme_id"]),
        ("part", "PRIMARY KEY", ["thing_id", "n"], None, None, []),
    ], columns=["table_name", "constraint_type", "constraint_column_names", "expression", "referenced_table",
                "referenced_column_names"])
    specs = specs_from_catalogue(columns, constraints)
    assert key_sentence(specs["thing"]).startswith("Each row needs its own thing_id: a row whose thing_id is "
                                                   "already in the dashboard updates that thing")
    assert key_sentence(specs["part"]).startswith("Each row needs its own combination of thing_id and n")
    assert reference_sentence(specs["thing"].foreign_keys[0]) == (
        "programme_id must be the programme_id of a programme already in the dashboard (add the programme first)")


def test_made_examples_keep_the_rules_and_take_no_key():
    columns = pd.DataFrame([
        ("risk", "risk_id", 1, "VARCHAR", "NO", None), ("risk", "programme_id", 2, "VARCHAR", "NO", None),
        ("risk", "likelihood", 3, "INTEGER", "NO", None), ("risk", "status", 4, "ENUM('open', 'closed')", "NO", None),
        ("risk", "raised_date", 5, "DATE", "NO", None), ("risk", "closed_date", 6, "DATE", "YES", None),
        ("risk", "first_seen", 7, "DATE", "YES", None), ("risk", "last_seen", 8, "DATE", "YES", None),
        ("risk", "financial_year", 9, "VARCHAR", "NO", None), ("risk", "is_open", 10, "BOOLEAN", "NO", "true"),
        ("risk", "source", 11, "VARCHAR", "NO", None),
    ], columns=["table_name", "column_name", "ordinal_position", "data_type", "is_nullable", "column_default"])
    rules = ["(likelihood BETWEEN 2 AND 5)", "((status = 'closed') = (closed_date IS NOT NULL))",
             "((first_seen IS NOT NULL) OR (last_seen IS NOT NULL))",
             "(((CAST(substr(financial_year, 1, 4) AS INTEGER) + 1) % 100) = CAST(substr(financial_year, 6, 2) AS INTEGER))"]
    constraints = pd.DataFrame([
        ("risk", "PRIMARY KEY", ["risk_id"], None, None, []),
        ("risk", "FOREIGN KEY", ["programme_id"], None, "programme", ["programme_id"]),
        *[("risk", "CHECK", [c for c in ("likelihood", "status", "closed_date", "first_seen", "last_seen",
                                         "financial_year") if c in r], r, None, []) for r in rules],
    ], columns=["table_name", "constraint_type", "constraint_column_names", "expression", "referenced_table",
                "referenced_column_names"])
    specs = specs_from_catalogue(columns, constraints)
    taken = {("p1-example-risk-1",)}
    context = examples.Context("p1", dt.date(2026, 12, 4),
                               lambda table, cols: [("p1",)] if table == "programme" else [],
                               lambda table, key: key in taken)
    rows = examples.example_rows("risk", specs, context)
    assert [r["risk_id"] for r in rows] == ["p1-example-risk-2", "p1-example-risk-3"]
    for row in rows:
        assert row["programme_id"] == "p1" and row["source"] == "illustrative" and row["is_open"] is False
        assert row["likelihood"] >= 2 and row["financial_year"] == "2026/27"
        assert (row["first_seen"], row["last_seen"]) != (None, None)
        assert all(holds(parse(r), row) for r in rules)
    # Nothing to refer to: no example rather than one that breaks a reference.
    nothing = examples.Context("p1", dt.date(2026, 12, 4), lambda table, cols: [], lambda table, key: False)
    assert examples.example_rows("risk", specs, nothing) == []
