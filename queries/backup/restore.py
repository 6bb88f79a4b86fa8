"""Restore a checked backup: a new database file built beside the current one, swapped in by one
atomic rename (see queries/backup/__init__.py). Records are kept: every report submitted in the
live database is carried into the restored file unchanged (with any row it refers to that the
backup lacks), and the change log carries on from the live database.

On PostgreSQL the live database is first read into a DuckDB file as of one moment
(queries.transfer.postgres_snapshot); the same restored file is built from it and the backup; and
that file replaces the live data in one transaction, refused when anything was written since the
moment it was read (queries.transfer.replace_postgres)."""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from monitor import clock
from queries.checks import all_violations
from monitor.formatting import counted, format_date
from monitor.loaders.problems import Problem
from monitor.permissions import Actor
from queries import db as dbmod
from queries import transfer
from queries.backup.archive import KEPT, check_backup, fk_order, foreign_keys, q, reason, table_checksum
from queries.backup.signing import BackupKey
from queries.db import ROOT, connect, target
from queries.pg import is_postgres
from queries.write import FROZEN_ROWS, WriteRefused, primary_key

# What a download about a restore comes from (monitor.tidy.Origin).
SOURCE = "the backup being restored, checked against the live database by Improvement Monitor"

SCHEMA = ROOT / "data" / "schema.sql"
STAGE, LIVE = "_restore_stage", "_restore_live"
# The columns that name a kept record in the summary (FROZEN_ROWS says which records are kept).
KEPT_NAMES = {"commissioner_report": ("report_id", "programme_id", "quarter_label", "version")}


class RestoreRefused(WriteRefused):
    """The restore was refused and nothing changed; `.problems` says why, as file:-:-: lines."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("The backup was refused; nothing was changed: " + "; ".join(str(p) for p in self.problems[:5]))


@dataclass
class RestoreSummary:
    """What a restore did, for the Data page and `make restore` alike."""

    file: str
    made_at: dt.datetime | None
    tables: dict[str, tuple[int, int]] = field(default_factory=dict)  # table -> (rows before, rows after)
    kept: list[dict] = field(default_factory=list)  # live records the backup lacked or held otherwise
    kept_same: int = 0  # live records the backup holds unchanged
    carried: list[tuple[str, str]] = field(default_factory=list)  # (table, key): kept as a kept record refers to it

    def headline(self) -> str:
        made = f" made {format_date(self.made_at)} at {self.made_at:%H:%M}" if self.made_at else ""
        return f"Restored {counted(len(self.tables), 'table')} from the backup{made}."

    def kept_sentence(self) -> str:
        if not self.kept:
            return (f"Every submitted report of the live database ({self.kept_same}) is in the backup unchanged."
                    if self.kept_same else "The live database had no submitted reports to keep.")
        return (f"Kept from the live database: {counted(len(self.kept), 'submitted report')} that the backup lacks or "
                "holds otherwise. A submitted report is a record: a restore never removes, changes or un-submits it.")

    def lines(self) -> list[str]:
        out = [self.headline(), self.kept_sentence()]
        for kept in self.kept:
            first, *rest = [f"version {v}" if k == "version" else str(v) for k, v in kept.items() if k != "in the backup"]
            out.append(f"  {first} ({', '.join(rest)}): {kept['in the backup']}")
        if self.carried:
            out.append("Also kept, because a kept report refers to them: " + ", ".join(f"{t} {k}" for t, k in self.carried)
                       + ".")
        out.append("The change log was kept (never rewound) and records the restore.")
        return out


def _match(cols, left: str, right: str) -> str:
    return " AND ".join(f"{left}.{q(c)} = {right}.{q(c)}" for c in cols)


def _values(cur, sql: str, params: dict) -> set:
    return {r[0] for r in cur.execute(sql, params).fetchall()}


def _live_records(cur, tmp: Path, files: dict[str, Path], fks) -> tuple[dict[str, Path], dict[str, Path], list]:
    """From the live database: the frozen (submitted) records, and every row they refer to,
    directly or not, that the backup lacks — each table's rows written to a Parquet file in `tmp`.
    Returns (roots by table, carried rows by table, the carried rows named for the summary)."""
    roots, carried, named = {}, {}, []
    wanted: dict[str, dict[str, set]] = {}  # table -> column -> values whose live rows are carried
    queue = []
    for table, (column, value) in FROZEN_ROWS.items():
        roots[table] = tmp / f"_live_{table}.parquet"
        cur.execute(f"COPY (SELECT * FROM {q(table)} WHERE {q(column)} = $v) TO $p (FORMAT parquet)",
                    {"v": value, "p": str(roots[table])})
        queue.append((table, f"SELECT * FROM {q(table)} WHERE {q(column)} = $v", {"v": value}))
    while queue:
        table, rows_sql, params = queue.pop()
        for child, column, ref, ref_column in fks:
            if child != table:
                continue
            values = _values(cur, f"SELECT DISTINCT r.{q(column)} FROM ({rows_sql}) AS r WHERE r.{q(column)} IS NOT NULL", params)
            frozen = FROZEN_ROWS.get(ref)
            if frozen and values:  # a reference to another frozen record is met by the record itself
                values -= _values(cur, f"SELECT {q(ref_column)} FROM {q(ref)} WHERE {q(frozen[0])} = $v "
                                       f"AND {q(ref_column)} IN (SELECT unnest($k))", {"v": frozen[1], "k": list(values)})
            values -= wanted.get(ref, {}).get(ref_column, set())
            if values:
                values -= _values(cur, f"SELECT DISTINCT {q(ref_column)} FROM read_parquet($p) WHERE {q(ref_column)} "
                                       "IN (SELECT unnest($k))", {"p": str(files[ref]), "k": list(values)})
            if values:
                wanted.setdefault(ref, {}).setdefault(ref_column, set()).update(values)
                named += [(ref, v) for v in sorted(map(str, values))]
                queue.append((ref, f"SELECT * FROM {q(ref)} WHERE {q(ref_column)} IN (SELECT unnest($k))",
                              {"k": list(values)}))
    for table, by_column in wanted.items():
        carried[table] = tmp / f"_carried_{table}.parquet"
        where = " OR ".join(f"{q(c)} IN (SELECT unnest($k{i}))" for i, c in enumerate(by_column))
        cur.execute(f"COPY (SELECT * FROM {q(table)} WHERE {where}) TO $p (FORMAT parquet)",
                    {"p": str(carried[table]), **{f"k{i}": list(v) for i, v in enumerate(by_column.values())}})
    return roots, carried, named


def _unique_keys(con, table: str) -> list[list[str]]:
    return [list(r[0]) for r in con.execute(
        "SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = $t "
        "AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')", {"t": table}).fetchall()]


def _keep_live(con, table: str, pk: list[str], root_file: Path, summary: RestoreSummary) -> None:
    """Put the live frozen records of `table` into the staged backup rows in place of the backup's
    own version of them (same key, or same unique columns), and say so in the summary."""
    con.execute(f"CREATE TABLE {LIVE} AS SELECT * FROM {q(table)} LIMIT 0")
    con.execute(f"INSERT INTO {LIVE} BY NAME SELECT * FROM read_parquet($p)", {"p": str(root_file)})
    frozen_column, _ = FROZEN_ROWS[table]
    named_by = KEPT_NAMES.get(table, tuple(pk))
    compared = con.execute(
        f"SELECT {', '.join('l.' + q(c) for c in named_by)}, s.{q(pk[0])} IS NULL, CAST(s.{q(frozen_column)} AS VARCHAR), "
        f"l IS NOT DISTINCT FROM s FROM {LIVE} AS l LEFT JOIN {STAGE} AS s ON {_match(pk, 'l', 's')} "
        f"ORDER BY {', '.join('l.' + q(c) for c in named_by)}").fetchall()
    for *names, missing, state, same in compared:
        if same:
            summary.kept_same += 1
            continue
        why = ("not in the backup" if missing else
               f"{'a' if state[0] not in 'aeiou' else 'an'} {state} version in the backup" if state != FROZEN_ROWS[table][1]
               else "different in the backup")
        summary.kept.append({**dict(zip(named_by, names)), "in the backup": why})
    clash = " OR ".join(f"EXISTS (SELECT 1 FROM {LIVE} AS l WHERE {_match(cols, 'l', 's')})"
                        for cols in _unique_keys(con, table))
    con.execute(f"DELETE FROM {STAGE} AS s WHERE {clash}")
    con.execute(f"INSERT INTO {STAGE} BY NAME SELECT * FROM {LIVE}")
    con.execute(f"DROP TABLE {LIVE}")


def _insert_parents_first(con, table: str, pk: list[str], self_refs: list[tuple[str, str]]) -> None:
    """The staged rows into `table`, each row after the row of the same table it refers to (a
    correction after the report it corrects): one INSERT would check them all against the rows
    there before it."""
    absent = f"NOT EXISTS (SELECT 1 FROM {q(table)} AS x WHERE {_match(pk, 'x', 's')})"
    ready = " AND ".join(f"(s.{q(c)} IS NULL OR EXISTS (SELECT 1 FROM {q(table)} AS x WHERE x.{q(r)} = s.{q(c)}))"
                         for c, r in self_refs) or "true"
    while con.execute(f"INSERT INTO {q(table)} BY NAME SELECT s.* FROM {STAGE} AS s WHERE {absent} AND {ready}").fetchone()[0]:
        pass
    # Whatever is left refers to a row that is nowhere: this insert fails and names it.
    con.execute(f"INSERT INTO {q(table)} BY NAME SELECT s.* FROM {STAGE} AS s WHERE {absent}")


def restore_backup(name: str, data: bytes, *, actor: Actor, db=None, key: BackupKey | None = None) -> RestoreSummary:
    """Replace every table's rows with the backup's, all-or-nothing, keeping the live database's
    submitted reports and change log. Raises RestoreRefused (a WriteRefused: nothing changed)."""
    if actor.role != "administrator":
        raise RestoreRefused([Problem(name, None, None, None,
                                      f"only an administrator can restore a backup (refused for {actor.email})")])
    path = target(db)
    check = check_backup(name, data, path, key=key)
    if not check.ok:
        raise RestoreRefused(check.problems)
    try:
        summary = _build_and_swap(name, data, check, actor, path)
    except (OSError, duckdb.IOException) as exc:  # a full or unwritable disk: the current file is as it was
        raise RestoreRefused([Problem(name, None, None, None, "the restored database could not be written "
                                      f"({reason(exc)}); nothing was changed")]) from exc
    return summary


CHANGED_MEANWHILE = "the database changed while the backup was being restored; nothing was changed: restore it again"


def _build_and_swap(name: str, data: bytes, check, actor: Actor, path) -> RestoreSummary:
    if is_postgres(path):
        return _restore_postgres(name, data, check, actor, path)
    new = path.with_name(f".{path.name}.restoring-{os.getpid()}")
    summary, state = _build_restored(name, data, check, actor, path, new)
    with connect(path).cursor() as cur:
        if transfer.live_state(cur) != state:  # someone saved meanwhile: their change would be lost
            new.unlink(missing_ok=True)
            raise RestoreRefused([Problem(name, None, None, None, CHANGED_MEANWHILE)])
    dbmod.close(path)  # the app's connection lets go of the file for the instant of the swap
    os.replace(new, path)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
    connect(path)
    dbmod.forget_data_version(path)  # a reader may have remembered the old file's version meanwhile
    return summary


def _restore_postgres(name: str, data: bytes, check, actor: Actor, url: str) -> RestoreSummary:
    with tempfile.TemporaryDirectory(prefix="monitor-restore-") as tmp:
        live, new = Path(tmp) / "live.duckdb", Path(tmp) / "restored.duckdb"
        transfer.postgres_snapshot(url, live)
        try:
            summary, state = _build_restored(name, data, check, actor, live, new)
        finally:
            dbmod.close(live)
        try:
            transfer.replace_postgres(url, new, expect=state)
        except transfer.LiveChanged as exc:
            raise RestoreRefused([Problem(name, None, None, None, CHANGED_MEANWHILE)]) from exc
        except dbmod.DB_ERRORS as exc:
            raise RestoreRefused([Problem(name, None, None, None, f"the backup could not be restored: "
                                          f"{str(exc).splitlines()[0]}; nothing was changed")]) from exc
    return summary


def _build_restored(name: str, data: bytes, check, actor: Actor, path: Path, new: Path) -> tuple[RestoreSummary, tuple]:
    """The restored database as a new DuckDB file `new`, from the backup and the live database
    `path` (a DuckDB file); returns the summary and the live state it was built from."""
    manifest = check.manifest
    summary = RestoreSummary(name, check.made_at)
    for stale in (new, new.with_name(new.name + ".wal")):
        stale.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="monitor-restore-") as tmp:
        tmpdir = Path(tmp)
        files = {}  # each table's Parquet, under a name chosen here: a manifest value never names a path
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for i, (table, info) in enumerate(sorted(manifest["tables"].items())):
                files[table] = tmpdir / f"table-{i:03d}.parquet"
                with archive.open(info["file"]) as src, files[table].open("wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
        with connect(path).cursor() as cur:  # the log, counters and records carry on from the live database
            state = transfer.live_state(cur)
            for kept in ("change_log", "schema_version"):
                files[kept] = tmpdir / f"_current_{kept}.parquet"
                cur.execute(f"COPY (SELECT * FROM {kept}) TO $p (FORMAT parquet)", {"p": str(files[kept])})
            roots, carried, summary.carried = _live_records(cur, tmpdir, files, foreign_keys(cur))
        con = duckdb.connect(str(new))
        try:
            _fill(con, name, manifest, files, roots, carried, check, actor, summary, state[0])
            con.close()
        except BaseException as exc:
            con.close()
            for partial in (new, new.with_name(new.name + ".wal")):
                partial.unlink(missing_ok=True)
            if isinstance(exc, duckdb.Error) and not isinstance(exc, duckdb.IOException):
                raise RestoreRefused([Problem(name, None, None, None, f"the backup could not be restored: "
                                              f"{str(exc).splitlines()[0]}; nothing was changed")]) from exc
            raise
    return summary, state


def _fill(con, name, manifest, files, roots, carried, check, actor, summary, version) -> None:
    """The new file: the schema, then every table in foreign-key order, in one transaction."""
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    con.begin()
    con.execute("DELETE FROM data_version")
    con.execute("DELETE FROM schema_version")
    fks = foreign_keys(con)
    wrong = []
    for table in fk_order(con):
        if table == "data_version":
            continue
        source = {"p": str(files[table])}
        if table in KEPT:
            con.execute(f"INSERT INTO {q(table)} BY NAME SELECT * FROM read_parquet($p)", source)
            continue
        self_refs = [(c, r) for t, c, ref, r in fks if t == ref == table]
        if not (self_refs or table in roots or table in carried):
            con.execute(f"INSERT INTO {q(table)} BY NAME SELECT * FROM read_parquet($p)", source)
            got = table_checksum(con, table)
        else:  # staged first: the backup's rows checked as they are, then merged with what is kept
            pk = primary_key(con, table)
            con.execute(f"CREATE TABLE {STAGE} AS SELECT * FROM {q(table)} LIMIT 0")
            con.execute(f"INSERT INTO {STAGE} BY NAME SELECT * FROM read_parquet($p)", source)
            got = table_checksum(con, STAGE)
            if table in roots:
                _keep_live(con, table, pk, roots[table], summary)
            if table in carried:
                con.execute(f"INSERT INTO {STAGE} BY NAME SELECT * FROM read_parquet($p) AS c WHERE NOT EXISTS "
                            f"(SELECT 1 FROM {STAGE} AS s WHERE {_match(pk, 's', 'c')})", {"p": str(carried[table])})
            _insert_parents_first(con, table, pk, self_refs)
            con.execute(f"DROP TABLE {STAGE}")
        info = manifest["tables"][table]
        if got != (info["rows"], int(info["checksum"])):
            wrong.append(table)
    if wrong:
        raise RestoreRefused([Problem(name, None, None, None, "the restored rows do not match the backup's checksums "
                                      f"for {', '.join(wrong)}; nothing was changed")])
    # A restore is a write like any other: the data rules hold on what it would leave.
    broken = all_violations(con)
    if broken:
        raise RestoreRefused([Problem(name, None, b.check.column, None, f"the restored database {b.describe()}; "
                                      "nothing was changed") for b in broken])
    max_id = con.execute("SELECT coalesce(max(change_id), 0) FROM change_log").fetchone()[0]
    con.execute("SELECT max(nextval('change_id_seq')) FROM range($n)", {"n": int(max_id)}).fetchall()
    now = clock.now()
    kept_ids = ", ".join(str(next(iter(k.values()))) for k in summary.kept)
    for table in fk_order(con):
        if table in KEPT:
            continue
        before, after = check.current_rows.get(table, 0), table_checksum(con, table)[0]
        summary.tables[table] = (before, after)
        note = f"restore of the whole table from backup {name} (made {manifest.get('created_at')})"
        if table in KEPT_NAMES and summary.kept:
            note += f"; kept from the live database: {counted(len(summary.kept), 'submitted report')} ({kept_ids})"
        carried_here = [k for t, k in summary.carried if t == table]
        if carried_here:
            note += f"; kept from the live database as kept reports refer to them: {', '.join(carried_here)}"
        con.execute(
            "INSERT INTO change_log (changed_at, changed_by, table_name, row_key, action, before_json, after_json, note) "
            "VALUES ($at, $by, $t, $key, 'update', $before, $after, $note)",
            {"at": now, "by": actor.email, "t": table, "key": json.dumps({"table": table}),
             "before": json.dumps({"rows": before}), "after": json.dumps({"rows": after}), "note": note})
    con.execute("INSERT INTO data_version VALUES (1, $v)", {"v": int(version) + 1})
    con.commit()
    con.execute("CHECKPOINT")
