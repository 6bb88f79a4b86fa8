"""Who may do what: the roles of DESIGN.md as plain rules, checked on the server side by the write
function and by every page's set-up (a hidden page reached by URL still cannot write).

- chief executive: reads all of their programmes; no-detriment indicators of their own council.
- commissioner: the quarterly reports of their programmes that a commissioner writes (a DfE
  commission's report to DfE: draft, submit); reads the rest.
- programme officer: the data of their programmes (the Data page), and the quarterly progress
  reports of their programmes that go to a governing board; reads the rest.
- scrutiny member: reads, never writes.
- administrator: everything, and manages who may sign in (app_user).
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

ROLES = ("chief executive", "commissioner", "programme officer", "scrutiny member", "administrator")

# Who may open which kind of page (ui/pages.py gives each page one of these).
EVERYONE = frozenset(ROLES)
# The quarterly report: its author role writes it (a commissioner, or a board programme's programme
# officer); chief executives and scrutiny members read it.
REPORT_ROLES = frozenset({"commissioner", "programme officer", "chief executive", "scrutiny member", "administrator"})
# The roles that may author a programme's quarterly report (report_audience.author_role).
REPORT_AUTHOR_ROLES = ("commissioner", "programme officer")
DATA_ROLES = frozenset({"programme officer", "administrator"})
ADMIN_ROLES = frozenset({"administrator"})

ROLE_SUMMARY = {
    "chief executive": "reads all of their programmes and their own council's no-detriment indicators; changes nothing",
    "commissioner": "drafts and submits the quarterly reports of their DfE commissions; reads the rest",
    "programme officer": ("maintains the data of their programmes on the Data page and writes the quarterly "
                          "progress reports of the programmes that report to a board; reads the rest"),
    "scrutiny member": "reads everything of their programmes; changes nothing",
    "administrator": "sees and changes everything, and manages who may sign in",
}

# Sign-in accounts: administrators only.
USER_TABLES = {"app_user", "app_user_programme"}
# Official national tables, loaded from the publishers' files (Ofsted, DfE, ONS): administrators only.
NATIONAL_TABLES = {"authority", "statistical_neighbour", "ofsted_inspection", "ofsted_judgement",
                   "dfe_statistic", "data_source", "ofsted_framework_version", "ofsted_framework_area",
                   "reorganisation"}
# Tables whose rows may belong to a council rather than to one programme (an ons_code and no
# programme): a programme officer may change them for the councils of their programmes.
COUNCIL_TABLES = {"intervention_event", "indicator"}

# Tables a programme officer maintains for their programmes (the Data page's imports and edits).
PROGRAMME_TABLES = {
    "programme", "programme_party", "programme_comparator", "workstream", "milestone", "milestone_snapshot",
    "indicator", "indicator_value", "indicator_value_exclusion", "saving", "cost_share", "appraisal",
    "appraisal_option", "appraisal_criterion",
    "criterion_weight", "option_rating", "risk", "risk_snapshot", "key_date", "commissioner_report",
    "intervention_event",
}
REPORT_TABLE = "commissioner_report"


@dataclass(frozen=True)
class Actor:
    """The signed-in person as the write function sees them."""

    email: str
    display_name: str
    role: str
    programme_ids: frozenset[str] = field(default_factory=frozenset)
    ons_code: str | None = None
    # The build and the command line (people with the server's own files) act as themselves; every
    # person is re-read from app_user by the write layer at the moment of each write.
    machine: bool = False
    # When this session began (first seen signed in), to tell it from a sign-out since (any tab).
    signed_in_at: object = None
    signed_out_at: object = None  # the person's last sign-out, as app_user records it

    @property
    def sees_all(self) -> bool:
        return self.role == "administrator"


SYSTEM = Actor("system@improvement-monitor", "Improvement Monitor (build)", "administrator", machine=True)


def command_line_actor(login: str) -> Actor:
    """Who a `make` target (import, backup, restore) acts as: an administrator named after the
    machine's login, as the change log records it."""
    return Actor(f"command line ({login})", f"Command line ({login})", "administrator", machine=True)


def report_author_role(programme_kind: str | None, declared: str | None = None) -> str:
    """The role that writes a programme's quarterly report: the one its report_audience row
    declares, else by its kind (a DfE commission's commissioner; every other kind's programme
    officer, for its board)."""
    if declared in REPORT_AUTHOR_ROLES:
        return declared
    return "commissioner" if programme_kind == "DfE commission" else "programme officer"


def may_write(actor: Actor, table: str, programme_id: str | None, *, council: str | None = None,
              councils: Collection[str] = (), council_name: str | None = None,
              report_author: str | None = None) -> tuple[bool, str]:
    """(allowed, reason). Scrutiny members and chief executives read only; the author role of a
    programme's report (`report_author`: a commissioner unless said otherwise) writes its quarterly
    reports; programme officers their programmes' data; administrators all.

    `programme_id` is the programme the row belongs to. When it is unknown (None) the row is
    refused to a programme officer, unless it is a council's row (`COUNCIL_TABLES`, naming
    `council`, its ons_code) and that council is one of `councils`: the parties of the officer's
    programmes (as the database holds them at the moment of the write). Official national tables
    are written by administrators only."""
    role = actor.role
    if role == "administrator":
        return True, ""
    if table in USER_TABLES:
        return False, f"Only an administrator manages who may sign in (refused for {actor.email})."
    if role in ("scrutiny member", "chief executive"):
        return False, f"A {role} can read but not change data (refused for {actor.email})."
    if table in NATIONAL_TABLES:
        return False, (f"A {role} cannot change {table}: it is an official national table, loaded from the "
                       f"publisher's file by an administrator (refused for {actor.email}).")
    if table == REPORT_TABLE and role in REPORT_AUTHOR_ROLES:
        author = report_author or "commissioner"
        if role != author:
            return False, (f"The quarterly reports of programme {programme_id or '(unknown)'} are written by its "
                           f"{author}, not a {role} (refused for {actor.email}).")
        if programme_id not in actor.programme_ids:
            return False, f"{actor.email} is not a {role} for programme {programme_id or '(unknown)'}."
        return True, ""
    if role == "commissioner":
        if table != REPORT_TABLE:
            return False, f"A commissioner can change quarterly reports only, not {table} (refused for {actor.email})."
    if role == "programme officer":
        if table not in PROGRAMME_TABLES:
            return False, f"A programme officer cannot change {table} (refused for {actor.email})."
        if programme_id is None and table in COUNCIL_TABLES and council:
            if council in councils:
                return True, ""
            named = f"{council_name} ({council})" if council_name else council
            return False, (f"This {table} row concerns {named}, which is not a party to any programme of "
                           f"{actor.email}: a programme officer changes the rows of their programmes' councils only.")
        if programme_id is None:
            return False, (f"The programme of this {table} row could not be told, so {actor.email} "
                           f"(a programme officer) may not change it; name the programme with the change.")
        if programme_id not in actor.programme_ids:
            return False, f"{actor.email} is not a programme officer for programme {programme_id}."
        return True, ""
    return False, f"{actor.email} has no role that may change data here (now: {role!r})."


def report_problem(actor: Actor, before: Mapping | None, after: Mapping, corrected: Mapping | None,
                   now: dt.datetime) -> tuple[str, str] | None:
    """(column, why) a quarterly report row may not be written as `after` (the whole row as it
    would be), or None: the rules of the Quarterly report page's own flow, kept by every path that
    writes.

    - A report arrives as a draft (version 1, or a correction): it is submitted afterwards, never
      inserted as already submitted.
    - A later version is a correction: it names the submitted report it corrects, of the same
      programme and quarter and an earlier version, and its reporting date is not before that one's.
    - Submitting is done by the person signed in (submitted_by) at the moment of the write
      (submitted_at today, not back-dated).
    `before` is the stored row (None for a new one); `corrected` the row `after` names in
    corrects_report_id (None when it names none, or none exists). Who may write the programme's
    reports at all is `may_write`'s question."""
    key = after.get("report_id")
    status = after.get("status")
    if before is None and status == "submitted":
        return "status", (f"Report {key} would arrive already submitted: a new version is saved as a draft and "
                          "then submitted on the Quarterly report page by the programme's commissioner.")
    corrects = after.get("corrects_report_id")
    version = after.get("version") or 1
    if corrects is None:
        if before is None and _number(version) > 1:
            return "corrects_report_id", (f"Report {key} is version {version}: a later version is a correction and "
                                          "must name the submitted report it corrects (corrects_report_id).")
    elif corrected is None:
        return "corrects_report_id", f"Report {key} corrects {corrects}, which does not exist."
    else:
        if (corrected.get("programme_id"), corrected.get("quarter_label")) != (after.get("programme_id"),
                                                                             after.get("quarter_label")):
            return "corrects_report_id", (f"Report {key} corrects {corrects}, a report of another programme or "
                                          f"quarter ({corrected.get('programme_id')}, {corrected.get('quarter_label')}).")
        if corrected.get("status") != "submitted":
            return "corrects_report_id", (f"Report {key} corrects {corrects}, which is not submitted: a draft is "
                                          "changed, not corrected.")
        if _number(version) <= _number(corrected.get("version") or 1):
            return "version", (f"Report {key} is version {version} but corrects version {corrected.get('version')}: "
                               "a correction is a later version.")
        mine, theirs = _day(after.get("reporting_date")), _day(corrected.get("reporting_date"))
        if mine and theirs and mine < theirs:
            return "reporting_date", (f"Report {key} is dated {mine}, before the report it corrects ({theirs}): "
                                      "a correction is never back-dated.")
    if status == "submitted" and (before is None or before.get("status") != "submitted"):
        by = after.get("submitted_by")
        if email_key(by) != email_key(actor.email):
            return "submitted_by", (f"Report {key} would be submitted by {by or '(nobody)'}, but {actor.email} is "
                                    "submitting it: a report is submitted by the person signed in.")
        at = _moment(after.get("submitted_at"))
        if at is None or at.date() < now.date() or at > now + dt.timedelta(minutes=5):
            return "submitted_at", (f"Report {key} would be submitted at {after.get('submitted_at') or '(no time)'}: "
                                    f"a report is submitted now ({now:%Y-%m-%d %H:%M}), never back-dated or dated ahead.")
    return None


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 1.0


def _day(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _moment(value) -> dt.datetime | None:
    """A timestamp (a cell, a datetime, ISO text) as a datetime, or None (for NULL / NaT)."""
    if value is None or value != value:
        return None
    if isinstance(value, dt.datetime):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def visible_programme_ids(actor: Actor, programme_ids) -> list[str]:
    """The programmes a person may see: an administrator all; everyone else the ones they are
    registered for."""
    ids = list(programme_ids)
    if actor.sees_all:
        return ids
    return [p for p in ids if p in actor.programme_ids]


def visible_council_codes(actor: Actor, ons_codes: Iterable[str]) -> list[str]:
    """The councils whose no-detriment indicators a person may see, of those on offer (already
    limited to their programmes): a chief executive only their own council; everyone else all."""
    codes = list(ons_codes)
    if actor.role == "chief executive":
        return [c for c in codes if c == actor.ons_code]
    return codes


# How rows read for a page are limited to the person reading them (a query says which, in its
# header: "-- Visibility: programme | council | change log | public"; a result with a programme_id
# column is limited to the person's programmes unless its query says "public").
VISIBILITY_RULES = ("programme", "council", "change log", "public")


def visible_frame(actor: Actor, frame, rule: str | None):
    """The rows of `frame` the person may read under `rule` (see VISIBILITY_RULES): their programmes'
    rows; for "council" also only the councils whose no-detriment indicators they may see; for the
    "change log" their programmes' entries and changes to the official national tables. An
    administrator reads everything."""
    rule = rule or ("programme" if "programme_id" in frame.columns else "public")
    if rule == "public" or actor.sees_all or frame.empty:
        return frame
    if rule not in VISIBILITY_RULES:
        raise ValueError(f"unknown visibility rule {rule!r}")
    keep = frame["programme_id"].isin(list(actor.programme_ids)) if "programme_id" in frame.columns else None
    if rule == "change log":
        keep = keep | (frame["programme_id"].isna() & frame["table_name"].isin(list(NATIONAL_TABLES)))
    if rule == "council" and "ons_code" in frame.columns:
        councils = set(visible_council_codes(actor, frame["ons_code"].dropna().unique()))
        by_council = frame["ons_code"].isin(list(councils))
        keep = by_council if keep is None else keep & by_council
    return frame if keep is None else frame[keep.to_numpy()]


def email_key(text) -> str:
    """The form two addresses are compared in: NFKC-normalised, case-folded, stripped."""
    return unicodedata.normalize("NFKC", str(text or "").strip()).casefold()


def email_is_plain(text) -> bool:
    """False for an address that Unicode normalisation (NFKC) would change — a Kelvin sign (U+212A)
    for a K, a full-width letter, a ligature: such an address could be taken for another person's,
    so it is refused at sign-in and when it is registered."""
    text = str(text or "").strip()
    return unicodedata.normalize("NFKC", text) == text


def session_ended(signed_in_at, signed_out_at) -> bool:
    """Whether a session that began at `signed_in_at` ended with a sign-out (in any tab) at
    `signed_out_at`: one the person began before signing out, or whose start is not known."""
    if signed_out_at is None or signed_out_at != signed_out_at:  # never signed out (None or NaT)
        return False
    return signed_in_at is None or signed_in_at <= signed_out_at


def actors_by_email(users) -> dict[str, Actor]:
    """Every active user as an Actor, keyed by `email_key`, in the `app_users` order (the lookup a
    page rerun makes, built once per data version rather than filtered each time). A stored
    address that normalisation would change is left out: nobody can sign in as it."""
    actors: dict[str, Actor] = {}
    for row in users.itertuples(index=False):
        if not email_is_plain(row.email):
            continue
        ons = row.ons_code
        actors.setdefault(email_key(row.email), Actor(
            email=row.email, display_name=row.display_name, role=row.role,
            programme_ids=frozenset(str(p) for p in list(row.programme_ids)),
            ons_code=ons if isinstance(ons, str) and ons else None,
            signed_out_at=_moment(getattr(row, "signed_out_at", None))))
    return actors


def actor_for_email(users, email: str | None) -> Actor | None:
    """The Actor for `email` from the active users (the `app_users` query: email, display_name,
    role, ons_code, programme_ids), matched by `email_key`; None when not registered, or when the
    address changes under Unicode normalisation."""
    if not email or not email_is_plain(email) or users is None or len(users) == 0:
        return None
    return actors_by_email(users).get(email_key(email))
