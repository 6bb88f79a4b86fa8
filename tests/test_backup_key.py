"""The backup key lives outside the database: the environment first, then `[backup] key` in the
secrets file, else a key generated on first use, readable by its owner only. Each test points the
secrets folder at a temporary one: the real .streamlit/ is never written."""
import stat

import pytest

from queries.backup import KEY_ENV, BackupKeyError, backup_key


@pytest.fixture(autouse=True)
def no_key_in_environment(monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)


def test_generated_on_first_use_readable_by_its_owner_only_and_kept(tmp_path):
    folder = tmp_path / ".streamlit"
    first = backup_key(folder)
    path = folder / "backup.key"
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(path.read_text().strip()) == 64 and first.where.endswith("backup.key")
    assert backup_key(folder).secret == first.secret  # the same key next time
    assert [p.name for p in folder.iterdir()] == ["backup.key"]  # no temporary file left behind


def test_the_secrets_file_comes_before_the_generated_key_and_the_environment_before_both(tmp_path, monkeypatch):
    (tmp_path / "backup.key").write_text("generated-key-0123456789abcdef\n")
    (tmp_path / "secrets.toml").write_text('[auth]\nredirect_uri = "x"\n\n[backup]\nkey = "from-the-secrets-file-0123456789"\n')
    assert backup_key(tmp_path).secret == b"from-the-secrets-file-0123456789"
    assert "[backup] key in" in backup_key(tmp_path).where
    monkeypatch.setenv(KEY_ENV, "from-the-environment-0123456789")
    assert backup_key(tmp_path).secret == b"from-the-environment-0123456789"
    assert backup_key(tmp_path).where == f"the environment variable {KEY_ENV}"


def test_a_short_or_unreadable_key_is_refused_with_a_plain_message(tmp_path, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "short")
    with pytest.raises(BackupKeyError, match="too short"):
        backup_key(tmp_path)
    monkeypatch.delenv(KEY_ENV)
    (tmp_path / "secrets.toml").write_text("[backup\nkey = \n")
    with pytest.raises(BackupKeyError, match="cannot be read"):
        backup_key(tmp_path)


def test_a_key_that_cannot_be_created_says_where_to_put_one(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    with pytest.raises(BackupKeyError, match=f"could not be created.*{KEY_ENV}"):
        backup_key(blocked / ".streamlit")


def test_signatures_tell_another_key_from_an_edited_manifest():
    from queries.backup import BackupKey

    mine, theirs = BackupKey(b"k" * 32, "here"), BackupKey(b"t" * 32, "there")
    body = b'{"tables": {}}'
    assert mine.refusal(body, mine.sign(body)) is None
    assert "no signature" in mine.refusal(body, None)
    assert "signed with another key" in mine.refusal(body, theirs.sign(body))
    assert "changed after the backup was signed" in mine.refusal(body + b" ", mine.sign(body))
    assert "unreadable" in mine.refusal(body, b"not json")
