"""The data model's one definition, data/schema.sql, as each database runs it.

DuckDB runs the file as it is. PostgreSQL runs the same statements — every table, key, foreign key,
unique rule, check and enum — with one word changed (DuckDB's DOUBLE is PostgreSQL's DOUBLE
PRECISION) and without the file's DuckDB macros, after data/schema_postgres.sql, which defines the
two DuckDB functions the checks call (regexp_full_match, contains) and the scalar macros' PostgreSQL
twins; the table macros all_sources() and source_counts() become functions over their own bodies.
A test compares the constraints both databases hold.
"""
from __future__ import annotations

import functools
import re
import threading

import duckdb

from queries.db import ROOT

SCHEMA = ROOT / "data" / "schema.sql"
POSTGRES_FUNCTIONS = ROOT / "data" / "schema_postgres.sql"

_STATEMENT_PARTS = re.compile(r"('(?:[^']|'')*'|\$\$.*?\$\$)|(--[^\n]*)|(;)", re.S)
# DuckDB type names PostgreSQL spells otherwise (whole words, outside quotes).
_TYPES = ((re.compile(r"\bDOUBLE\b(?!\s+PRECISION)"), "DOUBLE PRECISION"),)


def duckdb_ddl() -> str:
    return SCHEMA.read_text(encoding="utf-8")


def statements(sql: str) -> list[str]:
    """`sql` split into statements at semicolons outside quotes and comments (comments dropped)."""
    out, current = [], []
    for text, quoted, comment, semicolon in _split(sql):
        if semicolon:
            statement = "".join(current).strip()
            if statement:
                out.append(statement)
            current = []
        elif not comment:
            current.append(text)
    rest = "".join(current).strip()
    if rest:
        out.append(rest)
    return out


def _split(sql: str):
    pos = 0
    for m in _STATEMENT_PARTS.finditer(sql):
        if m.start() > pos:
            yield sql[pos:m.start()], False, False, False
        yield m.group(0), bool(m.group(1)), bool(m.group(2)), bool(m.group(3))
        pos = m.end()
    if pos < len(sql):
        yield sql[pos:], False, False, False


def _postgres(statement: str) -> str:
    """One statement of data/schema.sql in PostgreSQL's words (type names only, never inside quotes)."""
    parts = []
    for text, quoted, _, _ in _split(statement):
        if not quoted:
            for pattern, word in _TYPES:
                text = pattern.sub(word, text)
        parts.append(text)
    return "".join(parts)


@functools.cache
def postgres_statements() -> tuple[str, ...]:
    """data/schema.sql for PostgreSQL: the functions first (their bodies are checked when called),
    then every statement of schema.sql but its DuckDB macros."""
    functions = statements(POSTGRES_FUNCTIONS.read_text(encoding="utf-8"))
    ddl = statements(duckdb_ddl())
    tables = [_postgres(s) for s in ddl if not re.match(r"CREATE\s+MACRO\b", s, re.I)]
    views = [_table_function(m) for s in ddl if (m := _TABLE_MACRO.match(s))]
    return ("SET LOCAL check_function_bodies = off", *functions, *tables, *views)


# A table macro of schema.sql (all_sources(), source_counts()) is plain SQL both databases read:
# PostgreSQL gets it as a function over the same body, so each is written once.
_TABLE_MACRO = re.compile(r"CREATE\s+MACRO\s+(\w+)\(\)\s+AS\s+TABLE\s+(.*)", re.I | re.S)
_TABLE_COLUMNS = {"all_sources": {"table_name": "text", "row_key": "text", "source": "text"},
                  "source_counts": {"table_name": "text", "source": "text", "row_count": "bigint"}}


def _table_function(m: re.Match) -> str:
    name, body = m.group(1), m.group(2)
    columns = _TABLE_COLUMNS[name]
    return (f"CREATE FUNCTION {name}() RETURNS TABLE ({', '.join(f'{c} {t}' for c, t in columns.items())}) "
            f"LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT {', '.join(f'{c}::{t}' for c, t in columns.items())} "
            f"FROM ({body}) AS rows $$")


_model_lock = threading.Lock()
_model: duckdb.DuckDBPyConnection | None = None


def model_connection() -> duckdb.DuckDBPyConnection:
    """An empty in-memory DuckDB database made from data/schema.sql: the data model's catalogue
    (columns, types, enums, keys and checks) and an engine to evaluate its CHECK expressions on
    rows before they are written, whichever database holds the data. Take a cursor per use."""
    global _model
    with _model_lock:
        if _model is None:
            con = duckdb.connect(":memory:")
            con.execute(duckdb_ddl())
            _model = con
        return _model
