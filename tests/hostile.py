"""Hostile text for the page tests: a copy of the demo database in which every free-text column the
app shows holds markdown, HTML, LaTeX, a bare web address and a file-name payload, as if such text
had been stored (directly in the database; the write layer refuses some of it). The pages must show
it as the characters it is: no link, image, heading or HTML from it, and nothing fetched.
"""
from __future__ import annotations

import json
import re
import shutil
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb

PAYLOAD = ("[Please sign in again](http://evil.example/login)\n\n# Hacked heading\n\n"
           "![t](http://evil.example/pixel.png) <b>bold</b> <a href=\"http://evil.example/a\">a</a> "
           "https://evil.example/bare www.evil.example mail@evil.example :red[alarm] $x^2$ [Click](http:evil).csv")
# An uploaded file's name: the brief's (its folders, up to the last "/", are no part of the name shown)
# and one a browser could send whole.
FILE_NAMES = ("[Click](http://evil.example).csv", "![t](http:evil.example) [Click](http:evil) <b>x</b>.csv")
MARKER = "evil.example"

# Columns that hold no free text: codes the app computes with (a unit, a baseline period, a DfE
# measure, the change log's own keys), addresses it links to by design (the Ofsted report, a
# source's page), and e-mail addresses.
NOT_FREE_TEXT = {
    ("authority", "dfe_code"), ("authority", "ofsted_urn"), ("authority", "upper_tier_ons_code"),
    ("authority", "successor_ons_code"),
    ("indicator", "dfe_measure"), ("indicator", "unit"), ("indicator", "baseline_period"),
    ("ofsted_inspection", "web_link"), ("data_source", "source_url"), ("data_source", "loaded_into"),
    ("commissioner_report", "submitted_by"), ("criterion_weight", "set_by"),
    ("commissioner_report", "submitted_by_role"),
    ("change_log", "table_name"), ("change_log", "programme_id"), ("change_log", "row_key"),
    ("change_log", "changed_by"),
}
# The columns that must have taken the payload (the main text of every page).
MUST_SET = {
    ("programme", "programme_name"), ("programme", "summary"), ("milestone", "milestone_title"),
    ("milestone", "owner"), ("milestone", "evidence"), ("risk", "description"), ("risk", "mitigation"),
    ("risk", "owner"), ("key_date", "title"), ("saving", "category"), ("cost_share", "cost_item"),
    ("indicator", "indicator_name"), ("app_user", "display_name"), ("appraisal_option", "option_name"),
    ("appraisal_criterion", "criterion_name"), ("workstream", "workstream_name"),
    ("commissioner_report", "narrative_json"), ("intervention_event", "summary"),
    ("authority", "authority_name"),
}


def _keys(con) -> set[tuple[str, str]]:
    """Primary-key and foreign-key columns, referencing and referenced."""
    keys = set()
    for table, cols, kind, ref_table, ref_cols in con.execute(
            "SELECT table_name, constraint_column_names, constraint_type, referenced_table, referenced_column_names "
            "FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')").fetchall():
        keys |= {(table, c) for c in cols}
        if kind == "FOREIGN KEY":
            keys |= {(ref_table, c) for c in ref_cols}
    return keys


def _children(con, table: str) -> list[str]:
    """Tables whose rows refer, directly or not, to `table`'s: each before the tables referring to it."""
    edges = con.execute("SELECT DISTINCT table_name, referenced_table FROM duckdb_constraints() "
                        "WHERE constraint_type = 'FOREIGN KEY' AND referenced_table <> table_name").fetchall()
    found, todo = set(), [table]
    while todo:
        parent = todo.pop()
        for child, ref in edges:
            if ref == parent and child not in found:
                found.add(child)
                todo.append(child)
    order = TopologicalSorter({t: {ref for c, ref in edges if c == t and ref in found} for t in found})
    return list(order.static_order())


def _update(con, table: str, column: str) -> None:
    """Set the column to the payload numbered by row (distinct texts, as names are: a unique constraint
    needs it, and pages group by names). DuckDB rewrites a row whose unique column changes, which rows
    referring to it forbid: those rows are set aside and put back."""
    sql = f'UPDATE "{table}" SET "{column}" = $p || \' \' || rowid WHERE "{column}" IS NOT NULL'
    try:
        con.execute(sql, {"p": PAYLOAD})
        return
    except duckdb.ConstraintException as e:
        if "foreign key" not in str(e).lower():
            raise
    children = _children(con, table)
    for child in children:
        con.execute(f'CREATE TEMP TABLE "aside_{child}" AS SELECT * FROM "{child}"')
    for child in reversed(children):
        con.execute(f'DELETE FROM "{child}"')
    try:
        con.execute(sql, {"p": PAYLOAD})
    finally:
        for child in children:
            con.execute(f'INSERT INTO "{child}" SELECT * FROM "aside_{child}"')
            con.execute(f'DROP TABLE "aside_{child}"')


def make_hostile(built_db: Path, path: Path) -> set[tuple[str, str]]:
    """Copy the demo database to `path` with the payload in every free-text column; returns the
    columns set. Narrative sections of reports (JSON) get the payload in each section."""
    shutil.copy(built_db, path)
    con = duckdb.connect(str(path))
    try:
        keys = _keys(con)
        columns = con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main' "
                              "AND NOT internal AND data_type = 'VARCHAR' ORDER BY table_name, column_index").fetchall()
        done = set()
        for table, column in columns:
            if ((table, column) in keys or (table, column) in NOT_FREE_TEXT or column == "source"
                    or column.endswith("_json") or "email" in column):
                continue
            try:
                _update(con, table, column)
            except duckdb.ConstraintException:  # a code with a CHECK pattern or a fixed list
                continue
            done.add((table, column))
        for report_id, narrative in con.execute(
                "SELECT report_id, narrative_json FROM commissioner_report WHERE narrative_json IS NOT NULL").fetchall():
            sections = {key: PAYLOAD for key in json.loads(narrative)}
            con.execute("UPDATE commissioner_report SET narrative_json = $n WHERE report_id = $r",
                        {"n": json.dumps(sections), "r": report_id})
            done.add(("commissioner_report", "narrative_json"))
        con.execute("UPDATE data_version SET data_version = data_version + 1")
    finally:
        con.close()
    return done


# --- what a rendered value may not contain ---------------------------------------------------------

# Streamlit links a web or e-mail address in the text it shows after reading the escapes: so in the
# text as read, escapes removed.
_AUTOLINK = re.compile(r"(?i)(https?://|www\.)evil|[-.\w+]@evil")
_ESCAPED = re.compile(r"\\(.)")
_DIRECTIVES = (re.compile(r"(?<!\\):red\[alarm"), re.compile(r"(?<![\\])\$x\^2"))


def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _tokens(tokens):
    for token in tokens:
        yield token
        yield from _tokens(token.children or [])


def markup_from_payload(value: str, md=None) -> list[str]:
    """What markdown would make of `value` that came from the payload: links, images, headings,
    HTML, Streamlit's autolinked addresses, colour directives and formulas."""
    md = md or _markdown()
    found = []
    tokens = list(_tokens(md.parse(value)))
    for i, token in enumerate(tokens):
        if token.type in ("link_open", "image") and "evil" in str(token.attrGet("href") or token.attrGet("src")):
            found.append(f"{token.type} {token.attrGet('href') or token.attrGet('src')}")
        elif token.type == "heading_open" and "Hacked" in tokens[i + 1].content:
            found.append(f"heading {tokens[i + 1].content!r}")
        elif token.type in ("html_inline", "html_block"):
            found.append(f"{token.type} {token.content!r}")
    found += [f"autolinked {m.group(0)!r}" for m in _AUTOLINK.finditer(_ESCAPED.sub(r"\1", value))]
    found += [f"directive {p.pattern!r}" for p in _DIRECTIVES if p.search(value)]
    return found
