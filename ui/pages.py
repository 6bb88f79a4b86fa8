"""The pages of the dashboard and who may open them. `dashboard.py` builds the navigation from
this list and every page's set-up checks it, so a page reached by URL obeys the same rule.
Only pages that work are listed."""
from __future__ import annotations

from dataclasses import dataclass

ALL_ROLES = frozenset({"chief executive", "commissioner", "programme officer", "scrutiny member", "administrator"})


@dataclass(frozen=True)
class PageSpec:
    """`url_path` must equal the file's stem (see ui.setup.leave_legacy_multipage_mode)."""

    path: str
    title: str
    url_path: str
    icon: str
    roles: frozenset[str] = ALL_ROLES


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", "overview", ":material/dashboard:"),
    PageSpec("pages/about.py", "About this data", "about", ":material/info:"),
)


def spec_for(path: str) -> PageSpec:
    for spec in PAGES:
        if spec.path == path:
            return spec
    raise KeyError(path)


def pages_for(role: str) -> list[PageSpec]:
    return [p for p in PAGES if role in p.roles]
