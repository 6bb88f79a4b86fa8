"""Who may write what (monitor/permissions.py): the roles of DESIGN.md as a table, plus who sees
which programmes and councils, and how an email becomes an Actor."""
import pandas as pd
import pytest

from monitor.permissions import (ADMIN_ROLES, DATA_ROLES, EVERYONE, REPORT_ROLES, ROLES, SYSTEM, Actor,
                                 actor_for_email, email_is_plain, email_key, may_write, visible_council_codes,
                                 visible_programme_ids)

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
    ("ofsted_inspection", None): {"programme officer", "administrator"},  # national record
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
    assert REPORT_ROLES == {"commissioner", "chief executive", "scrutiny member", "administrator"}


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
