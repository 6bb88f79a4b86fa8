"""What the Data page offers a person and says about what they did: its tabs by role, whose rows
the templates' examples take, a checked file (its problems, or what importing it would do, and
whether there is anything to import), the editor's and change log's counts, and a checked backup.
The page only draws it."""
from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import pandas as pd

from monitor.formatting import counted, format_date
from monitor.imports.changelog import describe_log
from monitor.imports.spec import TABLE_TITLES
from monitor.imports.validate import problem_rows

TABS = ("Import a file", "Templates", "Edit a table", "Change log", "Backup and restore")
USERS_TAB = "Users"
LOG_LIMIT = 1000  # the change log shows the latest thousand entries
ALL = "all"       # the change log's filters: no filter


def table_title(table: str) -> str:
    """A table as the page names it: 'Milestones' for milestone."""
    return TABLE_TITLES.get(table, table)


@dataclass(frozen=True)
class DataPage:
    tabs: tuple[str, ...]
    manages_users: bool                       # administrators reach user management from here
    makes_backups: bool                       # backups and restores of the whole database: administrators
    example_programmes: frozenset[str] | None  # the programmes the templates' example rows come from (None: any)


def data_page(role: str, programme_ids: Collection[str]) -> DataPage:
    admin = role == "administrator"
    return DataPage(tabs=TABS + ((USERS_TAB,) if admin else ()), manages_users=admin, makes_backups=admin,
                    example_programmes=None if admin else frozenset(programme_ids))


@dataclass(frozen=True)
class ImportCheck:
    """A checked file as the page says it: refused with its problems, or what importing would give."""
    file: str
    table: str                         # the table's title ("" when the file was not recognised)
    problems: pd.DataFrame | None      # every problem, when there is any: nothing will be written
    problem_count: str                 # "3 problems"
    would_give: str                    # "2 to insert, 1 to update, 40 unchanged"
    offers_import: bool                # something would change: the import button is offered


def import_check(validation) -> ImportCheck:
    """`validation`: queries.imports.Validation (file, table, problems, ok, counts(), summary())."""
    if not validation.ok:
        return ImportCheck(validation.file, table_title(validation.table or ""),
                           pd.DataFrame(problem_rows(validation.problems)),
                           counted(len(validation.problems), "problem"), "", False)
    counts = validation.counts()
    return ImportCheck(validation.file, table_title(validation.table), None, "", validation.summary(),
                       bool(counts["insert"] or counts["update"] or counts.get("delete")))


def imported(file: str, done) -> str:
    """What an import wrote (`done`: its WriteResult)."""
    return (f"Imported {file}: {done.inserted} inserted, {done.updated} updated, {done.unchanged} unchanged. "
            "Every change is in the change log.")


def editor_intro(rows: int, table: str) -> str:
    return (f"{counted(rows, 'row')} of {table_title(table)} for this programme. Edit cells, add rows at the bottom, "
            "or select rows and delete them; then save. Nothing is written until you save.")


def log_choices(filters: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The change log's filters: every table and every person in the entries the reader may see."""
    return [ALL, *sorted(filters["table_name"].unique())], [ALL, *sorted(filters["changed_by"].unique())]


def log_filter(choice: str) -> str | None:
    return None if choice == ALL else choice


def log_count(shown: int) -> str:
    """'12 changes', and whether the list stops at its limit."""
    return f"**{counted(shown, 'change')}** shown, newest first" + (
        " (the latest 1,000)." if shown == LOG_LIMIT else ".")


def log_labels(log: pd.DataFrame) -> dict:
    """Each entry as the picker names it: 'change · table · row · action'."""
    described = describe_log(log)[["Change", "Table", "Row", "Action"]]
    return dict(zip(log["change_id"].tolist(), (" · ".join(map(str, row)) for row in described.itertuples(index=False))))


def backup_sentence(check) -> str:
    """A backup that passed every check (`check`: queries.backup.RestoreCheck), in a sentence."""
    return (f"Backup made {format_date(check.made_at)} at {check.made_at:%H:%M}, schema version "
            f"{int(check.manifest['schema_version'])}, signed with this installation's key. It passed every check.")


def first_problems(problems: Sequence, shown: int = 50) -> tuple[list[str], str | None]:
    """The problems as `make restore` prints them, the first `shown` of them, and how many more."""
    more = f"… and {len(problems) - shown} more (all of them in the CSV)." if len(problems) > shown else None
    return [str(p) for p in problems[:shown]], more

