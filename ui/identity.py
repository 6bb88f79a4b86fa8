"""Who is using the dashboard.

Signed in (st.login, OpenID Connect — e.g. Microsoft Entra ID — configured in the `[auth]` section
of .streamlit/secrets.toml): the active `app_user` row for the signed-in email. Demo mode (no
`[auth]` section): a role picker over the demo users, starting as $MONITOR_DEMO_USER or the first
administrator."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

import streamlit as st

from dataclasses import replace

from monitor import clock
from monitor.permissions import ROLE_SUMMARY, Actor, actors_by_email, email_is_plain, email_key, session_ended
from monitor.text import plain
from queries.sessions import record_sign_out
from ui.data import query, shared

DEMO_KEY = "demo_email"
DEMO_USER_ENV = "MONITOR_DEMO_USER"
SESSION_BEGAN_KEY = "session_began_at"

Mode = Literal["demo", "signed out", "not registered", "signed in"]


@dataclass(frozen=True)
class Who:
    """The person at the keyboard: `actor` is None when signed out or not registered."""

    mode: Mode
    actor: Actor | None
    email: str | None = None  # the address the provider vouched for (also when not registered)


def auth_section() -> dict:
    try:
        return dict(st.secrets["auth"]) if "auth" in st.secrets else {}
    except Exception:  # no secrets.toml at all: demo mode
        return {}


def auth_configured() -> bool:
    return bool(auth_section())


def provider() -> str | None:
    """The named provider (`[auth.<name>]`), or None for the settings directly under `[auth]`."""
    names = [k for k, v in auth_section().items() if isinstance(v, dict) or hasattr(v, "keys")]
    return names[0] if names else None


def email_is_verified(claim) -> bool:
    """The `email_verified` claim as a verdict: only a boolean true, or the text "true" (in any
    case; some providers send claims as strings), counts. An absent claim (None) also counts: Entra
    ID does not send one, and the address then comes from the organisation's own directory (the
    tenant-specific metadata URL the README asks for), which vouches for it."""
    if claim is None:
        return True
    if isinstance(claim, bool):
        return claim
    return isinstance(claim, str) and claim.strip().casefold() == "true"


def signed_in_email() -> str | None:
    """The email the identity provider vouched for, or None when nobody is signed in or the
    provider says the address is not verified (`email_is_verified`). Entra ID sends `email` only
    when the mailbox has one; `preferred_username` is the sign-in address."""
    if not st.user.get("is_logged_in", False):
        return None
    if not email_is_verified(st.user.get("email_verified")):
        return None
    email = st.user.get("email") or st.user.get("preferred_username")
    return str(email).strip() if email else None


def _users():
    return query("users/app_users")


def _actor_table() -> dict[str, Actor]:
    return actors_by_email(_users())


def _actors() -> dict[str, Actor]:
    """Active users by `email_key`, as of the current data version (so a change an
    administrator makes counts at the next click)."""
    return shared(_actor_table)


def _actor(actors: dict[str, Actor], email: str | None) -> Actor | None:
    """The registered user with this address (compared by `email_key`). An address that Unicode
    normalisation would change (a Kelvin sign for a K) matches nobody: it is not the address it
    looks like."""
    if not email or not email_is_plain(email):
        return None
    return actors.get(email_key(email))


def _demo_default(actors: dict[str, Actor]) -> str | None:
    wanted = _actor(actors, os.environ.get(DEMO_USER_ENV, ""))
    if wanted is not None:
        return wanted.email
    admins = [a for a in actors.values() if a.role == "administrator"]
    everyone = admins or list(actors.values())
    return everyone[0].email if everyone else None


def who() -> Who:
    """Signed in, signed out, not registered, or demo — read fresh on every run, so a user an
    administrator deactivates or changes loses access on their next click."""
    actors = _actors()
    if st.user.get("is_logged_in", False):
        email = signed_in_email()
        actor = _actor(actors, email)
        if actor is None:
            return Who("not registered", None, email)
        # A tab left open after its person signed out in another tab has ended too: the sign-out is
        # recorded in app_user, and this session began before it.
        began = st.session_state.setdefault(SESSION_BEGAN_KEY, clock.instant())
        if session_ended(began, actor.signed_out_at):
            return Who("signed out", None)
        return Who("signed in", replace(actor, signed_in_at=began), email)
    if auth_configured():
        return Who("signed out", None)
    actor = _actor(actors, st.session_state.get(DEMO_KEY)) or _actor(actors, _demo_default(actors))
    return Who("demo", actor, actor.email if actor else None)


def demo_picker(current: Who) -> None:
    """Sidebar role picker (demo mode only), drawn by dashboard.py only (never twice in one run)."""
    labels = {a.email: f"{a.display_name} — {a.role}" for a in _actors().values()}
    if st.session_state.get(DEMO_KEY) not in labels:
        st.session_state[DEMO_KEY] = current.email if current.email in labels else next(iter(labels))
    st.sidebar.selectbox(
        "Demo mode: view as", options=list(labels), format_func=labels.get, key=DEMO_KEY,
        help="No sign-in provider is configured, so you can try each role.",
    )


def sign_out() -> None:
    """Forget everything this session held (widget values, drafts, choices), then sign out with
    the provider; the browser is sent through the provider's sign-out and back to a new session.
    (A button callback: it runs before the script, so the run that follows is already signed out.)"""
    email = signed_in_email() if auth_configured() else None
    if email:
        record_sign_out(email)  # every other tab of this person ends at its next click
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.logout()


def account_panel(current: Who) -> None:
    """Sidebar: who is signed in, as what, and the sign-out button."""
    with st.sidebar:
        if current.actor is not None:
            a = current.actor
            st.markdown(f":material/account_circle: Signed in as **{plain(a.display_name)}**  \n"
                        f"{a.role} · {plain(a.email)}")
        elif current.email:
            st.markdown(f":material/account_circle: Signed in as {plain(current.email)} (not registered)")
        st.button("Sign out", key="sign_out", icon=":material/logout:", on_click=sign_out)


def sidebar(current: Who) -> None:
    """The identity part of the sidebar: the demo picker, or the signed-in account."""
    if current.mode == "demo":
        demo_picker(current)
    elif current.mode in ("signed in", "not registered"):
        account_panel(current)


def sign_in_prompt(app_title: str) -> None:
    """The page a signed-out visitor sees, whatever URL they opened."""
    st.title(app_title)
    st.markdown("Improvement Monitor follows council improvement programmes and partnerships. "
                "Sign in with your organisation's Microsoft 365 account to see the programmes you "
                "work on.")
    if st.button("Sign in", type="primary", icon=":material/login:", key="sign_in"):
        name = provider()
        st.login(name) if name else st.login()
    st.markdown("Access is by invitation: if you cannot sign in, ask your Improvement Monitor "
                "administrator to register your work email address.")


def refuse_unregistered(email: str | None) -> None:
    if email and not email_is_plain(email):
        odd = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(email) if not email_is_plain(c))
        st.error(f"You are signed in as {plain(email)}, an address with characters that stand for other "
                 f"letters ({odd or 'a letter written as two characters'}), so Improvement Monitor cannot "
                 "take it for a registered address. Ask your IT team to correct the address, or sign out "
                 "and sign in with another account.", icon=":material/block:")
    elif not email and st.user.get("email") and not email_is_verified(st.user.get("email_verified")):
        st.error(f"Your organisation's sign-in says the address {plain(str(st.user.get('email')))} is not "
                 "verified, so Improvement Monitor cannot take it as yours. Ask your IT team to verify the "
                 "address, or sign out and sign in with another account.", icon=":material/block:")
    elif email:
        st.error(f"You are signed in as {plain(email)}, but this address is not registered for "
                 "Improvement Monitor (or its access has ended). Ask an administrator to add you, "
                 "or sign out and sign in with another account.", icon=":material/block:")
    else:
        st.error("Your sign-in did not share an email address, so Improvement Monitor cannot tell "
                 "who you are. Ask your IT team to release the `email` claim to this app, or sign "
                 "out and try another account.", icon=":material/block:")


def role_summary(role: str) -> str:
    return ROLE_SUMMARY.get(role, role)
