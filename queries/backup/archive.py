"""Making a backup zip, and checking one completely before anything is restored from it.

A backup of a PostgreSQL database is made from a DuckDB copy of every table as of one moment
(queries.transfer.postgres_snapshot), by the same code as a file's: the same Parquet, the same
manifest and checksums (DuckDB's), the same signature — so a backup restores on either database."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import psycopg

from monitor import clock
from monitor.loaders.problems import Problem
from queries import catalog, transfer
from queries import db as dbmod
from queries.backup.signing import SIGNATURE, BackupKey, BackupKeyError, backup_key
from queries.db import connect, describe, target
from queries.pg import is_postgres

FORMAT = "improvement-monitor-backup"
FORMAT_VERSION = 2  # 2: signed (manifest.sig)
MANIFEST = "manifest.json"
# Kept from the current database, not restored: the audit trail and the version counters.
KEPT = ("change_log", "data_version", "schema_version")
MAX_BACKUP_BYTES = 500 * 1024 * 1024
MAX_EXPANDED_BYTES = 4 * 1024 * 1024 * 1024  # every member unpacked: a zip bomb is refused unread
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
# A member's name as the manifest may give it: a plain file name, nothing that could name a folder.
PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}")
SHA256 = re.compile(r"[0-9a-f]{64}")
# Every way reading a damaged or hostile zip can fail.
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError,
              RuntimeError)


class BackupFailed(RuntimeError):
    """The backup could not be made (a full disk, say); nothing was written."""


def reason(exc: BaseException) -> str:
    """Why a file could not be written, in a few words (DuckDB's I/O errors carry JSON)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    found = re.search(r'"exception_message":"(.*?)(?<!\\)"', str(exc))
    return found.group(1).replace('\\"', '"') if found else str(exc).splitlines()[0]


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


tables_of = catalog.tables
columns_of = catalog.columns


def foreign_keys(cur) -> list[tuple[str, str, str, str]]:
    """(table, column, referenced table, referenced column) of every foreign key; one of several
    columns gives a row per column pair (enough to order the tables, and to carry a record's rows:
    a row matching on one column of the pair is carried, never one too few)."""
    out = []
    for table, cols, ref, ref_cols in catalog.foreign_keys(cur):
        out += [(table, col, ref, ref_col) for col, ref_col in zip(cols, ref_cols)]
    return out


def fk_order(cur) -> list[str]:
    """Tables with every table they reference before them (a table referring to itself, as a
    report correction refers to the report it corrects, is loaded parents first: restore.py)."""
    tables = tables_of(cur)
    parents = {t: set() for t in tables}
    for table, _, ref, _ in foreign_keys(cur):
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


def table_checksum(cur, table: str) -> tuple[int, int]:
    """(rows, order-independent hash of every row): what the manifest records per table."""
    count, total = cur.execute(f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {q(table)} AS t").fetchone()
    return int(count), int(total)


def backup_zip(db=None, *, key: BackupKey | None = None) -> tuple[str, bytes]:
    """(file name, zip bytes) of the whole database, signed with `key` (default: this
    installation's). Raises BackupKeyError when there is no key and none can be made."""
    key = key or backup_key()
    db = target(db)
    try:
        if not is_postgres(db):
            return _backup_zip(db, db.name, key)
        connect(db)  # DatabaseUnavailable when PostgreSQL is not answering or holds no data
        with tempfile.TemporaryDirectory(prefix="monitor-backup-") as tmp:
            snapshot = Path(tmp) / "snapshot.duckdb"
            transfer.postgres_snapshot(db, snapshot)
            try:
                return _backup_zip(snapshot, describe(db).rsplit("/", 1)[-1], key)
            finally:
                dbmod.close(snapshot)
    except (OSError, duckdb.IOException, psycopg.OperationalError) as exc:
        raise BackupFailed(f"the backup could not be made ({reason(exc)}); nothing was written") from exc


def _backup_zip(path: Path, database: str, key: BackupKey) -> tuple[str, bytes]:
    now = clock.now()
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "created_at": now.isoformat(),
                "database": database, "tables": {}}
    out = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="monitor-backup-") as tmp, connect(path).cursor() as cur:
        cur.begin()  # one snapshot: every table as of the same moment
        try:
            manifest["schema_version"] = cur.execute("SELECT max(schema_version) FROM schema_version").fetchone()[0]
            tables = fk_order(cur)
            sums = {}
            for table in tables:
                sums[table] = table_checksum(cur, table)
                cur.execute(f"COPY (SELECT * FROM {q(table)}) TO $p (FORMAT parquet)", {"p": str(Path(tmp) / f"{table}.parquet")})
            columns = {t: columns_of(cur, t) for t in tables}
        finally:
            cur.rollback()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for table in tables:
                data = (Path(tmp) / f"{table}.parquet").read_bytes()
                archive.writestr(f"{table}.parquet", data)
                manifest["tables"][table] = {"file": f"{table}.parquet", "rows": sums[table][0],
                                             "checksum": str(sums[table][1]), "sha256": hashlib.sha256(data).hexdigest(),
                                             "columns": columns[table]}
            body = json.dumps(manifest, indent=2).encode()
            archive.writestr(MANIFEST, body)
            archive.writestr(SIGNATURE, key.sign(body))
    return f"improvement-monitor-backup-{now:%Y%m%d-%H%M%S}.zip", out.getvalue()


def write_file(out: Path, data: bytes) -> None:
    """`data` to `out`, whole or not at all (a full disk leaves no half-written backup behind)."""
    out = Path(out)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)  # a backup holds every table: its owner's to read
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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

    @property
    def made_at(self) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(self.manifest["created_at"])
        except (KeyError, TypeError, ValueError):
            return None

    def table_rows(self) -> list[dict]:
        return [{"table": t, "rows now": self.current_rows.get(t, 0), "rows in backup": info["rows"]}
                for t, info in self.manifest.get("tables", {}).items() if t not in KEPT]


def _entry_problems(table: str, info) -> list[tuple[str, str | None, object]]:
    """(message, column, value) for each thing wrong with one table's manifest entry."""
    if not isinstance(info, dict):
        return [(f"the manifest's entry for {table} is not an object", "tables", table)]
    out = []
    name = info.get("file")
    if not isinstance(name, str) or not PLAIN_NAME.fullmatch(name) or ".." in name:
        out.append((f"the manifest names the file of {table} as a path: only a plain file name inside the zip is "
                    "allowed (no folders, '..', drive letters or absolute paths)", "file", name))
    rows = info.get("rows")
    if not isinstance(rows, int) or isinstance(rows, bool) or rows < 0:
        out.append((f"the manifest's row count of {table} is not a whole number", "rows", rows))
    checksum = info.get("checksum")
    if not isinstance(checksum, str) or not re.fullmatch(r"-?[0-9]{1,40}", checksum):
        out.append((f"the manifest's checksum of {table} is not a number", "checksum", checksum))
    if not isinstance(info.get("sha256"), str) or not SHA256.fullmatch(info["sha256"]):
        out.append((f"the manifest's SHA-256 of {table} is not 64 hexadecimal digits", "sha256", info.get("sha256")))
    if not isinstance(info.get("columns"), list):
        out.append((f"the manifest's columns of {table} are not a list", "columns", None))
    return out


def _sha256(archive: zipfile.ZipFile, member: str) -> str:
    digest = hashlib.sha256()
    with archive.open(member) as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_backup(name: str, data: bytes, db=None, *, key: BackupKey | None = None) -> RestoreCheck:
    """Check a backup zip completely against the current database; nothing is written. Members
    are read only by their names inside the zip, never extracted."""
    check = RestoreCheck(name)

    def problem(message: str, member: str | None = None, column: str | None = None, value=None) -> RestoreCheck:
        check.problems.append(Problem(name if member is None else f"{name}/{member}", None, column,
                                      None if value is None else str(value)[:200], message))
        return check

    if len(data) > MAX_BACKUP_BYTES:
        return problem(f"the file is larger than {MAX_BACKUP_BYTES / 1e6:.0f} MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = {i.filename: i for i in archive.infolist()}
    except ZIP_ERRORS:
        return problem("not a zip file: choose a backup downloaded from the Data page or made by `make backup`")
    with archive:
        if sum(i.file_size for i in members.values()) > MAX_EXPANDED_BYTES:
            return problem(f"the zip would unpack to more than {MAX_EXPANDED_BYTES / 1e9:.0f} GB: it is not a backup "
                           "made here")
        if MANIFEST not in members:
            return problem("the zip has no manifest.json: it is not an Improvement Monitor backup")
        if members[MANIFEST].file_size > MAX_MANIFEST_BYTES:
            return problem("manifest.json is too large to be a backup's manifest", MANIFEST)
        if SIGNATURE in members and members[SIGNATURE].file_size > 4096:
            return problem(f"{SIGNATURE} is too large to be a backup's signature", SIGNATURE)
        try:
            body = archive.read(MANIFEST)
            signature = archive.read(SIGNATURE) if SIGNATURE in members else None
        except ZIP_ERRORS as exc:
            return problem(f"the manifest cannot be read from the zip ({exc})", MANIFEST)
        try:
            key = key or backup_key()
        except BackupKeyError as exc:
            return problem(str(exc))
        refusal = key.refusal(body, signature)
        if refusal:
            return problem(refusal)
        try:
            manifest = json.loads(body)
        except ValueError as exc:
            return problem(f"manifest.json is not readable JSON ({exc})", MANIFEST)
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("tables"), dict):
            return problem("manifest.json is not an Improvement Monitor backup manifest", MANIFEST)
        check.manifest = manifest
        with connect(db).cursor() as cur:
            current = {t: columns_of(cur, t) for t in tables_of(cur)}
            schema_version = cur.execute("SELECT max(schema_version) FROM schema_version").fetchone()[0]
            for t in current:
                check.current_rows[t] = cur.execute(f"SELECT count(*) FROM {q(t)}").fetchone()[0]
        if manifest.get("schema_version") != schema_version:
            problem(f"the backup is of schema version {manifest.get('schema_version')}, this database is "
                    f"version {schema_version}", MANIFEST, "schema_version", manifest.get("schema_version"))
        if check.made_at is None:
            problem("the manifest's created_at is not a date and time", MANIFEST, "created_at", manifest.get("created_at"))
        tables = manifest["tables"]
        for t in sorted(set(current) - set(tables)):
            problem(f"the backup has no table {t}", MANIFEST, "tables", t)
        for t in sorted(set(tables) - set(current)):
            problem(f"the backup has a table {t} this database does not have", MANIFEST, "tables", t)
        for t, info in sorted(tables.items()):
            if t not in current:
                continue
            wrong = _entry_problems(t, info)
            for message, column, value in wrong:
                problem(message, MANIFEST, column, value)
            if wrong:
                continue
            member = info["file"]
            if info["columns"] != current[t]:
                problem(f"the columns of {t} differ from this database's", member, "columns")
            if member not in members:
                problem(f"the file for {t} is missing from the zip", member)
                continue
            try:
                digest = _sha256(archive, member)
            except ZIP_ERRORS as exc:
                problem(f"the file for {t} cannot be read from the zip ({exc})", member)
                continue
            if digest != info["sha256"]:
                problem(f"the file for {t} is damaged or was edited (its SHA-256 does not match the manifest)", member)
    return check
