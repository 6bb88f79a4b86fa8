"""The set-up every page calls first. Streamlit can run a file in pages/ without dashboard.py (a
fresh server's first request to /some_page), so this does what the entry point does — page
config, database, user, access check — and is harmless when it runs twice."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

import queries
from monitor.permissions import Actor
from ui import identity
from ui.pages import PageSpec, pages_for, spec_for

APP_TITLE = "Improvement Monitor"


def configure() -> None:
    st.set_page_config(page_title=APP_TITLE, page_icon=":material/monitoring:", layout="wide")


@dataclass(frozen=True)
class PageContext:
    actor: Actor
    spec: PageSpec
    db: str

    @property
    def linkable(self) -> set[str]:
        """Pages this person may open (st.page_link fails for a page not in the navigation)."""
        return {p.path for p in pages_for(self.actor.role)}


def require_database() -> str:
    db = queries.database_path()
    try:
        queries.connect(db)
    except queries.DatabaseUnavailable as exc:
        st.error(str(exc), icon=":material/database_off:")
        st.stop()
    return str(db)


def leave_legacy_multipage_mode() -> None:
    """A fresh server's first request to /<page> runs pages/<page>.py in Streamlit's old
    pages-folder mode, without dashboard.py (its navigation, role picker and access rules). Leave
    that mode and rerun: the rerun goes through dashboard.py, and because every page's URL path is
    its file name, it lands on the same page."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_setup(page_file: str) -> PageContext:
    """Configure, open the database, identify the user and check they may see this page."""
    leave_legacy_multipage_mode()
    configure()
    db = require_database()
    root = Path(__file__).resolve().parent.parent
    spec = spec_for(Path(page_file).resolve().relative_to(root).as_posix())
    actor = identity.current_actor()
    if actor is None:
        st.error("You are signed in, but your account is not registered for Improvement Monitor. "
                 "Ask an administrator to add you.", icon=":material/block:")
        st.stop()
    if actor.role not in spec.roles:
        st.error(f"The {spec.title} page is not available to a {actor.role}.", icon=":material/block:")
        st.stop()
    if not identity.auth_configured() and not identity.signed_in_email():
        st.markdown(f":material/science: **Demo mode** — no sign-in is configured; viewing as "
                   f"{actor.display_name} ({actor.role}). Choose another role in the sidebar.")
    st.title(spec.title)
    return PageContext(actor=actor, spec=spec, db=db)
