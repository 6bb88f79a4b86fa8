"""The pages of the dashboard and who may open them. `dashboard.py` builds the navigation from
this list and every page's set-up checks it, so a page reached by URL obeys the same rule.
Only pages that work are listed."""
from __future__ import annotations

from dataclasses import dataclass

# Role sets (monitor/permissions.py): EVERYONE reads; REPORT_ROLES the quarterly report (each
# programme's author role writes it); DATA_ROLES the Data page; ADMIN_ROLES user management.
from monitor.permissions import ADMIN_ROLES, DATA_ROLES, EVERYONE, REPORT_ROLES  # noqa: F401

ALL_ROLES = EVERYONE


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
    PageSpec("pages/action_plan.py", "Action plan", "action_plan", ":material/flag:"),
    PageSpec("pages/no_detriment.py", "No-detriment", "no_detriment", ":material/monitor_heart:"),
    PageSpec("pages/savings.py", "Savings", "savings", ":material/savings:"),
    PageSpec("pages/ofsted.py", "Ofsted", "ofsted", ":material/verified:"),
    PageSpec("pages/options_appraisal.py", "Options appraisal", "options_appraisal", ":material/balance:"),
    PageSpec("pages/risks.py", "Risks", "risks", ":material/crisis_alert:"),
    PageSpec("pages/calendar.py", "Calendar", "calendar", ":material/event:"),
    PageSpec("pages/quarterly_report.py", "Quarterly report", "quarterly_report", ":material/assignment:",
             REPORT_ROLES),
    PageSpec("pages/data.py", "Data", "data", ":material/database:", DATA_ROLES),
    PageSpec("pages/about.py", "About this data", "about", ":material/info:"),
    PageSpec("pages/sources.py", "Sources", "sources", ":material/menu_book:"),
    PageSpec("pages/users.py", "Users", "users", ":material/manage_accounts:", ADMIN_ROLES),
)


def spec_for(path: str) -> PageSpec:
    for spec in PAGES:
        if spec.path == path:
            return spec
    raise KeyError(path)


def pages_for(role: str) -> list[PageSpec]:
    return [p for p in PAGES if role in p.roles]
