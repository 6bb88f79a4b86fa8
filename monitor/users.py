"""User management rules (the administrator's Users page): what makes an account valid, what an
administrator may not do to their own account, and which programme links a change adds or removes.
Pure functions; the page turns the result into writes."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from monitor.permissions import ROLES, email_is_plain, email_key

# What a download of the accounts comes from (monitor.tidy.Origin).
SOURCE = "Improvement Monitor's register of user accounts"

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_NAME = 120


@dataclass(frozen=True)
class Account:
    """What the administrator entered for one person."""

    email: str
    display_name: str
    role: str | None
    ons_code: str | None = None
    programme_ids: frozenset[str] = field(default_factory=frozenset)
    is_active: bool = True


def normalise_email(text: str | None) -> str:
    """An address as it is stored and compared: NFKC-normalised and case-folded (`email_key`).
    An address that normalisation would change (a Kelvin sign for a K, a full-width letter) is
    returned as typed, stripped, so that `account_problems` refuses it rather than registering the
    address it looks like."""
    text = (text or "").strip()
    return email_key(text) if email_is_plain(text) else text


def account_problems(account: Account, *, existing_emails: Iterable[str] = (), is_new: bool) -> list[str]:
    """Plain-language problems with an account; empty when it may be saved."""
    problems = []
    email = normalise_email(account.email)
    if not email:
        problems.append("Enter the person's work email address.")
    elif not email_is_plain(email) or not email_is_plain(account.email):
        odd = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(account.email.strip() + email)
                        if not email_is_plain(c)) or "a letter written as two characters"
        problems.append(f"“{email}” contains characters that stand for other letters ({odd}): type the address "
                        "in plain letters, as the person's organisation spells it.")
    elif not EMAIL.fullmatch(email):
        problems.append(f"“{email}” is not an email address (it needs one @ and a domain, no spaces).")
    elif is_new and email in {normalise_email(e) for e in existing_emails}:
        problems.append(f"{email} is already registered: change that person below instead.")
    name = (account.display_name or "").strip()
    if not name:
        problems.append("Enter the person's name as it should appear (e.g. in the change log).")
    elif len(name) > MAX_NAME:
        problems.append(f"The name is {len(name)} characters long; keep it to {MAX_NAME}.")
    if account.role not in ROLES:
        problems.append("Choose a role.")
    elif account.role == "chief executive" and not account.ons_code:
        problems.append("A chief executive needs their council (its no-detriment indicators are theirs).")
    elif account.role != "administrator" and not account.programme_ids:
        problems.append(f"A {account.role} needs at least one programme, or they will see nothing.")
    return problems


def self_change_problems(editor_email: str, account: Account) -> list[str]:
    """An administrator may not lock themselves out (there must always be one who can fix things)."""
    if normalise_email(editor_email) != normalise_email(account.email):
        return []
    problems = []
    if not account.is_active:
        problems.append("You cannot deactivate your own account; ask another administrator.")
    if account.role != "administrator":
        problems.append("You cannot take away your own administrator role; ask another administrator.")
    return problems


def programme_link_changes(before: Iterable[str], after: Iterable[str]) -> tuple[list[str], list[str]]:
    """(programmes to add, programmes to remove), each sorted."""
    old, new = set(before), set(after)
    return sorted(new - old), sorted(old - new)
