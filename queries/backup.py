"""Backup and restore of the whole database, through the app's own connection (DuckDB lets one
program hold the file: the dashboard does it for people, rather than another process).

Backup: a zip with one Parquet file per table (exact types, no spreadsheet formula risk) and
`manifest.json` (format, schema_version, when, and per table its rows, columns, the file's SHA-256
and a checksum of its rows).

Restore (administrators): the zip is checked first — manifest, schema version, every table and
column, every file's SHA-256 and row count — and refused with its problems if anything is off.
Then a complete new database file is built beside the current one from data/schema.sql and the
backup (every constraint enforced as rows go in, foreign-key order), its row checksums compared
with the manifest, and it replaces the current file in one atomic rename. All or nothing: until
the rename the current file is untouched; a crash leaves it as it was. (DuckDB cannot delete a row
and the rows that reference it in one transaction, so a restore in place could not be one
transaction.) The change log is kept, never rewound: it carries on from the current database, with
one entry per table for the restore; the data version moves forward so cached pages refresh.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from monitor.loaders.problems import Problem
from monitor.permissions import Actor
from queries import db as dbmod
from queries.db import ROOT, connect, database_path
from queries.imports import table_checksums
from queries.write import WriteRefused

FORMAT = "improvement-monitor-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SCHEMA = ROOT / "data" / "schema.sql"
# Kept from the current database, not restored: the audit trail and the version counters.
KEPT = ("change_log", "data_version", "schema_version")
MAX_BACKUP_BYTES = 500 * 1024 * 1024


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(cur) -> list[str]:
    return [r[0] for r in cur.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]


def _columns(cur, table: str) -> list[str]:
    return [r[0] for r in cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $t "
        "ORDER BY ordinal_position", {"t": table}).fetchall()]


def fk_order(cur) -> list[str]:
    """Tables with every table they reference before them."""
    tables = _tables(cur)
    parents = {t: set() for t in tables}
    for table, ref in cur.execute("SELECT table_name, referenced_table FROM duckdb_constraints() "
                                  "WHERE constraint_type = 'FOREIGN KEY'").fetchall():
        if ref != table:
            parents[table].add(ref)
    order: list[str] = []
    while parents:
        ready = sorted(t for t, ps in parents.items() if not ps - set(order))
        if not ready:
            raise RuntimeError("foreign keys form a cycle")
        order += ready
        for t in ready:
            parents.pop(t)
    return order


def backup_zip(db=None) -> tuple[str, bytes]:
    """(file name, zip bytes) of the whole database."""
    path = Path(db or database_path())
    now = dt.datetime.now().replace(microsecond=0)
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "created_at": now.isoformat(),
                "database": path.name, "tables": {}}
    out = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="monitor-backup-") as tmp, connect(path).cursor() as cur:
        cur.begin()  # one snapshot: every table as of the same moment
        try:
            manifest["schema_version"] = cur.execute("SELECT max(schema_version) FROM schema_version").fetchone()[0]
            tables = fk_order(cur)
            sums = {}
            for table in tables:
                count, total = cur.execute(f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {_q(table)} AS t").fetchone()
                sums[table] = (int(count), str(int(total)))
                cur.execute(f"COPY (SELECT * FROM {_q(table)}) TO $p (FORMAT parquet)", {"p": str(Path(tmp) / f"{table}.parquet")})
            columns = {t: _columns(cur, t) for t in tables}
        finally:
            cur.rollback()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for table in tables:
                data = (Path(tmp) / f"{table}.parquet").read_bytes()
                archive.writestr(f"{table}.parquet", data)
                manifest["tables"][table] = {"file": f"{table}.parquet", "rows": sums[table][0],
                                             "checksum": sums[table][1], "sha256": hashlib.sha256(data).hexdigest(),
                                             "columns": columns[table]}
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
    return f"improvement-monitor-backup-{now:%Y%m%d-%H%M%S}.zip", out.getvalue()


@dataclass
class RestoreCheck:
    """A backup checked against the current database: problems, or what it holds."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)
    current_rows: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def table_rows(self) -> list[dict]:
        return [{"table": t, "rows now": self.current_rows.get(t, 0), "rows in backup": info["rows"]}
                for t, info in self.manifest.get("tables", {}).items() if t not in KEPT]


def check_backup(name: str, data: bytes, db=None) -> RestoreCheck:
    """Check a backup zip completely against the current database; nothing is written."""
    check = RestoreCheck(name)

    def problem(message: str, member: str | None = None, column: str | None = None, value=None) -> None:
        check.problems.append(Problem(name if member is None else f"{name}/{member}", None, column,
                                      None if value is None else str(value), message))

    if len(data) > MAX_BACKUP_BYTES:
        problem(f"the file is larger than {MAX_BACKUP_BYTES / 1e6:.0f} MB")
        return check
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        problem("not a zip file: choose a backup downloaded from this page")
        return check
    with archive:
        members = set(archive.namelist())
        if MANIFEST not in members:
            problem("the zip has no manifest.json: it is not an Improvement Monitor backup")
            return check
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except ValueError as exc:
            problem(f"manifest.json is not readable JSON ({exc})", MANIFEST)
            return check
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("tables"), dict):
            problem("manifest.json is not an Improvement Monitor backup manifest", MANIFEST)
            return check
        check.manifest = manifest
        with connect(db).cursor() as cur:
            current = {t: _columns(cur, t) for t in _tables(cur)}
            schema_version = cur.execute("SELECT max(schema_version) FROM schema_version").fetchone()[0]
            for t in current:
                check.current_rows[t] = cur.execute(f"SELECT count(*) FROM {_q(t)}").fetchone()[0]
        if manifest.get("schema_version") != schema_version:
            problem(f"the backup is of schema version {manifest.get('schema_version')}, this database is "
                    f"version {schema_version}", MANIFEST, "schema_version", manifest.get("schema_version"))
        tables = manifest["tables"]
        for t in sorted(set(current) - set(tables)):
            problem(f"the backup has no table {t}", MANIFEST, "tables", t)
        for t in sorted(set(tables) - set(current)):
            problem(f"the backup has a table {t} this database does not have", MANIFEST, "tables", t)
        for t, info in sorted(tables.items()):
            if t not in current or not isinstance(info, dict):
                continue
            member = info.get("file", "")
            if info.get("columns") != current[t]:
                problem(f"the columns of {t} differ from this database's", member, "columns")
            if member not in members:
                problem(f"the file for {t} is missing from the zip", member)
                continue
            payload = archive.read(member)
            if hashlib.sha256(payload).hexdigest() != info.get("sha256"):
                problem(f"the file for {t} is damaged or was edited (its SHA-256 does not match the manifest)", member)
    return check


def restore_backup(name: str, data: bytes, *, actor: Actor, db=None) -> dict[str, tuple[int, int]]:
    """Replace every table's rows with the backup's, all-or-nothing (see the module's docstring).
    Returns {table: (rows before, rows after)}. Raises WriteRefused (nothing changed)."""
    if actor.role != "administrator":
        raise WriteRefused(f"Only an administrator can restore a backup (refused for {actor.email}).")
    path = Path(db or database_path())
    check = check_backup(name, data, path)
    if not check.ok:
        raise WriteRefused("The backup was refused: " + "; ".join(str(p) for p in check.problems[:5]))
    manifest = check.manifest
    new = path.with_name(f".{path.name}.restoring-{os.getpid()}")
    for stale in (new, new.with_name(new.name + ".wal")):
        stale.unlink(missing_ok=True)
    counts: dict[str, tuple[int, int]] = {}
    with tempfile.TemporaryDirectory(prefix="monitor-restore-") as tmp:
        tmpdir = Path(tmp)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in manifest["tables"].values():
                (tmpdir / info["file"]).write_bytes(archive.read(info["file"]))
        with connect(path).cursor() as cur:  # the log and counters carry on from the current database
            for kept in ("change_log", "schema_version"):
                cur.execute(f"COPY (SELECT * FROM {kept}) TO $p (FORMAT parquet)", {"p": str(tmpdir / f"_current_{kept}.parquet")})
            version = cur.execute("SELECT data_version FROM data_version").fetchone()[0]
        con = duckdb.connect(str(new))
        try:
            con.execute(SCHEMA.read_text(encoding="utf-8"))
            con.begin()
            con.execute("DELETE FROM data_version")
            con.execute("DELETE FROM schema_version")
            for table in fk_order(con):
                if table == "data_version":
                    continue
                source = f"_current_{table}.parquet" if table in KEPT else manifest["tables"][table]["file"]
                con.execute(f"INSERT INTO {_q(table)} BY NAME SELECT * FROM read_parquet($p)", {"p": str(tmpdir / source)})
            max_id = con.execute("SELECT coalesce(max(change_id), 0) FROM change_log").fetchone()[0]
            con.execute("SELECT max(nextval('change_id_seq')) FROM range($n)", {"n": int(max_id)}).fetchall()
            got = table_checksums_for(con, [t for t in manifest["tables"] if t not in KEPT])
            wrong = [t for t, (rows, total) in got.items()
                     if rows != manifest["tables"][t]["rows"] or str(total) != manifest["tables"][t]["checksum"]]
            if wrong:
                raise WriteRefused("The restored rows do not match the backup's checksums for " + ", ".join(wrong)
                                   + "; nothing was changed.")
            now = dt.datetime.now().replace(microsecond=0)
            for table in fk_order(con):
                if table in KEPT:
                    continue
                before, after = check.current_rows.get(table, 0), manifest["tables"][table]["rows"]
                counts[table] = (before, after)
                con.execute(
                    "INSERT INTO change_log (changed_at, changed_by, table_name, row_key, action, before_json, after_json, note) "
                    "VALUES ($at, $by, $t, $key, 'update', $before, $after, $note)",
                    {"at": now, "by": actor.email, "t": table, "key": json.dumps({"table": table}),
                     "before": json.dumps({"rows": before}), "after": json.dumps({"rows": after}),
                     "note": f"restore of the whole table from backup {name} (made {manifest.get('created_at')})"})
            con.execute("INSERT INTO data_version VALUES (1, $v)", {"v": int(version) + 1})
            con.commit()
            con.execute("CHECKPOINT")
        except duckdb.Error as exc:
            con.close()
            new.unlink(missing_ok=True)
            raise WriteRefused(f"The backup could not be restored: {str(exc).splitlines()[0]}; nothing was changed.") from exc
        except BaseException:
            con.close()
            new.unlink(missing_ok=True)
            raise
        con.close()
    dbmod.close(path)  # the app's connection lets go of the file for the instant of the swap
    os.replace(new, path)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
    connect(path)
    dbmod.forget_data_version(path)  # a reader may have remembered the old file's version meanwhile
    return counts


def table_checksums_for(con, tables: list[str]) -> dict[str, tuple[int, int]]:
    out = {}
    for table in tables:
        count, total = con.execute(f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {_q(table)} AS t").fetchone()
        out[table] = (int(count), int(total))
    return out


__all__ = ["backup_zip", "check_backup", "restore_backup", "fk_order", "table_checksums"]
