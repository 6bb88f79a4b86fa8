"""Data: templates, a checked all-or-nothing import, edits in place with an audit trail, the change
log, and backup and restore — where programme officers load each quarter's returns."""
from functools import partial

import pandas as pd
import streamlit as st

import queries
from monitor.formatting import counted, format_date
from monitor.imports import changelog, edits, templates
from monitor.imports.reading import MAX_BYTES
from monitor.imports.spec import IMPORT_TABLES, TABLE_TITLES, specs_from_catalogue
from monitor.imports.validate import SOURCE as UPLOAD_SOURCE
from monitor.imports.validate import problem_rows
from monitor.loaders.problems import Problem
from monitor.clock import today
from monitor.text import plain
from monitor.tidy import Origin
from queries import backup, imports
from queries import edits as edits_store
from queries.backup.restore import SOURCE as RESTORE_SOURCE
from queries.write import WriteRefused
from ui import blocks
from ui.data import query, shared
from ui.setup import page_setup


def template_file(make, spec, examples) -> bytes:
    return make(spec, examples())


def table_rules():
    return specs_from_catalogue(query("data/import_columns"), query("data/import_constraints"))


ctx = page_setup(__file__)
actor, is_admin = ctx.actor, ctx.actor.role == "administrator"
specs = shared(table_rules)  # read-only: every table's rules from the catalogue, built once per data version
title = lambda t: TABLE_TITLES.get(t, t)  # noqa: E731
visible = ctx.visible_programmes()  # shared read-only: not copied on every rerun
mine = visible["programme_id"].tolist()
st.markdown("Load each quarter's returns from a template, correct rows in place, and see every change. "
            "A file is checked completely before anything is written; a file with any problem writes nothing.")


def do_import(checked) -> None:
    try:  # who is signed in now, not when the button was drawn
        done = imports.run_import(checked, actor=ctx.fresh_actor(), db=ctx.db)
    except WriteRefused as exc:
        st.session_state["import_done"] = ("error", [f"Nothing was written: {exc}"], None)
        return
    st.session_state["import_done"] = ("ok", f"Imported {checked.file}: {done.inserted} inserted, {done.updated} "
                                             f"updated, {done.unchanged} unchanged. Every change is in the change log.")


def save_edits(table_name: str, programme: str, base_key: str, editor_key: str) -> None:
    saved = edits_store.save_edits(specs[table_name], specs, st.session_state[base_key],
                                   st.session_state.get(editor_key) or {}, programme=programme,
                                   confirmed=bool(st.session_state.get(f"confirm::{editor_key}")),
                                   actor=ctx.fresh_actor(), db=ctx.db)
    if saved.ok:
        st.session_state["edit_done"] = ("ok", saved.messages[0])
        blocks.forget(base_key, editor_key, f"confirm::{editor_key}")
    else:
        st.session_state["edit_done"] = ("error", list(saved.messages), saved.problems)


def prepare_backup() -> None:
    try:
        st.session_state["backup_zip"] = backup.backup_zip(ctx.db)
    except (backup.BackupKeyError, backup.BackupFailed) as exc:
        st.session_state["restore_done"] = ("error", [Problem("backup", None, None, None, str(exc))])


def restore(name: str, data: bytes) -> None:
    try:  # who is signed in now, not when the button was drawn
        summary = backup.restore_backup(name, data, actor=ctx.fresh_actor(), db=ctx.db)
    except backup.RestoreRefused as exc:
        st.session_state["restore_done"] = ("error", exc.problems)
        return
    st.cache_data.clear()
    st.session_state["restore_done"] = ("ok", summary)
    blocks.forget("restore_confirm")


def restore_outcome() -> None:
    """What the last restore did (the summary `make restore` prints), or why it was refused. Text
    from the backup or its file name is shown only in tables, never as markdown."""
    outcome = st.session_state.pop("restore_done", None)
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
        show_problems(outcome[1], "restore_refused")


def show_problems(problems: list[Problem], key: str) -> None:
    """Each problem on its own line, as `make restore` prints it, in plain text (names and values
    from a backup are never read as markdown); all of them as CSV."""
    for problem in problems[:50]:
        st.text(str(problem))
    if len(problems) > 50:
        st.text(f"… and {len(problems) - 50} more (all of them in the CSV).")
    blocks.download_csv(pd.DataFrame(problem_rows(problems)), "problems.csv", key=f"{key}_csv",
                        label="Download the problems (CSV)", origin=Origin(RESTORE_SOURCE, today()))


tab_import, tab_templates, tab_edit, tab_log, tab_backup, *tab_users = st.tabs(
    ["Import a file", "Templates", "Edit a table", "Change log", "Backup and restore"] + (["Users"] if is_admin else []))
for tab in tab_users:  # administrators: user management (its forms live on pages/users.py)
    with tab:
        st.header("Users")
        st.markdown("Who may sign in, their role, their council and their programmes.")
        st.page_link("pages/users.py", label="Manage users: add, change role or programmes, deactivate",
                     icon=":material/manage_accounts:")

with tab_import:
    st.header("Import a file")
    blocks.flash("import_done", origin=Origin(UPLOAD_SOURCE, today()))
    upload = st.file_uploader("CSV or XLSX file (a filled-in template, or an official Ofsted or DfE file as published)",
                              type=["csv", "xlsx"], key="import_file", max_upload_size=MAX_BYTES // (1024 * 1024))
    named = st.selectbox("Table", ["auto", *IMPORT_TABLES], key="import_table",
                         format_func=lambda t: "Tell from the file's headers" if t == "auto" else title(t))
    if upload is not None:
        cache_key = (upload.file_id, named, queries.data_version(ctx.db))
        if st.session_state.get("import_check", (None,))[0] != cache_key:
            with st.spinner("Checking every row…"):
                checked = imports.validate_upload(upload.name, upload.getvalue(), actor=actor,
                                                  table=None if named == "auto" else named, db=ctx.db)
            st.session_state["import_check"] = (cache_key, checked)
        checked = st.session_state["import_check"][1]
        if not checked.ok:
            st.error(f"**{counted(len(checked.problems), 'problem')} in {plain(checked.file)}: nothing will be written.** "
                     "Fix them in your file and upload it again.", icon=":material/error:")
            problems = pd.DataFrame(problem_rows(checked.problems))
            st.subheader("Problems")
            blocks.table(problems, key="import_problems", file_name=f"problems-{checked.file}.csv",
                         origin=Origin(UPLOAD_SOURCE, today()))
        else:
            st.markdown(f"**{plain(checked.file)}** → {title(checked.table)}: no problems found. "
                        f"Importing would give **{checked.summary()}**.")
            counts = checked.counts()
            if not (counts["insert"] or counts["update"] or counts.get("delete")):
                st.info("Nothing to import: every row already matches the database.", icon=":material/info:")
            else:
                st.button(f"Import {plain(checked.file)}", type="primary", key="import_go", icon=":material/upload:",
                          on_click=do_import, args=(checked,))

with tab_templates:
    st.header("Templates")
    st.markdown("Each template has the table's columns and example rows that pass every check: rows of your "
                "programmes where there are some (importing them again changes nothing), otherwise examples made "
                "for your programme. In the Excel workbook, columns with allowed values or TRUE/FALSE have a "
                "drop-down list, dates are Excel dates, and each column says what it holds when you select a "
                "cell; its second sheet (*columns*) gives every rule in plain English, as below.")
    chosen = st.selectbox("Template for", IMPORT_TABLES, format_func=title, key="template_table")
    spec = specs[chosen]
    wide = st.column_config.TextColumn(width="large")
    st.dataframe(templates.describe_columns(spec), hide_index=True, width="stretch",
                 column_config={"allowed values": wide, "rules": wide, "must match": wide})
    # The files are made when a button is clicked (Streamlit calls `data` then, in another thread,
    # after this run has moved on): everything they need is bound now.
    examples = partial(imports.example_rows, chosen, None if is_admin else set(mine), db=ctx.db)
    left, right = st.columns(2)
    left.download_button(f"Download {chosen}.csv", partial(template_file, templates.template_csv, spec, examples),
                         f"{chosen}.csv", "text/csv", key="template_csv", icon=":material/download:", on_click="ignore")
    right.download_button(f"Download {chosen}.xlsx", partial(template_file, templates.template_xlsx, spec, examples),
                          f"{chosen}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="template_xlsx",
                          icon=":material/download:", on_click="ignore")

with tab_edit:
    st.header("Edit a table")
    programme = blocks.programme_picker(visible) if len(visible) else None
    table_name = st.selectbox("Table to edit", IMPORT_TABLES, format_func=title, key="edit_table")
    if programme is None:
        st.warning("You have no programmes to edit.")
    else:
        spec = specs[table_name]
        base_key, editor_key = f"edit_base::{table_name}::{programme}", f"editor::{table_name}::{programme}"
        if base_key not in st.session_state:  # the rows as opened: saved edits are checked against them
            st.session_state[base_key] = imports.editable_rows(table_name, programme, db=ctx.db)
        base = st.session_state[base_key]
        st.markdown(f"{counted(len(base), 'row')} of {title(table_name)} for this programme. Edit cells, add rows at the "
                    "bottom, or select rows and delete them; then save. Nothing is written until you save.")
        st.data_editor(base, key=editor_key, num_rows="dynamic", hide_index=True, width="stretch",
                       column_config=blocks.editor_columns(spec))
        state = st.session_state.get(editor_key) or {}
        deleting = edits.deleted_keys(spec, base, state)
        if deleting:
            st.checkbox(f"Yes, delete the {counted(len(deleting), 'row')} I selected", key=f"confirm::{editor_key}")
        save, reload = st.columns([1, 4])
        save.button("Save changes", type="primary", key="edit_save", icon=":material/save:", on_click=save_edits,
                    args=(table_name, programme, base_key, editor_key))
        reload.button("Reload the table", key="edit_reload", icon=":material/refresh:", on_click=blocks.forget,
                      args=(base_key, editor_key))
        blocks.flash("edit_done", origin=Origin(edits.SOURCE, today()))

with tab_log:
    st.header("Change log")
    filters = ctx.read("data/change_log_filters")
    a, b, c = st.columns(3)
    log_table = a.selectbox("Table", ["all", *sorted(filters["table_name"].unique())], key="log_table",
                            format_func=lambda t: "All tables" if t == "all" else title(t))
    person = b.selectbox("Changed by", ["all", *sorted(filters["changed_by"].unique())], key="log_person",
                         format_func=lambda p: "Everyone" if p == "all" else p)
    since = c.date_input("Changed on or after", value=None, key="log_since", format="DD/MM/YYYY")
    log = ctx.read("data/change_log_entries", table_name=None if log_table == "all" else log_table,
                changed_by=None if person == "all" else person, from_date=since, to_date=None, row_limit=1000)
    st.markdown(f"**{counted(len(log), 'change')}** shown, newest first" + (" (the latest 1,000)." if len(log) == 1000 else "."))
    if len(log):
        blocks.table(changelog.describe_log(log), key="log", file_name="change-log.csv",
                     origin=Origin(changelog.SOURCE, today()))
        st.subheader("Before and after")
        pick = st.selectbox("Change to look at", log["change_id"].tolist(), key="log_pick",
                            format_func=lambda i: changelog.describe_log(log[log["change_id"] == i]).iloc[0][
                                ["Change", "Table", "Row", "Action"]].astype(str).str.cat(sep=" · "))
        entry = log[log["change_id"] == pick].iloc[0]
        st.dataframe(changelog.side_by_side(entry["before_json"], entry["after_json"]), hide_index=True, width="stretch")

with tab_backup:
    st.header("Backup and restore")
    if not is_admin:
        st.markdown("Backups and restores of the whole database are made by an administrator.")
    else:
        restore_outcome()
        st.markdown("A backup is a zip of every table (Parquet) with a manifest of row counts and checksums, "
                    "made through the dashboard's own connection to the database and signed with this "
                    "installation's backup key (kept outside the database): only a backup signed with the same "
                    "key can be restored.")
        st.button("Prepare a backup", key="backup_make", icon=":material/inventory_2:", on_click=prepare_backup)
        if "backup_zip" in st.session_state:
            name, data = st.session_state["backup_zip"]
            st.download_button(f"Download {name}", data, name, "application/zip", key="backup_download",
                               icon=":material/download:", on_click="ignore")
        st.subheader("Restore from a backup")
        restore_file = st.file_uploader("Backup zip", type=["zip"], key="restore_file", max_upload_size=500)
        if restore_file is not None:
            check = backup.check_backup(restore_file.name, restore_file.getvalue(), ctx.db)
            if not check.ok:
                st.error("**This backup cannot be restored; nothing was changed.**", icon=":material/error:")
                show_problems(check.problems, "restore_problems")
            else:
                st.markdown(f"Backup made {format_date(check.made_at)} at {check.made_at:%H:%M}, schema version "
                            f"{int(check.manifest['schema_version'])}, signed with this installation's key. "
                            "It passed every check.")
                st.dataframe(pd.DataFrame(check.table_rows()), hide_index=True, width="stretch")
                agree = st.checkbox("I understand that restoring replaces every table's rows with the backup's "
                                    "(submitted reports and the change log are kept, and the change log records "
                                    "the restore)", key="restore_confirm")
                st.button("Restore this backup", type="primary", disabled=not agree, key="restore_go",
                          on_click=restore, args=(restore_file.name, restore_file.getvalue()))
