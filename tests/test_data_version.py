"""The data version is read once and remembered (every cached page read is keyed by it), and a
committed write makes everyone read it afresh: a change shows at the next click, never a stale
page."""
from pathlib import Path

import pytest

import queries
from monitor.permissions import SYSTEM
from queries import db as dbmod
from queries.write import Change, write
from tests.dbutil import scalar


def on_file(db) -> int:
    return scalar(db, "SELECT data_version FROM data_version")


def test_a_write_through_any_spelling_of_the_path_is_seen_at_once(fresh_db, monkeypatch):
    before = queries.data_version(fresh_db)
    # The same file by another spelling (relative to its folder): remembered under the file itself.
    monkeypatch.chdir(fresh_db.parent)
    mid = queries.run("milestones/all", db=fresh_db)["milestone_id"].iloc[0]
    write([Change("milestone", "update", {"milestone_id": mid}, {"owner": "Someone else"})], actor=SYSTEM,
          db=Path(fresh_db.name))
    assert queries.data_version(fresh_db) == on_file(fresh_db) == before + 1


def test_a_write_committed_while_the_version_is_being_read_is_not_lost(fresh_db):
    """A reader that read the old version just before a write committed must not keep it."""
    dbmod.forget_data_version(fresh_db)
    mid = queries.run("milestones/all", db=fresh_db)["milestone_id"].iloc[0]

    def read_then_a_write_commits():
        old = on_file(fresh_db)
        write([Change("milestone", "update", {"milestone_id": mid}, {"owner": "Racing writer"})], actor=SYSTEM,
              db=fresh_db)
        return old

    stale = dbmod.remembered_data_version(fresh_db, read_then_a_write_commits)
    assert queries.data_version(fresh_db) == on_file(fresh_db) == stale + 1


def test_closing_the_database_forgets_its_version(fresh_db):
    queries.data_version(fresh_db)
    dbmod.close(fresh_db)
    with queries.connect(fresh_db).cursor() as cur:  # e.g. a restore swapped the file meanwhile
        cur.execute("UPDATE data_version SET data_version = data_version + 10")
    assert queries.data_version(fresh_db) == on_file(fresh_db)


# --- PostgreSQL: several processes write one database ----------------------------------------------

@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_on_postgresql_a_write_by_another_process_is_seen_at_the_next_read(fresh_db, backend):
    """Another replica's write (here: another connection, as another process has its own) moves the
    version every cache key holds, so this process's next rerun reads afresh."""
    import psycopg

    before = queries.data_version(fresh_db)
    with psycopg.connect(fresh_db, autocommit=True) as other:
        other.execute("UPDATE monitor.data_version SET data_version = data_version + 1")
    assert queries.data_version(fresh_db) == before + 1
    mid = queries.run("milestones/all", db=fresh_db)["milestone_id"].iloc[0]
    with psycopg.connect(fresh_db, autocommit=True) as other:  # a change and its version bump, in one transaction
        with other.transaction():
            other.execute("UPDATE monitor.milestone SET owner = 'Another replica' WHERE milestone_id = %s", [mid])
            other.execute("UPDATE monitor.data_version SET data_version = data_version + 1")
    assert queries.data_version(fresh_db) == before + 2
    assert "Another replica" in set(queries.run("milestones/all", db=fresh_db)["owner"])
