"""Who is using the dashboard. Signed in (st.login / OpenID Connect): the `app_user` row for the
signed-in email. Demo mode (no provider configured): a role picker over the demo users."""
from __future__ import annotations

import streamlit as st

from monitor.permissions import Actor
from ui.data import query

DEMO_KEY = "demo_email"


def auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all: demo mode
        return False


def _users():
    return query("app_users")


def _actor_from_row(row) -> Actor:
    return Actor(
        email=row["email"], display_name=row["display_name"], role=row["role"],
        programme_ids=frozenset(list(row["programme_ids"])), ons_code=row["ons_code"] if isinstance(row["ons_code"], str) else None,
    )


def signed_in_email() -> str | None:
    if st.user.get("is_logged_in", False):
        return st.user.get("email")
    return None


def current_actor() -> Actor | None:
    """The signed-in or demo user, or None when a signed-in email is not a known user."""
    users = _users()
    email = signed_in_email()
    if email is None and not auth_configured():
        email = st.session_state.get(DEMO_KEY)
        if email not in set(users["email"]):
            admins = users[users["role"] == "administrator"]
            email = (admins if not admins.empty else users)["email"].iloc[0]
    match = users[users["email"].str.lower() == (email or "").lower()]
    if match.empty:
        return None
    return _actor_from_row(match.iloc[0])


def demo_picker() -> None:
    """Sidebar role picker, drawn by dashboard.py only (never twice in one run)."""
    if auth_configured() or signed_in_email():
        return
    users = _users()
    labels = {r.email: f"{r.display_name} — {r.role}" for r in users.itertuples()}
    if st.session_state.get(DEMO_KEY) not in labels:
        current = current_actor()
        st.session_state[DEMO_KEY] = current.email if current else next(iter(labels))
    st.sidebar.selectbox(
        "Demo mode: view as", options=list(labels), format_func=labels.get, key=DEMO_KEY,
        help="No sign-in provider is configured, so you can try each role.",
    )
