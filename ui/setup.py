"""The set-up every page calls first. Streamlit can run a file in pages/ without dashboard.py (a
fresh server's first request to /some_page), so this does what the entry point does — page
config, database, user, access check — and is harmless when it runs twice."""
from __future__ import annotations

import runpy
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

import queries
from monitor.permissions import Actor, may_write, visible_frame, visible_programme_ids
from monitor.text import plain
from ui import identity
from ui.data import query, shared
from ui.pages import PAGES, PageSpec, pages_for, spec_for

APP_TITLE = "Improvement Monitor"
ENTRY_POINT = Path(__file__).resolve().parent.parent / "dashboard.py"
HOME_PAGE = "pages/overview.py"


# Keyboard focus is always visible: a 3 px near-black outline (19:1 on white, 17:1 on the sidebar's
# grey) with a yellow halo, unlike the current page's grey highlight in the menu. Streamlit's own
# focus rings are faint or removed on several controls. A text box or drop-down is outlined whole
# (its own <input> would be clipped by the box around it).
FOCUS_CSS = """<style>
:focus-visible, .stApp a:focus-visible, .stApp button:focus-visible, .stApp [tabindex]:focus-visible,
.stApp summary:focus-visible, .stApp input:focus-visible, .stApp textarea:focus-visible {
  outline: 3px solid #0b0c0c !important; outline-offset: 2px !important;
  box-shadow: 0 0 0 5px #ffdd00 !important;
}
.stApp [role="group"]:has(> input:focus-visible) {  /* a drop-down (its input is clipped by this box) */
  outline: 3px solid #0b0c0c !important; outline-offset: 2px !important;
  box-shadow: 0 0 0 5px #ffdd00 !important;
}
.stApp [role="group"] > input:focus-visible { outline: none !important; box-shadow: none !important; }
.stApp [data-baseweb="input"]:focus-within, .stApp [data-baseweb="textarea"]:focus-within {
  outline: 3px solid #0b0c0c !important; outline-offset: -3px !important;  /* inside: the column clips outside */
}
.stApp [data-baseweb="input"] input:focus-visible, .stApp [data-baseweb="textarea"] textarea:focus-visible {
  outline: none !important; box-shadow: none !important;  /* drawn round the whole box above */
}
</style>"""


def page_title(title: str | None = None) -> str:
    """The browser tab's title: the page's own name first, so each tab and history entry differs."""
    return f"{title} – {APP_TITLE}" if title and title != APP_TITLE else APP_TITLE


def configure(title: str | None = None) -> None:
    st.set_page_config(page_title=page_title(title), page_icon=":material/monitoring:", layout="wide")
    st.html(FOCUS_CSS)


@dataclass(frozen=True)
class PageContext:
    actor: Actor
    spec: PageSpec
    db: str

    def visible_programmes(self, when_none: str | None = None):
        """The programmes this person may see (all of them for an administrator). With `when_none`,
        a person registered for none reads that message and the page stops there."""
        visible = shared(_visible_programmes, self.actor.role, tuple(sorted(self.actor.programme_ids)))
        if visible.empty and when_none:
            st.warning(when_none)
            st.stop()
        return visible

    @property
    def linkable(self) -> set[str]:
        """Pages this person may open (st.page_link fails for a page not in the navigation)."""
        return {p.path for p in pages_for(self.actor.role)}

    def read(self, name: str, **params):
        """A named query's rows for this page, limited to what the person may read as they are in the
        database now (monitor.permissions.visible_frame; the query's header names the rule)."""
        reader = identity.who().actor or Actor(self.actor.email, self.actor.email, "no access")
        return visible_frame(reader, query(name, **params), queries.loader.visibility(name))

    def may_write(self, table: str, programme_id: str | None = None) -> bool:
        """Whether to offer an edit control at all (the write function checks again)."""
        return may_write(self.actor, table, programme_id)[0]

    def fresh_actor(self) -> Actor:
        """The person as of this moment — use it in button callbacks, which run before
        page_setup with the previous run's context: a role taken away or an account deactivated
        since then counts at once. Someone who may no longer use this page gets an Actor without
        a role, whom the write function refuses (and logs)."""
        who = identity.who()
        if who.actor is not None and who.actor.role in self.spec.roles:
            return who.actor
        email = who.email or self.actor.email
        return Actor(email, email, "no access")


def _visible_programmes(role: str, programme_ids: tuple[str, ...]):
    """The programmes a role registered for these programmes sees: kept per data version, shared
    read-only (every page calls this on every rerun)."""
    programmes = query("programmes/all")
    actor = Actor("", "", role, frozenset(programme_ids))
    ids = visible_programme_ids(actor, programmes["programme_id"])
    # Every one (an administrator): the frame itself, not a 400-row filter that keeps every row.
    return programmes if len(ids) == len(programmes) else programmes[programmes["programme_id"].isin(ids)]


def require_database() -> str:
    try:
        db = queries.database_path()
        queries.connect(db)
    except queries.DatabaseUnavailable as exc:
        st.error(str(exc), icon=":material/database_off:")
        st.stop()
    return str(db)


def leave_legacy_multipage_mode() -> None:
    """A fresh server's first request to /<page> runs pages/<page>.py in Streamlit's old
    pages-folder mode, without dashboard.py (its navigation, role picker and access rules). Leave
    that mode and run dashboard.py right here: its navigation runs this same page inside it
    (every page's URL path is its file name), then the outer legacy run stops. One pass, so a
    button clicked in this run still counts (a rerun would lose it; AppTest starts every run in
    the legacy mode)."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        ctx = get_script_run_ctx()
        # Under the entry point's own script hash, as in every later run: widgets drawn by
        # dashboard.py (the role picker) keep the same identity, so the first change counts.
        with ctx.run_with_active_hash(ctx.pages_manager.main_script_hash):
            runpy.run_path(str(ENTRY_POINT), run_name="__main__")
        st.stop()


def page_setup(page_file: str) -> PageContext:
    """Configure, open the database, identify the user and check they may see this page; anyone
    who may not (signed out, not registered, or a role the page is not for) gets a plain message
    and nothing else of the page."""
    leave_legacy_multipage_mode()
    root = Path(__file__).resolve().parent.parent
    spec = spec_for(Path(page_file).resolve().relative_to(root).as_posix())
    configure(spec.title)
    db = require_database()
    who = identity.who()
    if who.mode == "signed out":
        identity.sign_in_prompt(APP_TITLE)
        st.stop()
    if who.actor is None:
        st.title(APP_TITLE)
        identity.refuse_unregistered(who.email)
        st.stop()
    actor = who.actor
    if actor.role not in spec.roles:
        st.title(spec.title)
        st.error(f"The {spec.title} page is not available to a {actor.role} "
                 f"({plain(actor.display_name)}). A {actor.role} "
                 f"{identity.role_summary(actor.role)}. Use the pages listed in the sidebar.",
                 icon=":material/block:")
        st.stop()
    if who.mode == "demo":
        st.markdown(f":material/science: **Demo mode** — no sign-in is configured; viewing as "
                    f"{plain(actor.display_name)} ({actor.role}). Choose another role in the sidebar.")
    st.title(spec.title)
    return PageContext(actor=actor, spec=spec, db=db)


def menu(role: str | None) -> list[tuple[PageSpec, bool]]:
    """Every page in the order of ui/pages.py, with whether the menu shows it to `role` (None:
    signed out or not registered — nothing shown)."""
    return [(spec, role in spec.roles) for spec in PAGES]


def navigation(who: identity.Who) -> list:
    """Every page is routed, but the menu lists only those the person may open: a hidden page's URL
    reaches the page's own refusal (page_setup) rather than Streamlit's "page not found"."""
    home = st.Page(_home, title="Home", url_path="home", default=True, visibility="hidden")
    return [home] + [st.Page(spec.path, title=spec.title, url_path=spec.url_path, icon=spec.icon,
                             visibility="visible" if shown else "hidden")
                     for spec, shown in menu(who.actor.role if who.actor else None)]


def _home() -> None:
    """The app's root (/) opens the Overview at its own address, so /overview is a real link (a
    default page lives only at /, and a fresh server's first /overview would be "not found").
    Query parameters travel along, a repeated one whole: /?status=closed is /overview?status=closed."""
    st.switch_page(HOME_PAGE, query_params={key: st.query_params.get_all(key) for key in st.query_params})
