"""User management rules (monitor/users.py)."""
import pytest

from monitor.users import Account, account_problems, normalise_email, programme_link_changes, self_change_problems

GOOD = Account("new.person@council.gov.uk", "New Person", "commissioner", None, frozenset({"east-west-sussex"}))


def test_a_complete_account_has_no_problems():
    assert account_problems(GOOD, existing_emails=["admin@example.gov.uk"], is_new=True) == []


@pytest.mark.parametrize("change,expected", [
    ({"email": ""}, "Enter the person's work email"),
    ({"email": "no-at-sign"}, "is not an email address"),
    ({"email": "two@@x.gov.uk"}, "is not an email address"),
    ({"email": "has space@x.gov.uk"}, "is not an email address"),
    ({"display_name": "  "}, "Enter the person's name"),
    ({"display_name": "x" * 121}, "keep it to 120"),
    ({"role": None}, "Choose a role"),
    ({"role": "chief executive"}, "needs their council"),
    ({"programme_ids": frozenset()}, "needs at least one programme"),
])
def test_problems_are_named(change, expected):
    account = Account(**{**GOOD.__dict__, **change})
    problems = account_problems(account, is_new=True)
    assert len(problems) == 1 and expected in problems[0]


def test_duplicate_email_is_refused_whatever_the_case():
    problems = account_problems(GOOD, existing_emails=["New.Person@Council.gov.uk"], is_new=True)
    assert problems and "already registered" in problems[0]
    assert account_problems(GOOD, existing_emails=[GOOD.email], is_new=False) == []


def test_administrator_needs_no_programme_and_chief_executive_with_council_is_fine():
    assert account_problems(Account("a@x.gov.uk", "A", "administrator"), is_new=True) == []
    assert account_problems(Account("c@x.gov.uk", "C", "chief executive", "E10000011", frozenset({"p"})),
                            is_new=True) == []


def test_an_administrator_cannot_lock_themselves_out():
    me = Account("Admin@x.gov.uk", "Admin", "administrator")
    assert self_change_problems("admin@x.gov.uk", me) == []
    assert "deactivate your own" in self_change_problems("admin@x.gov.uk", Account(**{**me.__dict__, "is_active": False}))[0]
    assert "own administrator role" in self_change_problems("admin@x.gov.uk", Account(**{**me.__dict__, "role": "commissioner"}))[0]
    assert self_change_problems("other@x.gov.uk", Account(**{**me.__dict__, "is_active": False})) == []


def test_programme_links_and_email_normalising():
    assert programme_link_changes(["a", "b"], {"b", "c", "d"}) == (["c", "d"], ["a"])
    assert programme_link_changes([], []) == ([], [])
    assert normalise_email("  Someone@Council.GOV.uk ") == "someone@council.gov.uk"
    assert normalise_email(None) == ""


def test_addresses_are_normalised_with_nfkc_and_casefold():
    assert normalise_email("  Admin@Example.GOV.uk ") == "admin@example.gov.uk"
    assert normalise_email("Straße@x.gov.uk") == "strasse@x.gov.uk"  # casefold, not lower()


@pytest.mark.parametrize("typed", ["admin@example.gov.u\u212a",  # KELVIN SIGN, which .lower() makes "k"
                                   "ａdmin@example.gov.uk",  # a full-width a
                                   "\ufb01nance@example.gov.uk"])  # the "fi" ligature
def test_an_address_that_changes_under_normalisation_is_refused_when_registered(typed):
    account = Account(normalise_email(typed), "Look-alike", "administrator")
    problems = account_problems(account, existing_emails=["admin@example.gov.uk"], is_new=True)
    assert len(problems) == 1 and "characters that stand for other letters" in problems[0]
    assert "U+" in problems[0]


@pytest.mark.parametrize("claim,verified", [
    (True, True), ("true", True), ("TRUE", True), (" True ", True), (None, True),  # absent: the directory vouches
    (False, False), ("false", False), ("False", False), ("", False), ("yes", False), (1, False), ("0", False),
])
def test_only_true_counts_as_a_verified_email(claim, verified):
    from ui.identity import email_is_verified

    assert email_is_verified(claim) is verified
