"""The backup key: every backup is signed (HMAC-SHA256 over the exact bytes of its manifest.json,
kept in the zip as manifest.sig) with a key that lives outside the database, so a backup edited
after it was made — even with its checksums re-summed — is refused. The key, first found wins:

1. the environment variable MONITOR_BACKUP_KEY;
2. `key` in the `[backup]` section of .streamlit/secrets.toml;
3. .streamlit/backup.key, generated on first use (readable by its owner only; git-ignored).

A restore checks with the same key: a backup made with another key is refused, so restoring on a
new machine needs the old machine's key.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from queries.db import ROOT

KEY_ENV = "MONITOR_BACKUP_KEY"
SECRETS_DIR = ROOT / ".streamlit"
KEY_FILE = "backup.key"
SIGNATURE = "manifest.sig"
ALGORITHM = "HMAC-SHA256"
MIN_KEY_LENGTH = 16
NOT_SIGNED = "This backup is not signed by this installation's backup key"


class BackupKeyError(RuntimeError):
    """The backup key cannot be read or made; the message says where to put one."""


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class BackupKey:
    secret: bytes = field(repr=False)
    where: str  # where it came from, for messages (never the key itself)

    @property
    def key_id(self) -> str:
        """A short name for the key that reveals nothing of it: tells "another key" from "edited"."""
        return hmac.new(self.secret, b"improvement-monitor backup key id", hashlib.sha256).hexdigest()[:12]

    def _mac(self, manifest: bytes) -> str:
        return hmac.new(self.secret, manifest, hashlib.sha256).hexdigest()

    def sign(self, manifest: bytes) -> bytes:
        return json.dumps({"algorithm": ALGORITHM, "key_id": self.key_id, "signature": self._mac(manifest)},
                          indent=2).encode()

    def refusal(self, manifest: bytes, signature: bytes | None) -> str | None:
        """None when `signature` is this key's signature of `manifest`; otherwise why the backup
        is refused, as a sentence."""
        if signature is None:
            return (f"{NOT_SIGNED}: it has no signature ({SIGNATURE}), so nothing shows it was made here "
                    "and not changed since. Only backups made by this installation can be restored.")
        try:
            parsed = json.loads(signature)
            given, key_id = parsed["signature"], parsed.get("key_id")
            if parsed.get("algorithm") != ALGORITHM or not isinstance(given, str):
                raise ValueError
        except (ValueError, TypeError, KeyError):
            return f"{NOT_SIGNED}: its signature ({SIGNATURE}) is unreadable."
        if hmac.compare_digest(given.encode(), self._mac(manifest).encode()):
            return None
        if key_id != self.key_id:
            return (f"{NOT_SIGNED}: it was signed with another key (key id {str(key_id)[:12]!r}; this "
                    f"installation's key, from {self.where}, has id {self.key_id!r}). Restore it with the "
                    "key it was made with.")
        return (f"{NOT_SIGNED}: its manifest was changed after the backup was signed (the backup has "
                "been edited), so it cannot be trusted.")


def _checked(text: str, where: str) -> BackupKey:
    if len(text) < MIN_KEY_LENGTH:
        raise BackupKeyError(f"The backup key in {where} is too short (it needs at least {MIN_KEY_LENGTH} "
                             "characters; a generated one has 64).")
    return BackupKey(text.encode("utf-8"), where)


def backup_key(secrets_dir: Path | str | None = None) -> BackupKey:
    """This installation's backup key (see the module's docstring); `secrets_dir` stands in for
    .streamlit/ (tests). Raises BackupKeyError with a plain message."""
    folder = Path(secrets_dir) if secrets_dir else SECRETS_DIR
    from_env = os.environ.get(KEY_ENV, "").strip()
    if from_env:
        return _checked(from_env, f"the environment variable {KEY_ENV}")
    secrets_file = folder / "secrets.toml"
    if secrets_file.exists():
        try:
            section = tomllib.loads(secrets_file.read_text(encoding="utf-8")).get("backup")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise BackupKeyError(f"{_shown(secrets_file)} cannot be read for the backup key ({exc}).") from exc
        if isinstance(section, dict) and "key" in section:
            if not isinstance(section["key"], str):
                raise BackupKeyError(f"[backup] key in {_shown(secrets_file)} must be a string.")
            return _checked(section["key"].strip(), f"[backup] key in {_shown(secrets_file)}")
    path = folder / KEY_FILE
    try:
        return _checked(path.read_text(encoding="utf-8").strip(), _shown(path))
    except (FileNotFoundError, NotADirectoryError):
        pass
    except (OSError, UnicodeDecodeError) as exc:
        raise BackupKeyError(f"The backup key {_shown(path)} cannot be read ({exc}).") from exc
    return _checked(_generate(path), _shown(path))


def _generate(path: Path) -> str:
    """A new random key written to `path` (mode 0600) whole or not at all; if another process made
    one meanwhile, theirs is used."""
    key = secrets.token_hex(32)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # created 0600
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(key + "\n")
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)  # never replaces a key another process has just written
        except FileExistsError:
            return path.read_text(encoding="utf-8").strip()
        return key
    except OSError as exc:
        raise BackupKeyError(
            f"The backup key could not be created at {_shown(path)} ({exc.strerror or exc}). Set the environment "
            f"variable {KEY_ENV}, or `key` under [backup] in .streamlit/secrets.toml.") from exc
    finally:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
