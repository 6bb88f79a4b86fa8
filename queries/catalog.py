"""The database's own catalogue — tables, columns and their types, keys, unique rules, foreign keys —
read from whichever database a cursor talks to (DuckDB's duckdb_constraints(), PostgreSQL's
pg_constraint), in one shape: table and column names only ever come from here, never from users.
"""
from __future__ import annotations

from queries.db import dialect

_PG_RELATION = ("JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace "
                "AND n.nspname = current_schema()")


def tables(cur) -> list[str]:
    return [r[0] for r in cur.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE' ORDER BY 1").fetchall()]


def columns(cur, table: str) -> list[str]:
    return [r[0] for r in cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = $t ORDER BY ordinal_position", {"t": table}).fetchall()]


def catalogue(cur) -> dict[str, list[str]]:
    """{table: its columns in order}."""
    out: dict[str, list[str]] = {}
    for table, column in cur.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "ORDER BY table_name, ordinal_position").fetchall():
        out.setdefault(table, []).append(column)
    return out


def _keys(cur, table: str, kinds: tuple[str, ...]) -> list[list[str]]:
    if dialect(cur) == "postgres":
        codes = {"PRIMARY KEY": "p", "UNIQUE": "u"}
        rows = cur.execute(
            "SELECT array_agg(a.attname::text ORDER BY k.i) FROM pg_constraint c " + _PG_RELATION + " "
            "CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, i) "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum "
            "WHERE r.relname = $t AND c.contype::text = ANY($kinds) GROUP BY c.oid, c.contype "
            "ORDER BY c.contype, min(c.conname)", {"t": table, "kinds": [codes[k] for k in kinds]}).fetchall()
        return [list(r[0]) for r in rows]
    rows = cur.execute(
        "SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = $t "
        "AND schema_name = current_schema() AND list_contains($kinds, constraint_type) "
        "ORDER BY constraint_type, constraint_index", {"t": table, "kinds": list(kinds)}).fetchall()
    return [list(r[0]) for r in rows]


def primary_key(cur, table: str) -> list[str]:
    found = _keys(cur, table, ("PRIMARY KEY",))
    return found[0] if found else []


def unique_keys(cur, table: str) -> list[list[str]]:
    """The primary key and every UNIQUE rule's columns."""
    return _keys(cur, table, ("PRIMARY KEY", "UNIQUE"))


def foreign_keys(cur) -> list[tuple[str, list[str], str, list[str]]]:
    """(table, columns, referenced table, referenced columns) of every foreign key, sorted."""
    if dialect(cur) == "postgres":
        rows = cur.execute(
            "SELECT r.relname::text, array_agg(a.attname::text ORDER BY k.i), f.relname::text, "
            "array_agg(fa.attname::text ORDER BY k.i) FROM pg_constraint c " + _PG_RELATION + " "
            "JOIN pg_class f ON f.oid = c.confrelid "
            "CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(attnum, fattnum, i) "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum "
            "JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = k.fattnum "
            "WHERE c.contype = 'f' GROUP BY c.oid, r.relname, f.relname").fetchall()
    else:
        rows = cur.execute(
            "SELECT table_name, constraint_column_names, referenced_table, referenced_column_names "
            "FROM duckdb_constraints() WHERE constraint_type = 'FOREIGN KEY' AND schema_name = current_schema()"
        ).fetchall()
    return sorted((t, list(cols), ref, list(ref_cols)) for t, cols, ref, ref_cols in rows)


def column_types(cur, table: str) -> dict[str, tuple[str, bool]]:
    """{column: (its type as the database spells it, whether it has a default)}. An enum column's
    type is DuckDB's `ENUM('a', ...)`, or `ENUM:<type name>` on PostgreSQL."""
    if dialect(cur) == "postgres":
        rows = cur.execute(
            "SELECT a.attname::text, CASE WHEN t.typtype = 'e' THEN 'ENUM:' || t.typname "
            "ELSE upper(format_type(a.atttypid, a.atttypmod)) END, a.atthasdef "
            "FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = r.relnamespace AND n.nspname = current_schema() "
            "JOIN pg_type t ON t.oid = a.atttypid "
            "WHERE r.relname = $t AND a.attnum > 0 AND NOT a.attisdropped", {"t": table}).fetchall()
    else:
        rows = cur.execute(
            "SELECT column_name, data_type, column_default IS NOT NULL FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = $t", {"t": table}).fetchall()
    return {name: (dtype, has_default) for name, dtype, has_default in rows}


def is_enum(dtype: str) -> bool:
    return dtype.upper().startswith(("ENUM(", "ENUM:"))


def row_hash(cur, alias: str) -> str:
    """SQL: a 64-bit hash of the whole row `alias` (for order-independent checksums of a table)."""
    return f"hashtextextended({alias}::text, 0)" if dialect(cur) == "postgres" else f"hash({alias})"


def checksum(cur, table: str) -> tuple[int, int]:
    """(rows, order-independent sum of every row's hash): the same rows give the same pair (within
    one kind of database; a backup's manifest holds DuckDB's, whichever database it was made from)."""
    name = '"' + table.replace('"', '""') + '"'
    count, total = cur.execute(f"SELECT count(*), coalesce(sum({row_hash(cur, 't')}), 0) FROM {name} AS t").fetchone()
    return int(count), int(total)
