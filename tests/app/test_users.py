"""The Users page (administrators): add, change and deactivate who may sign in — every change
through the write function, logged under the signed-in administrator's address."""
from monitor.permissions import SYSTEM
from queries.write import Change, write
from tests.app.test_roles import ADMIN, signed_in
from tests.apptest import shown, texts
from tests.dbutil import fetch, scalar


def user_row(db, email):
    frame = fetch(db, "SELECT display_name, CAST(role AS VARCHAR) AS role, ons_code, is_active FROM app_user "
                      "WHERE email = $e", {"e": email})
    return None if frame.empty else frame.iloc[0].to_dict()


def programmes_of(db, email):
    return set(fetch(db, "SELECT programme_id FROM app_user_programme WHERE email = $e", {"e": email})["programme_id"])


def fill_add_form(at, email, name, role, council=None, programmes=()):
    at.text_input(key="add_email").input(email)
    at.text_input(key="add_name").input(name)
    at.selectbox(key="add_role").select(role)
    if council:
        at.selectbox(key="add_council").select(council)
    at.multiselect(key="add_programmes").set_value(list(programmes))
    at.button(key="FormSubmitter:add_form-Add person").click()
    at.run()
    assert not at.exception, at.exception


def test_lists_every_account_with_its_access(demo_db):
    at = signed_in(ADMIN, "pages/users.py")
    assert not at.exception and not at.error
    listing = at.dataframe[0].value
    assert len(listing) == scalar(demo_db, "SELECT count(*) FROM app_user")
    deactivated = listing[listing["access"] == "Deactivated"]
    assert list(deactivated["email"]) == ["officer.somerset@example.gov.uk"]
    assert "South Holland" in set(listing["council"])
    assert "**7 active** and 1 deactivated accounts." in texts(at)


def test_administrator_adds_a_person_who_can_then_sign_in(fresh_db):
    at = signed_in(ADMIN, "pages/users.py")
    fill_add_form(at, " New.Commissioner@Example.gov.uk ", "Nadia New", "commissioner",
                  programmes=["east-west-sussex"])
    assert "Added Nadia New (new.commissioner@example.gov.uk) as commissioner." in [shown(s.value) for s in at.success]
    assert user_row(fresh_db, "new.commissioner@example.gov.uk") == {
        "display_name": "Nadia New", "role": "commissioner", "ons_code": None, "is_active": True}
    assert programmes_of(fresh_db, "new.commissioner@example.gov.uk") == {"east-west-sussex"}
    log = fetch(fresh_db, "SELECT changed_by, table_name, action FROM change_log ORDER BY change_id")
    assert list(log["table_name"]) == ["app_user", "app_user_programme"]
    assert set(log["changed_by"]) == {ADMIN} and set(log["action"]) == {"insert"}
    # the new person signs in and sees their programme
    them = signed_in("new.commissioner@example.gov.uk", "pages/overview.py")
    assert len(them.subheader) == 1 and "Nadia New" in them.sidebar.markdown[0].value


def test_a_bad_account_names_its_problem_and_writes_nothing(fresh_db):
    at = signed_in(ADMIN, "pages/users.py")
    before = scalar(fresh_db, "SELECT count(*) FROM app_user")
    fill_add_form(at, "ceo.new@example.gov.uk", "Chief Without Council", "chief executive",
                  programmes=["east-west-sussex"])
    assert "A chief executive needs their council" in shown(at.error[0].value)
    fill_add_form(at, "ADMIN@example.gov.uk", "Twice", "administrator")
    assert "admin@example.gov.uk is already registered" in shown(at.error[0].value)
    assert scalar(fresh_db, "SELECT count(*) FROM app_user") == before
    assert scalar(fresh_db, "SELECT count(*) FROM change_log") == 0


def test_administrator_changes_and_deactivates_a_person(fresh_db):
    email = "officer.essex@example.gov.uk"
    at = signed_in(ADMIN, "pages/users.py")
    at.selectbox(key="edit_person").select(email)
    at.run()
    prefix = "edit_officer_essex_example_gov_uk"
    at.multiselect(key=f"{prefix}_programmes").set_value(["essex-braintree-brentwood", "breckland-south-holland"])
    at.checkbox(key=f"{prefix}_active").uncheck()
    at.button(key=f"FormSubmitter:{prefix}_form-Save changes").click()
    at.run()
    assert not at.exception and not at.error, [shown(e.value) for e in at.error]
    assert user_row(fresh_db, email)["is_active"] is False
    assert programmes_of(fresh_db, email) == {"essex-braintree-brentwood", "breckland-south-holland"}
    assert set(fetch(fresh_db, "SELECT changed_by FROM change_log")["changed_by"]) == {ADMIN}
    # deactivated: they are refused at once, wherever they go
    them = signed_in(email, "pages/overview.py")
    assert "not registered for Improvement Monitor (or its access has ended)" in them.error[0].value
    assert not them.subheader


def test_administrator_cannot_lock_themselves_out(fresh_db):
    at = signed_in(ADMIN, "pages/users.py")
    at.selectbox(key="edit_person").select(ADMIN)
    at.run()
    prefix = "edit_admin_example_gov_uk"
    at.selectbox(key=f"{prefix}_role").select("scrutiny member")
    at.checkbox(key=f"{prefix}_active").uncheck()
    at.button(key=f"FormSubmitter:{prefix}_form-Save changes").click()
    at.run()
    message = shown(at.error[0].value)
    assert "cannot deactivate your own account" in message and "own administrator role" in message
    assert user_row(fresh_db, ADMIN) == {"display_name": "Administrator (demo)", "role": "administrator",
                                         "ons_code": None, "is_active": True}


def test_an_administrator_demoted_meanwhile_cannot_submit_the_open_form(fresh_db):
    """The page was open when another administrator took the role away: the next click is
    checked again on the server and refused — nothing written."""
    write([Change("app_user", "insert", {"email": "second.admin@example.gov.uk"},
                  {"display_name": "Second Admin", "role": "administrator"})], actor=SYSTEM)
    at = signed_in("second.admin@example.gov.uk", "pages/users.py")
    assert at.text_input(key="add_email")
    write([Change("app_user", "update", {"email": "second.admin@example.gov.uk"}, {"role": "scrutiny member"})],
          actor=SYSTEM)
    fill_add_form(at, "sneaky@example.gov.uk", "Sneaky", "administrator")
    assert "The Users page is not available to a scrutiny member" in shown(at.error[0].value)
    assert user_row(fresh_db, "sneaky@example.gov.uk") is None
    refused = fetch(fresh_db, "SELECT changed_by, table_name FROM change_log WHERE action = 'refused'")
    assert refused.to_dict("records") == [{"changed_by": "second.admin@example.gov.uk", "table_name": "app_user"}]
