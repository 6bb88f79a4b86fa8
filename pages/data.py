"""Data: templates, a checked all-or-nothing import, edits in place with an audit trail, the change
log, and backup and restore — where programme officers load each quarter's returns."""
from functools import partial

import streamlit as st

import queries
from monitor.imports import edits
from monitor.formatting import counted
from monitor.imports.page import LOG_LIMIT, data_page, editor_intro, import_check, imported, log_choices, log_filter
from monitor.imports.page import table_title as title
from monitor.imports.reading import MAX_BYTES
from monitor.imports.spec import IMPORT_TABLES, specs_from_catalogue
from monitor.imports.validate import SOURCE as UPLOAD_SOURCE
from monitor.clock import today
from monitor.tidy import Origin
from monitor.loaders.problems import Problem
from queries import backup, imports
from queries import edits as edits_store
from queries.write import WriteRefused
from ui import blocks
from ui import imports as draw
from ui import data as data_cache
from ui.data import query, shared
from ui.setup import page_setup


def table_rules():
    return specs_from_catalogue(query("data/import_columns"), query("data/import_constraints"))


ctx = page_setup(__file__)
specs = shared(table_rules)  # read-only: every table's rules from the catalogue, built once per data version
visible = ctx.visible_programmes()  # shared read-only: not copied on every rerun
view = data_page(ctx.actor.role, visible["programme_id"].tolist())
st.markdown("Load each quarter's returns from a template, correct rows in place, and see every change. "
            "A file is checked completely before anything is written; a file with any problem writes nothing.")


def do_import(checked) -> None:
    try:  # who is signed in now, not when the button was drawn
        done = imports.run_import(checked, actor=ctx.fresh_actor(), db=ctx.db)
    except WriteRefused as exc:
        st.session_state["import_done"] = ("error", [f"Nothing was written: {exc}"], None)
        return
    st.session_state["import_done"] = ("ok", imported(checked.file, done))


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
        st.session_state[draw.BACKUP_ZIP] = backup.backup_zip(ctx.db)
    except (backup.BackupKeyError, backup.BackupFailed) as exc:
        st.session_state[draw.RESTORE_DONE] = ("error", [Problem("backup", None, None, None, str(exc))])


def restore(name: str, data: bytes) -> None:
    try:  # who is signed in now, not when the button was drawn
        summary = backup.restore_backup(name, data, actor=ctx.fresh_actor(), db=ctx.db)
    except backup.RestoreRefused as exc:
        st.session_state[draw.RESTORE_DONE] = ("error", exc.problems)
        return
    data_cache.clear()  # the restored file's data version may be one already seen
    st.session_state[draw.RESTORE_DONE] = ("ok", summary)
    blocks.forget("restore_confirm")


tab_import, tab_templates, tab_edit, tab_log, tab_backup, *tab_users = st.tabs(view.tabs)
for tab in tab_users:  # administrators: user management (its forms live on pages/users.py)
    with tab:
        draw.users_link()

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
                checked = imports.validate_upload(upload.name, upload.getvalue(), actor=ctx.actor,
                                                  table=None if named == "auto" else named, db=ctx.db)
            st.session_state["import_check"] = (cache_key, checked)
        checked = st.session_state["import_check"][1]
        draw.checked_file(import_check(checked), do_import, (checked,))

with tab_templates:
    st.header("Templates")
    st.markdown(draw.TEMPLATES_INTRO)
    chosen = st.selectbox("Template for", IMPORT_TABLES, format_func=title, key="template_table")
    draw.template_downloads(chosen, specs[chosen], partial(imports.example_rows, chosen, view.example_programmes,
                                                           db=ctx.db))

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
        st.markdown(editor_intro(len(base), table_name))
        st.data_editor(base, key=editor_key, num_rows="dynamic", hide_index=True, width="stretch",
                       column_config=blocks.editor_columns(spec))
        deleting = edits.deleted_keys(spec, base, st.session_state.get(editor_key) or {})
        if deleting:
            st.checkbox(f"Yes, delete the {counted(len(deleting), 'row')} I selected", key=f"confirm::{editor_key}")
        draw.editor_buttons(save_edits, (table_name, programme, base_key, editor_key), forget=(base_key, editor_key))

with tab_log:
    st.header("Change log")
    tables, people = log_choices(ctx.read("data/change_log_filters"))
    a, b, c = st.columns(3)
    log_table = a.selectbox("Table", tables, key="log_table", format_func=lambda t: "All tables" if t == "all" else title(t))
    person = b.selectbox("Changed by", people, key="log_person", format_func=lambda p: "Everyone" if p == "all" else p)
    since = c.date_input("Changed on or after", value=None, key="log_since", format="DD/MM/YYYY")
    draw.change_log(ctx.read("data/change_log_entries", table_name=log_filter(log_table), changed_by=log_filter(person),
                             from_date=since, to_date=None, row_limit=LOG_LIMIT))

with tab_backup:
    st.header("Backup and restore")
    if not view.makes_backups:
        st.markdown("Backups and restores of the whole database are made by an administrator.")
    else:
        draw.restore_outcome()
        draw.backup_offer(prepare_backup)
        st.subheader("Restore from a backup")
        restore_file = st.file_uploader("Backup zip", type=["zip"], key="restore_file", max_upload_size=500)
        if restore_file is not None:
            check = backup.check_backup(restore_file.name, restore_file.getvalue(), ctx.db)
            draw.checked_backup(check, restore, (restore_file.name, restore_file.getvalue()))
