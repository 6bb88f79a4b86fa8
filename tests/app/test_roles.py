"""Each role under AppTest, signed in the way st.user provides it (`at.user`, with an `[auth]`
section in the secrets): the pages its navigation lists, the pages it is refused, and every kind of
write attempted through the app's own identity — refused for roles that may not, checked on the
database and in the change log. Also: unknown and deactivated accounts, sign-out, demo mode."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

import queries
from monitor.permissions import ADMIN_ROLES, DATA_ROLES, EVERYONE, REPORT_ROLES, actor_for_email
from tests.apptest import ROOT, open_app, shown, texts
from queries.write import Change
from tests.dbutil import fetch, scalar, submitted
from ui.pages import PAGES
from ui.setup import menu

AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "not-a-real-secret",
                 "microsoft": {"client_id": "test", "client_secret": "test",
                               "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}}

ADMIN = "admin@example.gov.uk"
COMMISSIONER = "commissioner@example.gov.uk"
ACTIVE = {  # the active demo users and their roles (data/demo/app_user.csv)
    "ceo.eastsussex@example.gov.uk": "chief executive",
    "ceo.hampshire@example.gov.uk": "chief executive",
    COMMISSIONER: "commissioner",
    "officer.sussex@example.gov.uk": "programme officer",
    "officer.essex@example.gov.uk": "programme officer",
    "cllr.southholland@example.gov.uk": "scrutiny member",
    ADMIN: "administrator",
}
# Pages open to fewer than everyone, by URL path (DESIGN.md / issue 11); every other page: everyone.
RESTRICTED = {"users": ADMIN_ROLES, "data": DATA_ROLES, "quarterly_report": REPORT_ROLES}


def signed_in(email: str | None, page: str | None = None, *, claims: dict | None = None,
              query: dict | None = None) -> AppTest:
    """dashboard.py as a person signed in with `email` (None: signed out), then `page`."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.secrets = AUTH
    at.user = {"is_logged_in": False} if email is None and not claims else {
        "is_logged_in": True, "email": email, "name": "From the provider", **(claims or {})}
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(page)
        at.run()
    return at


def refusal(at) -> str:
    return "\n".join(shown(str(e.value)) for e in at.error)


# --- the pages ----------------------------------------------------------------------------------

def test_page_roles_follow_the_design():
    for spec in PAGES:
        assert spec.roles == RESTRICTED.get(spec.url_path, EVERYONE), spec.url_path
    assert any(spec.url_path == "users" for spec in PAGES)


@pytest.mark.parametrize("email,role", ACTIVE.items())
def test_navigation_lists_exactly_the_pages_of_the_role(demo_db, email, role):
    actor = actor_for_email(queries.run("users/app_users", db=demo_db), email)
    assert actor.role == role
    entries = menu(actor.role)
    assert [spec for spec, _ in entries] == list(PAGES)  # every page routed...
    shown = [spec.title for spec, visible in entries if visible]  # ...only the role's listed
    assert shown == [s.title for s in PAGES if role in s.roles]
    assert ("Users" in shown) == (role == "administrator")
    assert "Overview" in shown and "About this data" in shown


@pytest.mark.parametrize("email,role", ACTIVE.items())
def test_each_role_is_refused_the_pages_it_may_not_use(demo_db, email, role):
    at = signed_in(email, "pages/overview.py")
    assert not refusal(at) and at.subheader, "the Overview opens for everyone"
    sidebar = "\n".join(str(m.value) for m in at.sidebar.markdown)
    assert "Signed in as" in sidebar and role in sidebar
    for spec in PAGES:
        if spec.roles == EVERYONE:
            continue
        at.switch_page(spec.path)
        at.run()
        assert not at.exception, (spec.path, at.exception)
        if role in spec.roles:
            assert f"not available to a {role}" not in refusal(at), spec.path
        else:
            assert f"The {spec.title} page is not available to a {role}" in refusal(at)
            # nothing of the page itself: no forms, tables, charts or inputs
            assert not at.text_input and not at.get("dataframe") and not at.get("plotly_chart")
            assert [b.label for b in at.button] == ["Sign out"]


def test_signed_in_person_sees_their_registered_name_and_programmes(demo_db):
    at = signed_in(COMMISSIONER.upper(), "pages/overview.py")  # providers may send any case
    sidebar = "\n".join(str(m.value) for m in at.sidebar.markdown)
    assert "DfE Commissioner for West Sussex (demo)" in sidebar and "commissioner" in sidebar
    assert [h.value for h in at.subheader] == [
        scalar(demo_db, "SELECT programme_name FROM programme WHERE programme_id = 'hampshire-west-sussex'")]
    assert "Demo mode" not in texts(at)


def test_entra_preferred_username_is_used_when_there_is_no_email_claim(demo_db):
    at = signed_in(None, "pages/overview.py", claims={"email": None, "preferred_username": "Admin@Example.gov.uk"})
    assert "Administrator (demo)" in "\n".join(str(m.value) for m in at.sidebar.markdown)
    assert len(at.subheader) == 5


@pytest.mark.parametrize("claims,expected", [
    ({"email": "stranger@example.gov.uk"}, "stranger@example.gov.uk, but this address is not registered"),
    ({"email": "officer.somerset@example.gov.uk"}, "not registered for Improvement Monitor (or its access has ended)"),
    ({"email": ADMIN, "email_verified": False}, f"the address {ADMIN} is not verified"),
    ({"email": ADMIN, "email_verified": "false"}, f"the address {ADMIN} is not verified"),  # a string claim
    ({"email": "admin@example.gov.u\u212a"}, "characters that stand for other letters (U+212A)"),  # Kelvin sign
    ({"email": None}, "did not share an email address"),
])
def test_unknown_deactivated_or_unverified_accounts_are_refused(demo_db, claims, expected):
    at = signed_in(None, "pages/overview.py", claims=claims)
    assert expected in refusal(at).replace("\\", "")
    assert not at.subheader and not at.metric
    at.switch_page("pages/users.py")
    at.run()
    assert expected in refusal(at).replace("\\", "") and not at.text_input
    assert [b.label for b in at.button] == ["Sign out"]


def test_signed_out_visitor_sees_only_the_sign_in(demo_db):
    for page in ("pages/overview.py", "pages/users.py"):
        at = signed_in(None, page)
        assert [b.label for b in at.button] == ["Sign in"]
        assert [t.value for t in at.title] == ["Improvement Monitor"]
        assert not at.subheader and not at.error and not at.text_input
    assert not any(visible for _, visible in menu(None))


def test_sign_out_forgets_the_session_and_the_identity(fresh_db):
    at = signed_in(ADMIN, "pages/users.py")
    at.session_state["report_draft"] = "Narrative the commissioner has not saved yet"
    at.text_input(key="add_name").input("Half-typed name")
    at.run()
    assert at.session_state["report_draft"]
    at.button(key="sign_out").click()
    at.run()
    assert at.user == {"is_logged_in": False}
    assert "report_draft" not in at.session_state and "add_name" not in at.session_state
    at.run()
    assert [b.label for b in at.button] == ["Sign in"] and "Half-typed" not in texts(at)


def test_a_tab_left_open_after_signing_out_in_another_tab_has_ended(fresh_db):
    """Two tabs of one person; signing out in one ends the other at its next click, and a write the
    other tab had drawn (its actor from before the sign-out) is refused by the write layer too."""
    from queries.write import WriteRefused, write
    from ui import identity

    left_open = signed_in(ADMIN, "pages/users.py")
    drawn = identity.Actor(ADMIN, "Administrator", "administrator",
                           signed_in_at=left_open.session_state[identity.SESSION_BEGAN_KEY])
    other = signed_in(ADMIN, "pages/users.py")
    other.button(key="sign_out").click()
    other.run()
    signed_out = scalar(fresh_db, "SELECT signed_out_at FROM app_user WHERE email = $e", {"e": ADMIN})
    assert signed_out is not None
    assert fetch(fresh_db, "SELECT note FROM change_log WHERE table_name = 'app_user' ORDER BY change_id DESC "
                           "LIMIT 1")["note"].iloc[0] == f"{ADMIN} signed out"

    left_open.run()  # the next click in the tab left open: signed out, the page gone
    assert [b.label for b in left_open.button] == ["Sign in"]
    assert "Add a person" not in texts(left_open)
    with pytest.raises(WriteRefused, match="signed out after this page was opened"):
        write([Change("app_user", "update", {"email": "officer.essex@example.gov.uk"}, {"is_active": False})],
              actor=drawn, db=fresh_db)
    assert scalar(fresh_db, "SELECT is_active FROM app_user WHERE email = 'officer.essex@example.gov.uk'")

    again = signed_in(ADMIN, "pages/users.py")  # signing in again opens a new session, which works
    assert not again.error and "Sign in" not in [b.label for b in again.button]


def test_a_person_deactivated_after_the_import_button_was_drawn_writes_nothing(fresh_db):
    """The Data page's callbacks act as the person is at the click, not as the page was drawn."""
    from monitor.permissions import SYSTEM
    from queries.write import write
    from tests.app.test_data import GOOD, HEAD, upload

    at = signed_in("officer.sussex@example.gov.uk", "pages/data.py")
    upload(at, f"{HEAD}\n{GOOD}\n")
    assert at.button(key="import_go")
    write([Change("app_user", "update", {"email": "officer.sussex@example.gov.uk"}, {"is_active": False})],
          actor=SYSTEM, db=fresh_db)
    at.button(key="import_go").click().run()
    assert not at.exception, at.exception
    assert scalar(fresh_db, "SELECT count(*) FROM milestone WHERE milestone_id = 'ews-m90'") == 0
    assert "Imported" not in texts(at)
    assert fetch(fresh_db, "SELECT action FROM change_log WHERE table_name = 'milestone'")["action"].tolist() == ["refused"]


# --- demo mode ----------------------------------------------------------------------------------

def test_demo_mode_has_banner_and_role_picker_and_obeys_the_roles(demo_db):
    at = open_app("pages/overview.py")  # no [auth] secrets at all
    assert "Demo mode" in texts(at)
    picker = at.sidebar.selectbox(key="demo_email")
    assert picker.label == "Demo mode: view as" and picker.value == ADMIN
    assert not [b for b in at.button if b.label in ("Sign in", "Sign out")]
    at = open_app("pages/users.py", email="cllr.southholland@example.gov.uk")
    assert "The Users page is not available to a scrutiny member" in refusal(at)
    assert not at.text_input


def test_demo_mode_can_start_as_a_chosen_user(demo_db, monkeypatch):
    monkeypatch.setenv("MONITOR_DEMO_USER", "cllr.southholland@example.gov.uk")
    at = open_app()  # (the first request straight to a page: tests/browser/test_restricted_page_browser.py)
    assert at.sidebar.selectbox(key="demo_email").value == "cllr.southholland@example.gov.uk"
    assert "viewing as Scrutiny Councillor, South Holland DC (demo) (scrutiny member)" in texts(at)
    assert len(at.subheader) == 1


# --- every kind of write, through the app's identity ------------------------------------------

EWS_MILESTONE = "SELECT milestone_id FROM milestone WHERE programme_id = 'east-west-sussex' ORDER BY 1 LIMIT 1"
HWS_MILESTONE = "SELECT milestone_id FROM milestone WHERE programme_id = 'hampshire-west-sussex' ORDER BY 1 LIMIT 1"
DRAFT = "hws-2023-Q3-v1"


def changes_for(kind: str, email: str, db) -> list:
    from queries.write import Change
    if kind == "edit a milestone of East-West Sussex":
        return [Change("milestone", "update", {"milestone_id": scalar(db, EWS_MILESTONE)}, {"owner": f"set by {email}"})]
    if kind == "edit a milestone of the Hampshire commission":
        return [Change("milestone", "update", {"milestone_id": scalar(db, HWS_MILESTONE)}, {"owner": f"set by {email}"})]
    if kind == "edit the draft quarterly report":
        return [Change("commissioner_report", "update", {"report_id": DRAFT},
                       {"narrative_json": json.dumps({"summary": f"drafted by {email}"})})]
    if kind == "submit the draft quarterly report":
        return [Change("commissioner_report", "update", {"report_id": DRAFT},
                       submitted(email))]
    if kind == "start a new quarterly report":
        return [Change("commissioner_report", "insert", {"report_id": "hws-2023-Q4-v1"},
                       {"programme_id": "hampshire-west-sussex", "quarter_label": "2023-Q4",
                        "reporting_date": "2023-12-31", "author": email, "status": "draft", "source": "001 para 9"})]
    if kind == "add a user":
        return [Change("app_user", "insert", {"email": "newcomer@example.gov.uk"},
                       {"display_name": "Newcomer", "role": "administrator"})]
    if kind == "give someone another programme":
        return [Change("app_user_programme", "insert",
                       {"email": "ceo.hampshire@example.gov.uk", "programme_id": "breckland-south-holland"})]
    if kind == "deactivate a user":
        return [Change("app_user", "update", {"email": "officer.essex@example.gov.uk"}, {"is_active": False})]
    if kind == "make themselves an administrator":
        return [Change("app_user", "update", {"email": email}, {"role": "administrator"})]
    raise KeyError(kind)


STATE = {  # what each kind would change, read back independently
    "edit a milestone of East-West Sussex": f"SELECT owner, row_version FROM milestone WHERE milestone_id = ({EWS_MILESTONE})",
    "edit a milestone of the Hampshire commission": f"SELECT owner, row_version FROM milestone WHERE milestone_id = ({HWS_MILESTONE})",
    "edit the draft quarterly report": f"SELECT narrative_json FROM commissioner_report WHERE report_id = '{DRAFT}'",
    "submit the draft quarterly report": f"SELECT status, submitted_by FROM commissioner_report WHERE report_id = '{DRAFT}'",
    "start a new quarterly report": "SELECT count(*) AS n FROM commissioner_report WHERE programme_id = 'hampshire-west-sussex'",
    "add a user": "SELECT count(*) AS n FROM app_user",
    "give someone another programme": "SELECT count(*) AS n FROM app_user_programme",
    "deactivate a user": "SELECT is_active FROM app_user WHERE email = 'officer.essex@example.gov.uk'",
    "make themselves an administrator": "SELECT email, CAST(role AS VARCHAR) AS role FROM app_user ORDER BY email",
}
MAY = {  # who may do each kind; everyone else is refused
    "edit a milestone of East-West Sussex": {"officer.sussex@example.gov.uk", ADMIN},
    "edit a milestone of the Hampshire commission": {ADMIN},
    "edit the draft quarterly report": {COMMISSIONER, ADMIN},
    "submit the draft quarterly report": {COMMISSIONER, ADMIN},
    "start a new quarterly report": {COMMISSIONER, ADMIN},
    "add a user": {ADMIN},
    "give someone another programme": {ADMIN},
    "deactivate a user": {ADMIN},
    "make themselves an administrator": set(),  # (an administrator already is one)
}


def attempt(kind: str, db: str) -> None:
    """The app side: who is signed in (ui.identity, from st.user) attempts one write."""
    import streamlit as st

    from queries.write import WriteRefused, write
    from tests.app.test_roles import changes_for
    from ui import identity

    who = identity.who()
    try:
        result = write(changes_for(kind, who.actor.email, db), actor=who.actor)
        st.success(f"written: {result.changed}")
    except WriteRefused as exc:
        st.error(str(exc))


@pytest.mark.parametrize("email", [e for e in ACTIVE if e != ADMIN] + [ADMIN])
def test_every_kind_of_write_is_refused_for_roles_that_may_not(fresh_db, email):
    for kind in STATE:
        if kind == "make themselves an administrator" and email == ADMIN:
            continue
        before = fetch(fresh_db, STATE[kind])
        log_before = scalar(fresh_db, "SELECT count(*) FROM change_log")
        at = AppTest.from_function(attempt, args=(kind, str(fresh_db)), default_timeout=60)
        at.secrets = AUTH
        at.user = {"is_logged_in": True, "email": email, "name": "From the provider"}
        at.run()
        assert not at.exception, (kind, at.exception)
        after = fetch(fresh_db, STATE[kind])
        new_rows = scalar(fresh_db, "SELECT count(*) FROM change_log") - log_before
        log = fetch(fresh_db, "SELECT changed_by, action FROM (SELECT * FROM change_log ORDER BY change_id DESC "
                              "LIMIT $n) ORDER BY change_id", {"n": new_rows})
        assert set(log["changed_by"]) == {email}, kind  # the signed-in identity, never a typed name
        if email in MAY[kind]:
            assert [s.value for s in at.success] and not at.error, (kind, refusal(at))
            assert not after.equals(before), kind
            assert "refused" not in set(log["action"]), kind
        else:
            assert at.error and not at.success, kind
            assert after.equals(before), f"{email} changed the database: {kind}"
            assert list(log["action"]) == ["refused"], kind


# --- reads limited where the data is read (ctx.read), not in each page ------------------------------

def test_a_chief_executive_reads_no_other_councils_no_detriment_indicators(fresh_db):
    """Hampshire's chief executive, added to the East–West Sussex programme, still reads only
    Hampshire's no-detriment indicators there: East Sussex's are not offered, not even by URL."""
    from monitor.permissions import SYSTEM
    from queries.write import write

    write([Change("app_user_programme", "insert", {"email": "ceo.hampshire@example.gov.uk",
                                                    "programme_id": "east-west-sussex"}, {})], actor=SYSTEM, db=fresh_db)
    east_sussex = fetch(fresh_db, "SELECT indicator_name FROM indicator WHERE ons_code = 'E10000011' "
                                  "AND CAST(purpose AS VARCHAR) = 'no_detriment'")["indicator_name"].tolist()
    assert east_sussex
    at = signed_in("ceo.hampshire@example.gov.uk", "pages/no_detriment.py",
                   query={"programme": "east-west-sussex", "council": "E10000011"})
    assert not at.exception, at.exception
    shown = texts(at) + " ".join(str(df.value.to_csv()) for df in at.dataframe)
    assert not [name for name in east_sussex if name in shown]
    assert "E10000011" not in [o for s in at.selectbox for o in s.options]
    # East Sussex's own chief executive reads them.
    own = signed_in("ceo.eastsussex@example.gov.uk", "pages/no_detriment.py",
                    query={"programme": "east-west-sussex", "council": "E10000011"})
    assert any(name in texts(own) + " ".join(str(df.value.to_csv()) for df in own.dataframe) for name in east_sussex)


def test_the_change_log_shows_a_person_only_their_programmes_entries(fresh_db):
    """A narrative edit to Hampshire's report is in the change log, but not in the Sussex officer's."""
    from queries.write import write

    write([Change("commissioner_report", "update", {"report_id": "hws-2023-Q3-v1"},
                  {"narrative_json": json.dumps({"summary": "A Hampshire narrative"})})],
          actor=actor_for_email(queries.run("users/app_users", db=fresh_db), COMMISSIONER), db=fresh_db)
    write([Change("milestone", "update", {"milestone_id": scalar(fresh_db, "SELECT min(milestone_id) FROM milestone "
                                                                         "WHERE programme_id = 'east-west-sussex'")},
                  {"owner": "A Sussex owner"})],
          actor=actor_for_email(queries.run("users/app_users", db=fresh_db), "officer.sussex@example.gov.uk"),
          db=fresh_db)
    officer = signed_in("officer.sussex@example.gov.uk", "pages/data.py")
    logged = " ".join(df.value.to_csv() for df in officer.dataframe)
    assert "A Sussex owner" in logged and "hws-2023-Q3-v1" not in logged and "A Hampshire narrative" not in logged
    admin = signed_in(ADMIN, "pages/data.py")
    assert "hws-2023-Q3-v1" in " ".join(df.value.to_csv() for df in admin.dataframe)
