"""Many rows of one table, read by their keys in one join (the bulk path of `queries.write` and the
checks of `queries.imports`), held by column (monitor.imports.columns.Rows). Keys travel as text
in a registered frame (a temporary table on PostgreSQL) and are cast in SQL to each key column's
type: values are never SQL text.
"""
from __future__ import annotations

from contextlib import contextmanager
from operator import eq

from monitor.imports.columns import Rows, plains, sql_texts
from queries.catalog import column_types, is_enum
from queries.db import DB_ERRORS, dialect

__all__ = ["column_types", "cast_text", "key_match", "quote", "registered", "result_rows", "rows_by_keys",
           "stored_rows", "table_rows", "text_frame"]


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def registered(cur, name: str, frame):
    """`frame` visible to SQL as `name` for the block. When the block fails (a full disk, say) the
    transaction is aborted and unregistering fails too: that second error must not hide the first."""
    cur.register(name, frame)
    try:
        yield
    except BaseException:
        try:
            cur.unregister(name)
        except DB_ERRORS:
            pass
        raise
    cur.unregister(name)


def cast_text(types: dict, column: str, expr: str) -> str:
    """`expr` (text) cast to the column's type; DuckDB's ENUM columns take text as it is, a
    PostgreSQL enum is cast to its type by name (from the catalogue)."""
    dtype = types[column][0]
    if dtype.upper().startswith("ENUM("):
        return expr
    if dtype.startswith("ENUM:"):
        return f"CAST({expr} AS {quote(dtype[5:])})"
    return f"CAST({expr} AS {dtype})"


def key_match(types: dict, pk: list[str], table: str, frame: str) -> str:
    """SQL: `table`'s key equals the text key in `frame` (enum keys compare as text)."""
    return " AND ".join(
        (f"CAST({table}.{quote(c)} AS VARCHAR) = {frame}.{quote(c)}" if is_enum(types[c][0])
         else f"{table}.{quote(c)} = {cast_text(types, c, frame + '.' + quote(c))}") for c in pk)


def text_frame(rows: Rows, columns: list[str]):
    """The rows' values as text (what `cast_text` turns back into each column's type)."""
    import pandas as pd

    return pd.DataFrame({c: pd.Series(sql_texts(rows.get(c)), dtype=object) for c in columns})


# Column types whose fetchnumpy() arrays convert (tolist) to exactly the values fetchall() gives,
# about six times faster for 100,000 rows; a result with any other type is fetched row by row.
_NUMPY_EXACT = {"VARCHAR", "BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "DOUBLE", "DATE", "TIMESTAMP"}


def result_rows(res) -> Rows:
    """A query's result, by column, as the Python values fetchall() gives."""
    if dialect(res) == "postgres":
        return Rows.from_result([d[0] for d in res.description], res.fetchall())
    names, types = [d[0] for d in res.description], [str(d[1]) for d in res.description]
    if not all(t in _NUMPY_EXACT or t.startswith("ENUM(") for t in types):
        return Rows.from_result(names, res.fetchall())
    arrays = res.fetchnumpy()  # NULLs come as masked arrays, whose tolist() gives None...
    columns = {n: (arrays[n].astype("datetime64[D]") if t == "DATE" else arrays[n]).tolist()
               for n, t in zip(names, types)}
    for n, t in zip(names, types):
        if t.startswith("ENUM(") and float in set(map(type, columns[n])):
            columns[n] = [None if type(v) is float else v for v in columns[n]]  # ...but in ENUMs as NaN
    return Rows(columns, len(columns[names[0]]) if names else 0)


def table_rows(cur, table: str) -> Rows:
    """Every row of `table`."""
    return result_rows(cur.execute(f"SELECT * FROM {quote(table)}"))


def rows_by_keys(cur, table: str, pk: list[str], keys: dict[str, list]) -> Rows:
    """The rows of `table` whose primary key is among `keys` ({key column: text of each key}; a key
    with a None is left out): one join against the keys, not a read of the whole table."""
    import pandas as pd

    if any(None in keys[c] for c in pk):
        complete = [i for i, key in enumerate(zip(*(keys[c] for c in pk))) if None not in key]
        keys = {c: [keys[c][i] for i in complete] for c in pk}
    if not pk or not keys[pk[0]]:
        return Rows({}, 0)
    frame = pd.DataFrame({c: pd.Series(keys[c], dtype=object) for c in pk})
    types = column_types(cur, table)
    with registered(cur, "_bulk_keys", frame):
        return result_rows(cur.execute(f"SELECT t.* FROM {quote(table)} AS t WHERE EXISTS "
                                        f"(SELECT 1 FROM _bulk_keys AS k WHERE {key_match(types, pk, 't', 'k')})"))


def stored_rows(cur, table: str, pk: list[str], rows: Rows) -> tuple[Rows, list[int | None]]:
    """The stored rows with `rows`' keys, and where each of `rows` is among them (None: not
    stored), matched on plain key values. One join, ordered like `rows`, finds them; when every
    match has the same plain key (as it does unless a key was given as unusual text) the order is
    the answer, otherwise each row is looked up by its plain key."""
    import pandas as pd

    if not len(rows):
        return Rows({}, 0), []
    frame = pd.DataFrame({"__i": range(len(rows)),
                          **{c: pd.Series(sql_texts(rows.get(c)), dtype=object) for c in pk}})
    types = column_types(cur, table)
    with registered(cur, "_bulk_keys", frame):
        stored = result_rows(cur.execute(f"SELECT k.__i, t.* FROM _bulk_keys AS k JOIN {quote(table)} AS t "
                                          f"ON {key_match(types, pk, 't', 'k')} ORDER BY k.__i"))
    at = stored.columns.pop("__i")
    if not at:
        return stored, [None] * len(rows)
    if at == list(range(len(rows))):  # every row stored, in order
        if all(plains(stored.get(c)) == plains(rows.get(c)) for c in pk):
            return stored, at
    elif all(all(map(eq, plains(stored.get(c)), map(plains(rows.get(c)).__getitem__, at))) for c in pk):
        return stored, list(map(dict(zip(at, range(len(at)))).get, range(len(rows))))
    where = dict(zip(zip(*(plains(stored.get(c)) for c in pk)), range(len(stored))))
    return stored, list(map(where.get, zip(*(plains(rows.get(c)) for c in pk))))
