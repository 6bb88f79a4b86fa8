"""Sign-out as a record: the moment a person signs out is written to their app_user row, so every
other tab they left open (a session that began before it) has ended at its next click — the pages
read it (ui/identity.who) and so does every write (queries.write_rules.actor_now)."""
from __future__ import annotations

from monitor import clock
from monitor.permissions import Actor
from queries.write import Change, WriteRefused, write


def sign_out_actor(email: str) -> Actor:
    """Who records a sign-out: the dashboard itself, on the person's behalf (they need no right to
    change user records to end their own sessions); the change log names them."""
    return Actor(f"sign-out ({email})", f"Sign-out of {email}", "administrator", machine=True)


def record_sign_out(email: str, *, db=None) -> bool:
    """Record that `email` signed out now. False if there is no such user (nothing to end)."""
    try:
        write([Change("app_user", "update", {"email": email}, {"signed_out_at": clock.instant()})],
              actor=sign_out_actor(email), note=f"{email} signed out", db=db)
    except WriteRefused:
        return False
    return True
