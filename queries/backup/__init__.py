"""Backup and restore of the whole database, through the app's own connection (DuckDB lets one
program hold the file: the dashboard does it for people, `make backup` / `make restore` when the
dashboard is stopped).

Backup (archive.py): a zip with one Parquet file per table (exact types, no spreadsheet formula
risk), `manifest.json` (format, schema_version, when, and per table its rows, columns, the file's
SHA-256 and a checksum of its rows) and `manifest.sig`, an HMAC-SHA256 of the manifest's bytes with
this installation's backup key, which lives outside the database (signing.py).

Restore (restore.py; administrators): the zip is checked first — signature, manifest, schema
version, every table and column, every file's SHA-256 — and refused with its problems if anything
is off. Members are read only by their names inside the zip; a manifest naming anything but a
plain file name is refused. Then a complete new database file is built beside the current one
from data/schema.sql and the backup (every constraint enforced as rows go in, parents before the
rows that refer to them, within a table too), its row checksums compared with the manifest, and it
replaces the current file in one atomic rename. All or nothing: until the rename the current file
is untouched; a crash leaves it as it was. (DuckDB cannot delete a row and the rows that reference
it in one transaction, so a restore in place could not be one transaction.)

Records are kept: a report submitted in the live database is carried into the restored file
unchanged, whatever the backup holds, and the summary names those the backup lacked or held
otherwise. The change log carries on from the live database (never rewound), with one entry per
table for the restore; the data version moves forward so cached pages refresh.
"""
from queries.backup.archive import (FORMAT, BackupFailed, FORMAT_VERSION, KEPT, MANIFEST, RestoreCheck, backup_zip, check_backup,
                                    fk_order, write_file)
from queries.backup.restore import RestoreRefused, RestoreSummary, restore_backup
from queries.backup.signing import KEY_ENV, SIGNATURE, BackupKey, BackupKeyError, backup_key

__all__ = ["FORMAT", "BackupFailed", "FORMAT_VERSION", "KEPT", "MANIFEST", "SIGNATURE", "KEY_ENV", "BackupKey", "BackupKeyError",
           "RestoreCheck", "RestoreRefused", "RestoreSummary", "backup_key", "backup_zip", "check_backup", "fk_order",
           "restore_backup", "write_file"]
