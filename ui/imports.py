"""How the Data page draws what it decided (monitor.imports.page): a checked file, the templates'
downloads, the editor, the change log, a checked backup and what a restore did. Text from files,
backups and the data goes through `plain`, or into tables and plain text only."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd
import streamlit as st

from monitor.imports import changelog, templates
from monitor.imports.page import ImportCheck, backup_sentence, first_problems, log_count, log_labels
from monitor.clock import today
from monitor.imports import edits
from monitor.imports.validate import SOURCE as UPLOAD_SOURCE
from monitor.imports.validate import problem_rows
from monitor.loaders.problems import Problem
from monitor.text import plain
from monitor.tidy import Origin
from queries.backup.restore import SOURCE as RESTORE_SOURCE
from ui import blocks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RESTORE_DONE = "restore_done"  # what the last restore did: ("ok", summary) or ("error", problems)
BACKUP_ZIP = "backup_zip"      # a prepared backup: (file name, bytes)
TEMPLATES_INTRO = ("Each template has the table's columns and example rows that pass every check: rows of your "
                   "programmes where there are some (importing them again changes nothing), otherwise examples made "
                   "for your programme. In the Excel workbook, columns with allowed values or TRUE/FALSE have a "
                   "drop-down list, dates are Excel dates, and each column says what it holds when you select a "
                   "cell; its second sheet (*columns*) gives every rule in plain English, as below.")


def users_link() -> None:
    """Administrators reach user management from the Data page (its forms live on pages/users.py)."""
    st.header("Users")
    st.markdown("Who may sign in, their role, their council and their programmes.")
    st.page_link("pages/users.py", label="Manage users: add, change role or programmes, deactivate",
                 icon=":material/manage_accounts:")


def checked_file(check: ImportCheck, on_import: Callable, args: tuple) -> None:
    """A checked file's problems (nothing will be written), or what importing it would give and the
    button to import it when anything would change."""
    if check.problems is not None:
        st.error(f"**{check.problem_count} in {plain(check.file)}: nothing will be written.** "
                 "Fix them in your file and upload it again.", icon=":material/error:")
        st.subheader("Problems")
        blocks.table(check.problems, key="import_problems", file_name=f"problems-{check.file}.csv",
                     origin=Origin(UPLOAD_SOURCE, today()))
        return
    st.markdown(f"**{plain(check.file)}** → {check.table}: no problems found. Importing would give **{check.would_give}**.")
    if not check.offers_import:
        st.info("Nothing to import: every row already matches the database.", icon=":material/info:")
    else:
        st.button(f"Import {plain(check.file)}", type="primary", key="import_go", icon=":material/upload:",
                  on_click=on_import, args=args)


def _template_file(make, spec, examples) -> bytes:
    return make(spec, examples())


def template_downloads(table: str, spec, examples: Callable) -> None:
    """The table's rules in plain English, and its template as CSV and as a workbook. The files are
    made when a button is clicked (Streamlit calls `data` then, in another thread, after this run
    has moved on): everything they need is bound now."""
    wide = st.column_config.TextColumn(width="large")
    st.dataframe(templates.describe_columns(spec), hide_index=True, width="stretch",
                 column_config={"allowed values": wide, "rules": wide, "must match": wide})
    left, right = st.columns(2)
    left.download_button(f"Download {table}.csv", partial(_template_file, templates.template_csv, spec, examples),
                         f"{table}.csv", "text/csv", key="template_csv", icon=":material/download:", on_click="ignore")
    right.download_button(f"Download {table}.xlsx", partial(_template_file, templates.template_xlsx, spec, examples),
                          f"{table}.xlsx", XLSX, key="template_xlsx", icon=":material/download:", on_click="ignore")


def editor_buttons(on_save: Callable, args: tuple, *, forget: tuple[str, ...]) -> None:
    """Save the editor's changes (`on_save(*args)`), or reload the table as it is now (`forget`: the
    rows as opened and the edits), then what the last save did."""
    save, reload = st.columns([1, 4])
    save.button("Save changes", type="primary", key="edit_save", icon=":material/save:", on_click=on_save, args=args)
    reload.button("Reload the table", key="edit_reload", icon=":material/refresh:", on_click=blocks.forget,
                  args=forget)
    blocks.flash("edit_done", origin=Origin(edits.SOURCE, today()))


def change_log(log: pd.DataFrame) -> None:
    """The entries shown, then one entry's before and after side by side."""
    st.markdown(log_count(len(log)))
    if not len(log):
        return
    blocks.table(changelog.describe_log(log), key="log", file_name="change-log.csv",
                 origin=Origin(changelog.SOURCE, today()))
    st.subheader("Before and after")
    labels = log_labels(log)
    pick = st.selectbox("Change to look at", log["change_id"].tolist(), key="log_pick", format_func=labels.get)
    entry = log[log["change_id"] == pick].iloc[0]
    st.dataframe(changelog.side_by_side(entry["before_json"], entry["after_json"]), hide_index=True, width="stretch")


def problems(found: list[Problem], key: str) -> None:
    """Each problem on its own line, as `make restore` prints it, in plain text (names and values
    from a backup are never read as markdown); all of them as CSV."""
    lines, more = first_problems(found)
    for line in lines:
        st.text(line)
    if more:
        st.text(more)
    blocks.download_csv(pd.DataFrame(problem_rows(found)), "problems.csv", key=f"{key}_csv",
                        label="Download the problems (CSV)", origin=Origin(RESTORE_SOURCE, today()))


def restore_outcome() -> None:
    """What the last restore did (the summary `make restore` prints), or why it was refused. Text
    from the backup or its file name is shown only in tables, never as markdown."""
    outcome = st.session_state.pop(RESTORE_DONE, None)
    if outcome and outcome[0] == "ok":
        summary = outcome[1]
        st.success(plain(summary.headline()), icon=":material/check_circle:")
        (st.info if summary.kept else st.markdown)(plain(summary.kept_sentence()))
        if summary.kept:
            blocks.table(pd.DataFrame(summary.kept), key="restore_kept", file_name="kept-submitted-reports.csv",
                         origin=Origin(RESTORE_SOURCE, today()))
        if summary.carried:
            st.markdown("Also kept, because a kept report refers to them:")
            st.dataframe(pd.DataFrame(summary.carried, columns=["table", "row"]), hide_index=True, width="stretch")
        st.markdown("The change log was kept (never rewound) and records the restore.")
    elif outcome:
        st.error("**The backup was not restored; nothing was changed.**", icon=":material/error:")
        problems(outcome[1], "restore_refused")


def backup_offer(prepare: Callable) -> None:
    """What a backup is, the button that prepares one (`prepare`, a callback) and its download."""
    st.markdown("A backup is a zip of every table (Parquet) with a manifest of row counts and checksums, "
                "made through the dashboard's own connection to the database and signed with this "
                "installation's backup key (kept outside the database): only a backup signed with the same "
                "key can be restored.")
    st.button("Prepare a backup", key="backup_make", icon=":material/inventory_2:", on_click=prepare)
    if BACKUP_ZIP in st.session_state:
        name, data = st.session_state[BACKUP_ZIP]
        st.download_button(f"Download {name}", data, name, "application/zip", key="backup_download",
                           icon=":material/download:", on_click="ignore")


def checked_backup(check, on_restore: Callable, args: tuple) -> None:
    """A backup's problems (nothing changed), or what it holds and the confirmed button to restore it."""
    if not check.ok:
        st.error("**This backup cannot be restored; nothing was changed.**", icon=":material/error:")
        problems(check.problems, "restore_problems")
        return
    st.markdown(backup_sentence(check))
    st.dataframe(pd.DataFrame(check.table_rows()), hide_index=True, width="stretch")
    agree = st.checkbox("I understand that restoring replaces every table's rows with the backup's "
                        "(submitted reports and the change log are kept, and the change log records "
                        "the restore)", key="restore_confirm")
    st.button("Restore this backup", type="primary", disabled=not agree, key="restore_go",
              on_click=on_restore, args=args)
