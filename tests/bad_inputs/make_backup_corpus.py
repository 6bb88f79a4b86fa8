"""Writes the hostile-backup corpus in this folder (run once; the zips are committed) and
`expected_backups.csv`: for each zip, words its refusal must contain. Each is built from a small
database (the real schema, one programme, a submitted report and its correction) backed up by the
app itself with CORPUS_KEY — the key the tests restore with — and then damaged one way:

    .venv/bin/python tests/bad_inputs/make_backup_corpus.py
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

CORPUS_KEY = "bad-input-corpus-key-not-a-secret-0123456789"  # only for these files
OTHER_KEY = "another-installation-key-9876543210-abcdef"
# The file the absolute-path manifest names: the test checks it never appears.
ABSOLUTE = "/tmp/improvement-monitor-restored-outside.txt"
CASES: list[tuple[str, str]] = []  # (file, words of the refusal)

ROWS = """
INSERT INTO authority (ons_code, dfe_code, authority_name, tier, is_childrens_services, source)
    VALUES ('E10000032', '938', 'West Sussex', 'county', true, 'test');
INSERT INTO programme (programme_id, programme_name, kind, start_date, status, summary, source)
    VALUES ('hampshire-west-sussex', 'Hampshire and West Sussex', 'DfE commission', DATE '2019-04-01', 'active', 's', 'test');
INSERT INTO commissioner_report (report_id, programme_id, quarter_label, reporting_date, version, author, status,
        confidence, confidence_reason, figures_json, submitted_by, submitted_at, source)
    VALUES ('hws-2023-Q2-v1', 'hampshire-west-sussex', '2023-Q2', DATE '2023-06-30', 1, 'Commissioner', 'submitted',
            'Amber/Green', 'Improvement is sustained.', '{}', 'commissioner@example.gov.uk', TIMESTAMP '2023-07-20 10:00:00', 'test');
INSERT INTO commissioner_report (report_id, programme_id, quarter_label, reporting_date, version, corrects_report_id,
        author, status, source)
    VALUES ('hws-2023-Q2-v2', 'hampshire-west-sussex', '2023-Q2', DATE '2023-06-30', 2, 'hws-2023-Q2-v1', 'Commissioner',
            'draft', 'test');
"""


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, payload in files.items():
            z.writestr(name, payload)
    return out.getvalue()


def resign(files: dict[str, bytes], manifest: dict, key) -> dict[str, bytes]:
    body = json.dumps(manifest, indent=2).encode()
    return {**files, "manifest.json": body, "manifest.sig": key.sign(body)}


def case(name: str, data: bytes, words: str) -> None:
    (HERE / name).write_bytes(data)
    CASES.append((name, words))


def main() -> None:
    import duckdb

    from queries.backup import BackupKey, backup_zip
    from queries.backup.restore import SCHEMA
    from queries.db import close

    key, other = BackupKey(CORPUS_KEY.encode(), "the corpus"), BackupKey(OTHER_KEY.encode(), "another installation")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "small.duckdb"
        con = duckdb.connect(str(db))
        con.execute(SCHEMA.read_text(encoding="utf-8"))
        con.execute(ROWS)
        con.close()
        good = members(backup_zip(db, key=key)[1])
        # The same database with the submitted report rewritten, backed up and summed as the app does.
        close(db)  # the app's connection lets go of the file
        with duckdb.connect(str(db)) as con:
            con.execute("CREATE TABLE edited AS SELECT * REPLACE ('Red' AS confidence, 'TAMPERED' AS confidence_reason) "
                        "FROM commissioner_report")
            con.execute("COPY edited TO $p (FORMAT parquet)", {"p": str(Path(tmp) / "edited.parquet")})
            edited_checksum = con.execute("SELECT count(*), sum(hash(e)) FROM edited AS e").fetchone()
        edited = (Path(tmp) / "edited.parquet").read_bytes()
    manifest = json.loads(good["manifest.json"])

    def with_member(table: str, name: str, payload: bytes | None = None) -> tuple[dict, dict]:
        """The good backup with `table`'s file stored under `name` and the manifest saying so."""
        files = {k: v for k, v in good.items() if k != f"{table}.parquet"}
        files[name] = payload if payload is not None else good[f"{table}.parquet"]
        changed = json.loads(json.dumps(manifest))
        changed["tables"][table]["file"] = name
        return files, changed

    files, changed = with_member("milestone", "../../../../outside.txt")
    case("backup_traversal_manifest.zip", zipped(resign(files, changed, key)), "only a plain file name")
    files, changed = with_member("milestone", ABSOLUTE)
    case("backup_absolute_path_manifest.zip", zipped(resign(files, changed, key)), "only a plain file name")
    files, changed = with_member("milestone", "..\\..\\outside.txt")
    case("backup_windows_path_manifest.zip", zipped(resign(files, changed, key)), "only a plain file name")
    files, changed = with_member("milestone", "C:outside.txt")
    case("backup_drive_letter_manifest.zip", zipped(resign(files, changed, key)), "only a plain file name")

    # Tampered: the report's Parquet edited, the manifest re-summed to match, the signature left as it was.
    tampered = json.loads(json.dumps(manifest))
    tampered["tables"]["commissioner_report"].update(
        sha256=hashlib.sha256(edited).hexdigest(), rows=int(edited_checksum[0]), checksum=str(int(edited_checksum[1])))
    files = {**good, "commissioner_report.parquet": edited, "manifest.json": json.dumps(tampered, indent=2).encode()}
    case("backup_tampered_resummed.zip", zipped(files),
         "not signed by this installation's backup key: its manifest was changed after the backup was signed")
    case("backup_unsigned.zip", zipped({k: v for k, v in good.items() if k != "manifest.sig"}),
         "not signed by this installation's backup key: it has no signature")
    case("backup_other_key.zip", zipped(resign(good, manifest, other)),
         "not signed by this installation's backup key: it was signed with another key")
    # Signed by this key, but a file's bytes or rows do not match what the manifest says.
    case("backup_wrong_sha256.zip", zipped({**good, "commissioner_report.parquet": edited}), "damaged or was edited")
    wrong_sum = json.loads(json.dumps(manifest))
    wrong_sum["tables"]["commissioner_report"]["checksum"] = str(int(wrong_sum["tables"]["commissioner_report"]["checksum"]) + 1)
    case("backup_wrong_row_checksum.zip", zipped(resign(good, wrong_sum, key)), "do not match the backup's checksums")

    with (HERE / "expected_backups.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["file", "words"])
        writer.writerows(CASES)
    print(f"{len(CASES)} backups written to {HERE}")


if __name__ == "__main__":
    main()
