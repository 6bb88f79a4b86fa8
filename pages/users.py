"""Users (administrators only): who may sign in, as what, and for which programmes — add, change,
deactivate. Every change goes through the write function, so it is checked and logged."""
import pandas as pd
import streamlit as st

from monitor.formatting import format_date
from monitor.permissions import ROLE_SUMMARY, ROLES
from monitor.text import plain
from monitor.clock import today
from monitor.tidy import Origin
from monitor.users import (SOURCE, Account, account_problems, normalise_email, programme_link_changes,
                           self_change_problems)
from queries.write import Change, WriteRefused, write
from ui import blocks
from ui.data import query
from ui.setup import page_setup

ctx = page_setup(__file__)
FLASH = "users_flash"

users = query("users/app_users_all")
programmes = query("programmes/all")
councils = query("programmes/councils_all")
programme_names = dict(zip(programmes["programme_id"], programmes["programme_name"]))
council_names = {r.ons_code: r.authority_name + (f" (abolished {format_date(r.abolished_date)})"
                                                  if pd.notna(r.abolished_date) else "")
                 for r in councils.itertuples()}

st.markdown("People sign in with their organisation's account; only the addresses registered here "
            "get in, and each sees what their role allows. Deactivating someone ends their access at "
            "their next click and keeps their name in the change log.")
with st.expander("What each role may do"):
    for role in ROLES:
        st.markdown(f"- **{role}:** {ROLE_SUMMARY[role]}")

st.header("Who may sign in")
active = int(users["is_active"].sum())
st.markdown(f"**{active} active** and {len(users) - active} deactivated accounts.")
listing = pd.DataFrame({
    "name": users["display_name"], "email": users["email"], "role": users["role"],
    "access": users["is_active"].map({True: "Active", False: "Deactivated"}),
    "council": users["ons_code"].map(lambda c: council_names.get(c, "") if isinstance(c, str) else ""),
    "programmes": users["programme_ids"].map(lambda ids: "; ".join(programme_names.get(p, p) for p in ids)),
})
blocks.table(listing, key="users", file_name="users.csv", origin=Origin(SOURCE, today()))


def account_form(prefix: str, row=None, *, on_submit, args=()) -> None:
    """The fields of one account; submitting calls `on_submit` (a callback: it runs before the
    next run, with the values in session state under `<prefix>_<field>`)."""
    with st.form(f"{prefix}_form", border=True):
        if row is None:
            st.text_input("Work email address", key=f"{prefix}_email",
                          help="The address they sign in with (Microsoft 365 account).")
        else:
            st.markdown(f"**{plain(row['email'])}** — the address cannot change; add a new account instead.")
        st.text_input("Name as shown", value=None if row is None else row["display_name"],
                      key=f"{prefix}_name", max_chars=200)
        st.selectbox("Role", ROLES, index=None if row is None else ROLES.index(row["role"]),
                     key=f"{prefix}_role", placeholder="Choose a role",
                     format_func=lambda r: f"{r} — {ROLE_SUMMARY[r]}")
        ons = row["ons_code"] if row is not None and isinstance(row["ons_code"], str) else None
        st.selectbox("Council (required for a chief executive)", list(council_names),
                     index=None if ons is None else list(council_names).index(ons),
                     format_func=council_names.get, key=f"{prefix}_council", placeholder="No council")
        st.multiselect("Programmes they may see", list(programme_names),
                       default=[] if row is None else [p for p in row["programme_ids"] if p in programme_names],
                       format_func=programme_names.get, key=f"{prefix}_programmes",
                       help="An administrator sees every programme whatever is chosen here.")
        if row is not None:
            st.checkbox("Active (may sign in)", value=bool(row["is_active"]), key=f"{prefix}_active")
        st.form_submit_button("Add person" if row is None else "Save changes", type="primary",
                              on_click=on_submit, args=args)


def entered(prefix: str, email: str, active: bool = True) -> Account:
    ss = st.session_state
    return Account(normalise_email(email), (ss.get(f"{prefix}_name") or "").strip(), ss.get(f"{prefix}_role"),
                   ss.get(f"{prefix}_council"), frozenset(ss.get(f"{prefix}_programmes") or []),
                   bool(ss.get(f"{prefix}_active", active)))


def save(section: str, changes: list[Change], message: str, prefix: str) -> None:
    """One all-or-nothing write as the person signed in now (not as they were when the form was
    drawn); on success the form forgets what was typed."""
    try:
        write(changes, actor=ctx.fresh_actor(), note="user management")
    except WriteRefused as exc:
        st.session_state[FLASH] = (section, "error", f"Nothing was saved: {exc}")
        return
    for key in [k for k in st.session_state if str(k).startswith(prefix + "_")]:
        del st.session_state[key]
    st.session_state[FLASH] = (section, "success", message)


def refuse(section: str, problems: list[str]) -> None:
    st.session_state[FLASH] = (section, "error", "Nothing was saved:\n" + "\n".join(f"- {p}" for p in problems))


def add_person() -> None:
    new = entered("add", st.session_state.get("add_email", ""))
    problems = account_problems(new, existing_emails=query("users/app_users_all")["email"], is_new=True)
    if problems:
        return refuse("add", problems)
    values = {"display_name": new.display_name, "role": new.role, "ons_code": new.ons_code, "is_active": True}
    save("add", [Change("app_user", "insert", {"email": new.email}, values)]
         + [Change("app_user_programme", "insert", {"email": new.email, "programme_id": p})
            for p in sorted(new.programme_ids)],
         f"Added {new.display_name} ({new.email}) as {new.role}.", "add")


def change_person(email: str, prefix: str) -> None:
    current = query("users/app_users_all")
    row = current[current["email"] == email].iloc[0]
    edited = entered(prefix, email, bool(row["is_active"]))
    problems = account_problems(edited, is_new=False) + self_change_problems(ctx.fresh_actor().email, edited)
    if problems:
        return refuse("edit", problems)
    added, removed = programme_link_changes(row["programme_ids"], edited.programme_ids)
    values = {"display_name": edited.display_name, "role": edited.role, "ons_code": edited.ons_code,
              "is_active": edited.is_active}
    save("edit", [Change("app_user", "update", {"email": email}, values, expected_version=int(row["row_version"]))]
         + [Change("app_user_programme", "insert", {"email": email, "programme_id": p}) for p in added]
         + [Change("app_user_programme", "delete", {"email": email, "programme_id": p}) for p in removed],
         f"Saved {edited.display_name} ({email}): {edited.role}, {'active' if edited.is_active else 'deactivated'}.",
         prefix)


def outcome(section: str) -> None:
    flash = st.session_state.get(FLASH)
    if flash and flash[0] == section:
        del st.session_state[FLASH]
        (st.success if flash[1] == "success" else st.error)(
            plain(flash[2]), icon=":material/check_circle:" if flash[1] == "success" else ":material/error:")


st.header("Add a person")
account_form("add", on_submit=add_person)
outcome("add")

st.header("Change or deactivate a person")
labels = {r.email: f"{r.display_name} — {r.role}{'' if r.is_active else ' (deactivated)'}" for r in users.itertuples()}
picked = st.selectbox("Person", list(labels), index=None, format_func=labels.get, key="edit_person",
                      placeholder="Choose a person")
if picked:
    prefix = "edit_" + "".join(ch if ch.isalnum() else "_" for ch in picked)
    account_form(prefix, users[users["email"] == picked].iloc[0], on_submit=change_person, args=(picked, prefix))
outcome("edit")
