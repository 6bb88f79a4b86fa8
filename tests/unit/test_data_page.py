"""The Data page's view: which tabs each role is offered and whose rows the templates' examples take;
a checked file as the page words it (refused with its problems, or what importing would give and
whether there is anything to import); the change log's counts and labels; a checked backup."""
import datetime as dt

import pandas as pd

from monitor.imports.page import (
    LOG_LIMIT,
    backup_sentence,
    data_page,
    editor_intro,
    first_problems,
    import_check,
    imported,
    log_choices,
    log_count,
    log_filter,
    log_labels,
)
from monitor.imports.validate import Plan
from monitor.loaders.problems import Problem
from queries.backup.archive import RestoreCheck
from queries.imports import Validation
from queries.write import WriteResult


def test_administrators_get_a_users_tab_backups_and_examples_from_any_programme():
    admin = data_page("administrator", ["a", "b"])
    assert admin.tabs == ("Import a file", "Templates", "Edit a table", "Change log", "Backup and restore", "Users")
    assert admin.manages_users and admin.makes_backups and admin.example_programmes is None


def test_a_programme_officer_gets_no_users_tab_no_backups_and_examples_from_their_programmes():
    officer = data_page("programme officer", ["east-west-sussex"])
    assert "Users" not in officer.tabs and len(officer.tabs) == 5
    assert not officer.manages_users and not officer.makes_backups
    assert officer.example_programmes == frozenset({"east-west-sussex"})


def test_a_file_with_problems_is_refused_and_lists_every_problem():
    problems = [Problem("m.csv", 3, "status", "nonsense", "not an allowed value"),
                Problem("m.csv", 4, "due_date", "31/02/2024", "not a date")]
    check = import_check(Validation("m.csv", "milestone", problems=problems))
    assert check.problem_count == "2 problems" and not check.offers_import
    assert list(check.problems["row"]) == [3, 4] and list(check.problems["problem"])[1] == "not a date"


def test_a_clean_file_says_what_importing_would_give_and_offers_the_import_only_when_something_changes():
    changes = import_check(Validation("m.csv", "milestone", plan=Plan("milestone", actions=["insert", "unchanged"])))
    assert changes.problems is None and changes.offers_import and changes.table == "Milestones"
    assert changes.would_give == "1 to insert, 0 to update, 1 unchanged"
    same = import_check(Validation("m.csv", "milestone", plan=Plan("milestone", actions=["unchanged"] * 3)))
    assert not same.offers_import and same.would_give == "0 to insert, 0 to update, 3 unchanged"


def test_the_messages_after_an_import_and_above_the_editor():
    assert imported("m.csv", WriteResult(inserted=2, updated=1, unchanged=4)) == (
        "Imported m.csv: 2 inserted, 1 updated, 4 unchanged. Every change is in the change log.")
    assert editor_intro(1, "milestone").startswith("1 row of Milestones for this programme.")


def test_the_change_log_filters_counts_and_labels():
    filters = pd.DataFrame({"table_name": ["risk", "milestone", "risk"], "changed_by": ["b@x", "a@x", "b@x"]})
    assert log_choices(filters) == (["all", "milestone", "risk"], ["all", "a@x", "b@x"])
    assert log_filter("all") is None and log_filter("risk") == "risk"
    assert log_count(1) == "**1 change** shown, newest first."
    assert log_count(LOG_LIMIT) == "**1,000 changes** shown, newest first (the latest 1,000)."
    log = pd.DataFrame([{"change_id": 7, "changed_at": dt.datetime(2024, 5, 1, 9), "changed_by": "a@x",
                         "table_name": "milestone", "row_key": '{"milestone_id": "m1"}', "action": "update",
                         "before_json": '{"owner": "A"}', "after_json": '{"owner": "B"}', "note": ""}])
    assert log_labels(log) == {7: "7 · milestone · m1 · update"}


def test_a_checked_backup_in_a_sentence_and_its_problems_fifty_at_a_time():
    check = RestoreCheck("b.zip", manifest={"created_at": "2026-12-01T14:05:00", "schema_version": 3})
    assert backup_sentence(check) == ("Backup made 1 Dec 2026 at 14:05, schema version 3, signed with this "
                                      "installation's key. It passed every check.")
    lines, more = first_problems([Problem("b.zip", None, None, None, f"bad {n}") for n in range(52)])
    assert len(lines) == 50 and lines[0] == "b.zip:-:-: bad 0" and more == "… and 2 more (all of them in the CSV)."
    assert first_problems([])[1] is None
