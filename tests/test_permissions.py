"""Who may write what (monitor/permissions.py): the roles of DESIGN.md as a table, plus who sees
which programmes and councils, and how an email becomes an Actor."""
import datetime as dt

import pandas as pd
import pytest

from monitor.permissions import (ADMIN_ROLES, DATA_ROLES, EVERYONE, NATIONAL_TABLES, REPORT_ROLES, ROLES, SYSTEM,
                                 Actor, actor_for_email, email_is_plain, email_key, may_write, report_author_role,
                                 report_problem, visible_council_codes, visible_programme_ids)

P, OTHER = "east-west-sussex", "breckland-south-holland"
CEO = Actor("ceo@x.gov.uk", "Chief", "chief executive", frozenset({P}), "E10000011")
COMMISSIONER = Actor("dfe@x.gov.uk", "Commissioner", "commissioner", frozenset({P}))
OFFICER = Actor("po@x.gov.uk", "Officer", "programme officer", frozenset({P}), "E10000032")
SCRUTINY = Actor("cllr@x.gov.uk", "Councillor", "scrutiny member", frozenset({P}))
ADMIN = Actor("admin@x.gov.uk", "Admin", "administrator")

# (table, programme) -> the roles that may write it. Everything not listed: nobody but an administrator.
ALLOWED = {
    ("milestone", P): {"programme officer", "administrator"},
    ("milestone", OTHER): {"administrator"},
    ("indicator_value", None): {"administrator"},  # programme unknown: refused rather than assumed
    ("saving", P): {"programme officer", "administrator"},
    ("ofsted_inspection", None): {"administrator"},  # official national tables: administrators only
    ("ofsted_judgement", None): {"administrator"},
    ("dfe_statistic", None): {"administrator"},
    ("statistical_neighbour", None): {"administrator"},
    ("intervention_event", None): {"administrator"},  # a council's row, but no council named
    ("commissioner_report", P): {"commissioner", "administrator"},
    ("commissioner_report", OTHER): {"administrator"},
    ("commissioner_report", None): {"administrator"},
    ("app_user", None): {"administrator"},
    ("app_user_programme", P): {"administrator"},
    ("authority", None): {"administrator"},
}


@pytest.mark.parametrize("actor", [CEO, COMMISSIONER, OFFICER, SCRUTINY, ADMIN], ids=lambda a: a.role)
@pytest.mark.parametrize("table,programme", list(ALLOWED), ids=lambda v: str(v))
def test_write_rules(actor, table, programme):
    allowed, reason = may_write(actor, table, programme)
    assert allowed == (actor.role in ALLOWED[(table, programme)]), reason
    if not allowed:
        assert reason and (actor.email in reason or actor.role in reason)


def test_scrutiny_members_and_chief_executives_never_write():
    for table in ("milestone", "commissioner_report", "saving", "risk", "key_date", "app_user"):
        for actor in (SCRUTINY, CEO):
            assert not may_write(actor, table, P)[0]


def test_no_one_but_an_administrator_grants_access():
    for actor in (CEO, COMMISSIONER, OFFICER, SCRUTINY):
        for table in ("app_user", "app_user_programme"):
            allowed, reason = may_write(actor, table, P)
            assert not allowed and "administrator" in reason
    assert may_write(SYSTEM, "app_user", None)[0]


def test_unknown_role_is_refused():
    assert not may_write(Actor("x@x.gov.uk", "X", "auditor", frozenset({P})), "milestone", P)[0]


def test_page_role_sets():
    assert EVERYONE == frozenset(ROLES)
    assert ADMIN_ROLES == {"administrator"}
    assert DATA_ROLES == {"programme officer", "administrator"}
    assert REPORT_ROLES == {"commissioner", "programme officer", "chief executive", "scrutiny member", "administrator"}


def test_a_programmes_report_is_written_by_its_author_role_only():
    """A DfE commission's report by its commissioner; a board's progress report by its programme
    officer; never by the other, nor by a reader."""
    for actor, author, allowed in ((COMMISSIONER, "commissioner", True), (OFFICER, "commissioner", False),
                                   (OFFICER, "programme officer", True), (COMMISSIONER, "programme officer", False),
                                   (CEO, "programme officer", False), (SCRUTINY, "commissioner", False),
                                   (ADMIN, "programme officer", True)):
        ok, reason = may_write(actor, "commissioner_report", P, report_author=author)
        assert ok == allowed, (actor.role, author, reason)
    assert not may_write(OFFICER, "commissioner_report", OTHER, report_author="programme officer")[0]
    assert report_author_role("DfE commission") == "commissioner"
    assert report_author_role("MOU collaboration") == "programme officer"
    assert report_author_role("MOU collaboration", "commissioner") == "commissioner"


def test_visible_programmes():
    ids = [P, OTHER, "hampshire-west-sussex"]
    assert visible_programme_ids(ADMIN, ids) == ids
    for actor in (CEO, COMMISSIONER, OFFICER, SCRUTINY):
        assert visible_programme_ids(actor, ids) == [P]


def test_chief_executive_sees_no_detriment_of_their_own_council_only():
    codes = ["E10000011", "E10000032"]
    assert visible_council_codes(CEO, codes) == ["E10000011"]
    for actor in (COMMISSIONER, OFFICER, SCRUTINY, ADMIN):
        assert visible_council_codes(actor, codes) == codes


USERS = pd.DataFrame({
    "email": ["Ceo@X.gov.uk", "admin@x.gov.uk"],
    "display_name": ["Chief", "Admin"],
    "role": ["chief executive", "administrator"],
    "ons_code": ["E10000011", None],
    "programme_ids": [[P], [P, OTHER]],
})


def test_actor_for_email_matches_without_case_and_carries_scope():
    actor = actor_for_email(USERS, "  ceo@x.GOV.uk ")
    assert actor == Actor("Ceo@X.gov.uk", "Chief", "chief executive", frozenset({P}), "E10000011")
    assert actor_for_email(USERS, "admin@x.gov.uk").ons_code is None


@pytest.mark.parametrize("email", [None, "", "stranger@x.gov.uk"])
def test_unknown_email_has_no_actor(email):
    assert actor_for_email(USERS, email) is None
    assert actor_for_email(USERS.iloc[0:0], "admin@x.gov.uk") is None


# --- Official national tables and councils' rows -----------------------------------------------

def test_official_national_tables_are_written_by_administrators_only():
    for table in NATIONAL_TABLES:
        for actor in (CEO, COMMISSIONER, OFFICER, SCRUTINY):
            for programme in (None, P):
                allowed, reason = may_write(actor, table, programme)
                assert not allowed, (actor.role, table)
        assert may_write(ADMIN, table, None)[0]
    allowed, reason = may_write(OFFICER, "ofsted_judgement", None)
    assert "official national table" in reason and "administrator" in reason


@pytest.mark.parametrize("table", ["intervention_event", "indicator"])
def test_a_council_row_is_written_only_for_the_councils_of_the_persons_programmes(table):
    mine = {"E10000011", "E10000032"}  # East and West Sussex: the parties of their programme
    assert may_write(OFFICER, table, None, council="E10000032", councils=mine) == (True, "")
    allowed, reason = may_write(OFFICER, table, None, council="E06000046", councils=mine,
                                council_name="Isle of Wight")
    assert not allowed
    assert "Isle of Wight (E06000046)" in reason and table in reason and OFFICER.email in reason
    assert not may_write(OFFICER, table, None, council="E06000046")[0]  # no councils known: refused
    assert may_write(ADMIN, table, None, council="E06000046")[0]
    for actor in (CEO, COMMISSIONER, SCRUTINY):
        assert not may_write(actor, table, None, council="E10000032", councils=mine)[0]


def test_a_programme_row_ignores_the_council_rule():
    # A saving names a council, but it belongs to its programme: the programme decides.
    assert may_write(OFFICER, "saving", P, council="E06000046", councils=set())[0]
    assert not may_write(OFFICER, "saving", OTHER, council="E10000011", councils={"E10000011"})[0]


# --- Quarterly reports: the page's own flow, on every path -------------------------------------

NOW = dt.datetime(2026, 5, 4, 10, 30)
SUBMITTED = {"report_id": "r-v1", "programme_id": P, "quarter_label": "2026-Q1", "reporting_date": dt.date(2026, 3, 31),
             "version": 1, "corrects_report_id": None, "status": "submitted", "submitted_by": COMMISSIONER.email,
             "submitted_at": dt.datetime(2026, 4, 15, 10)}
CORRECTION = {"report_id": "r-v2", "programme_id": P, "quarter_label": "2026-Q1", "reporting_date": dt.date(2026, 3, 31),
              "version": 2, "corrects_report_id": "r-v1", "status": "draft", "submitted_by": None, "submitted_at": None}


def test_the_pages_correction_flow_keeps_the_rules():
    assert report_problem(COMMISSIONER, None, CORRECTION, SUBMITTED, NOW) is None  # started as a draft
    submitted = {**CORRECTION, "status": "submitted", "submitted_by": COMMISSIONER.email, "submitted_at": NOW}
    assert report_problem(COMMISSIONER, CORRECTION, submitted, SUBMITTED, NOW) is None  # then submitted now
    new = {**SUBMITTED, "report_id": "q2-v1", "quarter_label": "2026-Q2", "status": "draft", "submitted_by": None,
           "submitted_at": None}
    assert report_problem(COMMISSIONER, None, new, None, NOW) is None


@pytest.mark.parametrize("change,column,words", [
    ({"status": "submitted", "submitted_by": "dfe@x.gov.uk", "submitted_at": NOW}, "status", "arrive already submitted"),
    ({"corrects_report_id": None}, "corrects_report_id", "must name the submitted report it corrects"),
    ({"corrects_report_id": "nothing"}, "corrects_report_id", "does not exist"),
    ({"reporting_date": dt.date(2025, 12, 31)}, "reporting_date", "never back-dated"),
    ({"version": 1}, "version", "a correction is a later version"),
    ({"quarter_label": "2026-Q2"}, "corrects_report_id", "another programme or quarter"),
])
def test_a_new_version_breaking_the_flow_is_refused(change, column, words):
    row = {**CORRECTION, **change}
    corrected = SUBMITTED if row["corrects_report_id"] == "r-v1" else None
    found = report_problem(COMMISSIONER, None, row, corrected, NOW)
    assert found and found[0] == column and words in found[1], found


def test_correcting_a_draft_is_refused():
    draft = {**SUBMITTED, "status": "draft", "submitted_by": None, "submitted_at": None}
    assert "which is not submitted" in report_problem(COMMISSIONER, None, CORRECTION, draft, NOW)[1]


@pytest.mark.parametrize("submitted_by,submitted_at,words", [
    ("dfe@x.gov.uk", dt.datetime(2026, 4, 1, 9), "never back-dated"),
    ("dfe@x.gov.uk", NOW + dt.timedelta(days=1), "dated ahead"),
    ("dfe@x.gov.uk", None, "never back-dated"),
    ("someone.else@x.gov.uk", NOW, "submitted by the person signed in"),
])
def test_submitting_is_done_now_by_the_person_signed_in(submitted_by, submitted_at, words):
    row = {**CORRECTION, "status": "submitted", "submitted_by": submitted_by, "submitted_at": submitted_at}
    found = report_problem(COMMISSIONER, CORRECTION, row, SUBMITTED, NOW)
    assert found and words in found[1], found


# --- Sign-in addresses ---------------------------------------------------------------------------

def test_addresses_compare_under_nfkc_and_casefold_and_look_alikes_are_not_plain():
    assert email_key("  Ceo@X.GOV.uk ") == "ceo@x.gov.uk"
    assert email_key("ＡＤＭＩＮ@example.gov.uk") == "admin@example.gov.uk"  # full-width letters
    assert email_is_plain("admin@example.gov.uk")
    for odd in ("admin@example.gov.u\u212a", "ＡＤＭＩＮ@example.gov.uk", "\ufb01nance@x.gov.uk"):
        assert not email_is_plain(odd)


def test_a_kelvin_sign_does_not_sign_in_as_another_user():
    kelvin = "admin@x.gov.u\u212a"  # U+212A KELVIN SIGN: .lower() makes it "k"
    assert kelvin.lower() == "admin@x.gov.uk"
    assert actor_for_email(USERS, kelvin) is None
    assert actor_for_email(USERS, "ADMIN@x.gov.uk").email == "admin@x.gov.uk"
    stored_odd = USERS.assign(email=["ceo@x.gov.u\u212a", "admin@x.gov.uk"])
    assert actor_for_email(stored_odd, "ceo@x.gov.uk") is None  # a stored look-alike matches nobody
