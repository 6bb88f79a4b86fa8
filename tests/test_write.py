"""The one write function: a transaction that logs every change, bumps the data version, and
refuses — writing nothing — when the role, the row version or the database says no."""
import json

import pytest

import queries
from monitor import clock
from monitor.permissions import SYSTEM, Actor
from queries.write import Change, WriteRefused, write, write_table
from tests.dbutil import submitted

pytestmark = pytest.mark.both_backends

OFFICER = Actor("officer.sussex@example.gov.uk", "Programme Officer, Sussex partnership (demo)", "programme officer",
                frozenset({"east-west-sussex"}))
SCRUTINY = Actor("cllr.southholland@example.gov.uk", "Scrutiny Councillor, South Holland DC (demo)", "scrutiny member",
                 frozenset({"breckland-south-holland"}))


def milestone(db, milestone_id):
    frame = queries.run("milestones/all", db=db)
    return frame[frame["milestone_id"] == milestone_id].iloc[0]


def first_milestone_id(db, programme_id="east-west-sussex"):
    frame = queries.run("milestones/all", db=db)
    return frame[frame["programme_id"] == programme_id]["milestone_id"].iloc[0]


def change_log(db):
    with queries.connect(db).cursor() as cur:
        return cur.execute("SELECT * FROM change_log ORDER BY change_id").df()


def test_update_is_logged_with_before_and_after_and_bumps_version(fresh_db):
    mid = first_milestone_id(fresh_db)
    version = queries.data_version(fresh_db)
    result = write([Change("milestone", "update", {"milestone_id": mid}, {"owner": "Director of Law"})], actor=OFFICER)
    assert (result.updated, result.inserted) == (1, 0)
    assert milestone(fresh_db, mid)["owner"] == "Director of Law"
    assert queries.data_version(fresh_db) == version + 1
    log = change_log(fresh_db).iloc[-1]
    assert (log["changed_by"], log["table_name"], log["action"]) == (OFFICER.email, "milestone", "update")
    assert json.loads(log["after_json"])["owner"] == "Director of Law"
    assert json.loads(log["before_json"])["owner"] != "Director of Law"


def test_same_values_change_nothing(fresh_db):
    mid = first_milestone_id(fresh_db)
    owner = milestone(fresh_db, mid)["owner"]
    version = queries.data_version(fresh_db)
    result = write([Change("milestone", "update", {"milestone_id": mid}, {"owner": owner})], actor=OFFICER)
    assert (result.unchanged, result.changed) == (1, 0)
    assert queries.data_version(fresh_db) == version
    assert change_log(fresh_db).empty


def test_scrutiny_member_cannot_write_and_refusal_is_logged(fresh_db):
    mid = first_milestone_id(fresh_db)
    before = milestone(fresh_db, mid)
    with pytest.raises(WriteRefused, match="scrutiny member can read but not change"):
        write([Change("milestone", "update", {"milestone_id": mid}, {"owner": "x"})], actor=SCRUTINY)
    assert milestone(fresh_db, mid).equals(before)
    log = change_log(fresh_db)
    assert list(log["action"]) == ["refused"] and log["changed_by"].iloc[0] == SCRUTINY.email


def test_officer_cannot_write_another_programme(fresh_db):
    mid = first_milestone_id(fresh_db, "breckland-south-holland")
    with pytest.raises(WriteRefused, match="not a programme officer for programme breckland-south-holland"):
        write([Change("milestone", "update", {"milestone_id": mid}, {"owner": "x"})], actor=OFFICER)


def test_all_or_nothing_when_one_change_breaks_a_constraint(fresh_db):
    mid = first_milestone_id(fresh_db)
    before = milestone(fresh_db, mid)
    with pytest.raises(WriteRefused, match="database refused"):
        write([Change("milestone", "update", {"milestone_id": mid}, {"owner": "Someone new"}),
               Change("milestone", "update", {"milestone_id": mid}, {"owner": None})], actor=SYSTEM)
    assert milestone(fresh_db, mid)["owner"] == before["owner"]


def test_stale_row_version_is_refused_showing_their_change(fresh_db):
    mid = first_milestone_id(fresh_db)
    write([Change("milestone", "update", {"milestone_id": mid}, {"owner": "First editor"}, expected_version=1)], actor=OFFICER)
    with pytest.raises(WriteRefused, match="changed by someone else.*First editor"):
        write([Change("milestone", "update", {"milestone_id": mid}, {"owner": "Second editor"}, expected_version=1)],
              actor=OFFICER)
    assert milestone(fresh_db, mid)["owner"] == "First editor"


def test_submitted_report_cannot_be_changed_even_by_an_administrator(fresh_db):
    with queries.connect(fresh_db).cursor() as cur:
        report_id, narrative = cur.execute(
            "SELECT report_id, narrative_json FROM commissioner_report WHERE status = 'submitted' LIMIT 1").fetchone()
    with pytest.raises(WriteRefused, match="submitted and can no longer be changed"):
        write([Change("commissioner_report", "update", {"report_id": report_id}, {"narrative_json": "{}"})], actor=SYSTEM)
    with queries.connect(fresh_db).cursor() as cur:
        assert cur.execute("SELECT narrative_json FROM commissioner_report WHERE report_id = $r",
                           {"r": report_id}).fetchone()[0] == narrative


def test_unknown_table_or_column_never_reaches_sql(fresh_db):
    with pytest.raises(WriteRefused, match="no table"):
        write([Change("milestone; DROP TABLE milestone", "update", {"milestone_id": "x"}, {})], actor=SYSTEM)
    with pytest.raises(WriteRefused, match="has no column"):
        write([Change("milestone", "update", {"milestone_id": "x"}, {'owner" = 1; --': "x"})], actor=SYSTEM)
    with pytest.raises(WriteRefused, match="no table"):
        write([Change("change_log", "delete", {"change_id": 1})], actor=SYSTEM)


def test_insert_then_delete_round_trip(fresh_db):
    row = {"programme_id": "east-west-sussex", "due_date": "2027-01-15", "kind": "board",
           "title": "Extra board", "source": "illustrative"}
    write([Change("key_date", "insert", {"key_date_id": "test-kd"}, row)], actor=OFFICER)
    assert "Extra board" in set(queries.run("calendar/key_dates", db=fresh_db)["title"])
    write([Change("key_date", "delete", {"key_date_id": "test-kd"})], actor=OFFICER)
    assert "Extra board" not in set(queries.run("calendar/key_dates", db=fresh_db)["title"])
    assert list(change_log(fresh_db)["action"]) == ["insert", "delete"]


# --- Quarterly reports: every path keeps the page's correction flow ----------------------------

COMMISSIONER = Actor("commissioner@example.gov.uk", "DfE Commissioner", "commissioner", frozenset({"hampshire-west-sussex"}))
ADMIN = Actor("admin@example.gov.uk", "Administrator", "administrator")


def report(db, report_id):
    with queries.connect(db).cursor() as cur:
        res = cur.execute("SELECT * FROM commissioner_report WHERE report_id = $r", {"r": report_id})
        names = [d[0] for d in res.description]
        row = res.fetchone()
    return dict(zip(names, row)) if row else None


def correction(**values):
    row = {"programme_id": "hampshire-west-sussex", "quarter_label": "2023-Q2", "reporting_date": "2023-06-30",
           "version": 2, "corrects_report_id": "hws-2023-Q2-v1", "author": "DfE Commissioner", "status": "draft",
           "source": "001 para 9"}
    return Change("commissioner_report", "insert", {"report_id": "hws-2023-Q2-v2"}, {**row, **values})


def test_a_correction_is_started_as_a_draft_and_submitted_now_by_its_commissioner(fresh_db):
    write([correction()], actor=COMMISSIONER)
    now = clock.now()
    write([Change("commissioner_report", "update", {"report_id": "hws-2023-Q2-v2"},
                  submitted(COMMISSIONER.email, submitted_at=now))], actor=COMMISSIONER)
    assert report(fresh_db, "hws-2023-Q2-v2")["status"] == "submitted"
    assert report(fresh_db, "hws-2023-Q2-v1")["status"] == "submitted"  # the record it corrects stays


@pytest.mark.parametrize("values,words", [
    ({"status": "submitted", "submitted_by": "commissioner@example.gov.uk", "submitted_at": "2023-07-20 10:00:00",
      "confidence": "Amber", "figures_json": "{}"}, "would arrive already submitted"),
    ({"reporting_date": "2023-03-31"}, "never back-dated"),
    ({"corrects_report_id": None}, "must name the submitted report it corrects"),
    ({"corrects_report_id": "hws-2023-Q3-v1", "quarter_label": "2023-Q3", "reporting_date": "2023-09-30"},
     "which is not submitted"),  # a draft
    ({"corrects_report_id": "ews-2021-Q1-v1"}, "another programme or quarter"),
], ids=["arrives submitted", "back-dated", "unnamed", "corrects a draft", "other programme"])
def test_a_new_version_that_breaks_the_flow_is_refused_even_for_an_administrator(fresh_db, values, words):
    before = queries.run("report/list", db=fresh_db, programme_id="hampshire-west-sussex")
    with pytest.raises(WriteRefused, match=words):
        write([correction(**values)], actor=ADMIN)
    assert queries.run("report/list", db=fresh_db, programme_id="hampshire-west-sussex").equals(before)


def test_a_submission_is_never_back_dated_nor_made_in_someone_elses_name(fresh_db):
    submit = {"status": "submitted", "confidence": "Amber", "figures_json": "{}"}
    with pytest.raises(WriteRefused, match="never back-dated"):
        write([Change("commissioner_report", "update", {"report_id": "hws-2023-Q3-v1"},
                      {**submit, "submitted_by": COMMISSIONER.email, "submitted_at": "2023-10-20 10:00:00"})],
              actor=COMMISSIONER)
    with pytest.raises(WriteRefused, match="submitted by the person signed in"):
        write([Change("commissioner_report", "update", {"report_id": "hws-2023-Q3-v1"},
                      {**submit, "submitted_by": "someone.else@example.gov.uk", "submitted_at": clock.now()})],
              actor=ADMIN)
    assert report(fresh_db, "hws-2023-Q3-v1")["status"] == "draft"


def test_the_bulk_path_keeps_the_same_report_rules(fresh_db):
    row = {"report_id": "hws-2023-Q2-v2", **correction(status="submitted", submitted_by=ADMIN.email,
                                                      submitted_at="2023-07-20 10:00:00", confidence="Amber",
                                                      figures_json="{}").values}
    with pytest.raises(WriteRefused, match="would arrive already submitted"):
        write_table("commissioner_report", [row], actor=ADMIN)
    with pytest.raises(WriteRefused, match="never back-dated"):
        write_table("commissioner_report", [{**correction().values, "report_id": "hws-2023-Q2-v2",
                                             "reporting_date": "2023-01-01"}], actor=ADMIN)
    assert report(fresh_db, "hws-2023-Q2-v2") is None
    write_table("commissioner_report", [{**correction().values, "report_id": "hws-2023-Q2-v2"}], actor=COMMISSIONER)
    assert report(fresh_db, "hws-2023-Q2-v2")["status"] == "draft"


# --- Official national tables and councils' rows ------------------------------------------------

SUSSEX = Actor("officer.sussex@example.gov.uk", "Officer", "programme officer", frozenset({"east-west-sussex"}))
DIRECTION = {"ons_code": "E10000014", "event_date": "2024-05-01", "kind": "statutory direction issued",
             "summary": "A direction", "source": "illustrative"}


def test_a_programme_officer_writes_directions_only_for_the_councils_of_their_programmes(fresh_db):
    with pytest.raises(WriteRefused) as refused:
        write([Change("intervention_event", "insert", {"event_id": "hants-sd-90"}, DIRECTION)], actor=SUSSEX)
    assert 'intervention_event {"event_id": "hants-sd-90"}' in str(refused.value)
    assert "Hampshire (E10000014), which is not a party" in str(refused.value)
    with pytest.raises(WriteRefused, match=r"hants-sd-90.*Hampshire \(E10000014\)"):
        write_table("intervention_event", [{"event_id": "hants-sd-90", **DIRECTION}], actor=SUSSEX)
    # West Sussex is a party of East-West Sussex: its directions are theirs to keep.
    write([Change("intervention_event", "insert", {"event_id": "wsx-sd-90"}, {**DIRECTION, "ons_code": "E10000032"})],
          actor=SUSSEX)
    # ...but not to move to another council.
    with pytest.raises(WriteRefused, match="Hampshire"):
        write([Change("intervention_event", "update", {"event_id": "wsx-sd-90"}, {"ons_code": "E10000014"})],
              actor=SUSSEX)
    with pytest.raises(WriteRefused, match="West Sussex"):
        write([Change("intervention_event", "update", {"event_id": "wsx-sd-2019-06-04"}, {"summary": "x"})],
              actor=Actor("officer.essex@example.gov.uk", "Essex", "programme officer",
                          frozenset({"essex-braintree-brentwood"})))


def test_ofsted_and_dfe_tables_are_written_by_administrators_only(fresh_db):
    with queries.connect(fresh_db).cursor() as cur:
        inspection = cur.execute("SELECT inspection_id FROM ofsted_judgement WHERE judgement_area = "
                                 "'Overall effectiveness' LIMIT 1").fetchone()[0]
    key = {"inspection_id": inspection, "judgement_area": "Overall effectiveness"}
    with pytest.raises(WriteRefused, match="official national table"):
        write([Change("ofsted_judgement", "update", key, {"grade": "Inadequate"})], actor=SUSSEX)
    with pytest.raises(WriteRefused, match="official national table"):
        write_table("ofsted_judgement", [{**key, "grade": "Inadequate"}], actor=SUSSEX)
    write([Change("ofsted_judgement", "update", key, {"grade": "Inadequate"})], actor=ADMIN)


# --- Control characters ----------------------------------------------------------------------------

def test_control_characters_are_refused_in_every_text_value(fresh_db):
    mid = first_milestone_id(fresh_db)
    before = milestone(fresh_db, mid)
    with pytest.raises(WriteRefused, match=r"owner contains a control character \(U\+0000 NUL\)"):
        write([Change("milestone", "update", {"milestone_id": mid}, {"owner": "Head\x00of Policy"})], actor=OFFICER)
    with pytest.raises(WriteRefused, match=r"owner contains a control character \(U\+001B"):
        write_table("milestone", [{"milestone_id": mid, "owner": "Head \x1b[2J"}], actor=OFFICER)
    with pytest.raises(WriteRefused, match=r"narrative_json section 'summary' contains a control character"):
        write([Change("commissioner_report", "update", {"report_id": "hws-2023-Q3-v1"},
                      {"narrative_json": json.dumps({"summary": "Agreed\x00"})})], actor=ADMIN)
    assert milestone(fresh_db, mid).equals(before)
    # Tabs and line breaks (CRLF too) are text.
    write([Change("milestone", "update", {"milestone_id": mid}, {"evidence": "Board minutes:\r\n\titem 4\nitem 5"})],
          actor=OFFICER)


def test_a_sign_in_address_that_changes_under_normalisation_is_never_stored(fresh_db):
    with pytest.raises(WriteRefused, match="characters that stand for other letters"):
        write([Change("app_user", "insert", {"email": "admin@example.gov.u\u212a"},
                      {"display_name": "Not the admin", "role": "administrator"})], actor=ADMIN)
