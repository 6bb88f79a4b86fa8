"""Councils that end, on hand-made frames: a milestone of a council abolished mid-programme is never
live after the abolition (passed to a successor that is a party, or closed with its council) in the
one definition of the milestone counts and in the Action plan's tables; the parties' abolition and
vesting days as the card words them; vesting days among the key dates."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from monitor.calendar.rules import KINDS, VESTING_DAY, calendar_table, vesting_note
from monitor.milestones.facts import CLOSED_WITH_COUNCIL, PASSED, council_changes, ended_with_council, milestone_facts
from monitor.milestones.tables import ALL_OWNERS
from monitor.milestones.view import build_view
from monitor.overview.parties import party_facts

T = pd.Timestamp
ABOLISHED = T("2023-04-01")


def plan(successor_in_programme: bool = False) -> pd.DataFrame:
    """A partnership's plan: Sedgemoor leads one work stream and is abolished on 1 Apr 2023; North
    Devon leads the other and goes on."""
    rows = [  # id, owner council, baseline, completed, status
        ("m1", "sedgemoor", "2022-12-31", "2022-12-20", "complete"),   # done before abolition: unaffected
        ("m2", "sedgemoor", "2023-06-30", None, "on track"),            # open at abolition
        ("m3", "sedgemoor", "2023-01-31", None, "off track"),           # overdue before abolition
        ("m4", "sedgemoor", "2022-06-30", None, "dropped"),             # dropped before: unaffected
        ("m5", "north-devon", "2023-06-30", None, "on track"),          # the other council: live
    ]
    frame = pd.DataFrame(rows, columns=["milestone_id", "council", "baseline_due_date", "completed_date", "status"])
    sedgemoor = frame["council"].eq("sedgemoor")
    return frame.assign(
        programme_id="p", workstream_id=frame["council"], workstream_name=frame["council"],
        milestone_title="Milestone " + frame["milestone_id"], owner="Strategic director",
        baseline_due_date=pd.to_datetime(frame["baseline_due_date"]), forecast_due_date=pd.NaT,
        completed_date=pd.to_datetime(frame["completed_date"]), evidence="", source="illustrative",
        owner_ons_code=sedgemoor.map({True: "E07000188", False: "E07000043"}),
        owner_council=sedgemoor.map({True: "Sedgemoor", False: "North Devon"}),
        owner_abolished_date=sedgemoor.map({True: ABOLISHED, False: pd.NaT}).astype("datetime64[us]"),
        owner_successor=sedgemoor.map({True: "Somerset", False: None}),
        successor_in_programme=sedgemoor & successor_in_programme).drop(columns="council")


NO_SNAPSHOTS = pd.DataFrame(columns=["milestone_id", "reporting_date", "status", "forecast_due_date", "source"])


def facts(frame, on, today=dt.date(2023, 5, 1)):
    return milestone_facts(frame, NO_SNAPSHOTS, {"p": on}, {"p": None}, today)["p"]


def test_before_the_abolition_every_milestone_counts_as_usual():
    before = facts(plan(), dt.date(2023, 3, 1), today=dt.date(2023, 3, 1))
    assert (before.in_plan, before.overdue, before.closed_with_council) == (4, 1, 0)


def test_after_the_abolition_no_milestone_of_the_abolished_council_is_live():
    after = facts(plan(), dt.date(2023, 5, 1))
    assert (after.in_plan, after.complete, after.overdue, after.due_soon) == (2, 1, 0, 1)  # m1 and m5 only
    assert after.closed_with_council == 2 and after.passed_to_successor == 0
    assert after.sentence() == ("1 of 2 milestones complete (1 dropped); 2 milestones closed when their council was "
                                "abolished; 0 overdue; 1 due in the next 90 days")
    assert ended_with_council(plan(), T("2023-05-01")).tolist() == [None, CLOSED_WITH_COUNCIL, CLOSED_WITH_COUNCIL,
                                                                      None, None]


def test_when_the_successor_is_a_party_the_milestones_pass_to_it_and_stay_in_the_plan():
    after = facts(plan(successor_in_programme=True), dt.date(2023, 5, 1))
    assert (after.in_plan, after.overdue, after.closed_with_council, after.passed_to_successor) == (4, 1, 0, 2)
    shown = council_changes(plan(successor_in_programme=True), T("2023-05-01"))
    assert shown.loc[shown["milestone_id"] == "m2", "owner"].item() == (
        "Strategic director (passed to Somerset when Sedgemoor was abolished on 1 Apr 2023)")
    assert shown["council_change"].tolist() == [None, PASSED, PASSED, None, None]


def test_the_action_plan_shows_them_closed_never_overdue():
    view = build_view(plan(), NO_SNAPSHOTS, None, (), (), ALL_OWNERS, dt.date(2023, 5, 1), False)
    register = view.register.set_index("ID")
    assert register.loc["m2", "Reported status"] == ("closed: Sedgemoor was abolished on 1 Apr 2023; its work passed "
                                                     "to Somerset, not a party")
    assert register.loc["m3", "Derived RAG (from dates)"] == "Dropped"
    assert view.overdue.empty  # m3 was overdue before the abolition; after it, it is nobody's
    assert view.register.loc[view.register["Reported status"].eq("on track"), "ID"].tolist() == ["m5"]


def test_the_parties_that_end_as_the_card_says_them():
    parties = pd.DataFrame({
        "programme_id": ["p", "p", "p", "q"], "ons_code": ["A", "B", "C", "D"],
        "authority_name": ["Sedgemoor", "South Somerset", "Essex", "West Sussex"],
        "role": ["partner", "partner", "lead", "supported council"],
        "abolished_date": [ABOLISHED, ABOLISHED, pd.NaT, pd.NaT], "successor_name": ["Somerset", "Somerset", None, None],
        "vesting_date": [pd.NaT, pd.NaT, T("2028-04-01"), T("2028-04-01")],
        "vesting_status": [None, None, "proposed", "proposed"], "vesting_successor": [None] * 4})
    out = party_facts(parties, {"p": dt.date(2024, 1, 1), "q": dt.date(2026, 12, 4)}, {"p": None, "q": None},
                      dt.date(2026, 12, 4))
    assert out["p"].sentence() == ("Sedgemoor and South Somerset were abolished on 1 Apr 2023; their area is now "
                                   "served by Somerset. Essex: vesting day 1 Apr 2028 (proposed).")
    early = party_facts(parties, {"p": dt.date(2023, 3, 1)}, {"p": None}, dt.date(2026, 12, 4))["p"]
    assert [p.name for p in early.ended] == []  # as at a date before it, nothing had ended
    closed = party_facts(parties, {"p": dt.date(2023, 3, 31)}, {"p": dt.date(2023, 3, 31)}, dt.date(2026, 12, 4))["p"]
    assert "were abolished on 1 Apr 2023, after the programme closed" in closed.sentence()
    assert not closed.ending  # a closed programme has no vesting day ahead


def test_the_parties_as_the_card_lists_them_every_role_by_role_then_name():
    """Who is in the programme and as what, lending or not: a council in two roles is listed in each,
    though it ends once."""
    parties = pd.DataFrame({
        "programme_id": ["p", "p", "p", "p"], "ons_code": ["A", "B", "C", "A"],
        "authority_name": ["Slough", "Windsor", "Bracknell", "Slough"],
        "role": ["supported council", "partner", "partner", "commissioner host"],
        "is_lending": [False, True, False, False],
        "abolished_date": [pd.NaT] * 4, "successor_name": [None] * 4, "vesting_date": [pd.NaT] * 4,
        "vesting_status": [None] * 4, "vesting_successor": [None] * 4})
    out = party_facts(parties, {"p": dt.date(2026, 12, 4), "q": dt.date(2026, 12, 4)}, {"p": None, "q": None},
                      dt.date(2026, 12, 4))
    assert out["p"].members == ("Slough (commissioner host)", "Bracknell (partner)", "Windsor (partner, lending)",
                                "Slough (supported council)")
    assert out["q"].members == ()  # a programme without parties recorded lists none


def test_vesting_days_are_key_dates_and_proposed_ones_say_so():
    assert VESTING_DAY in KINDS
    dates = pd.DataFrame({
        "key_date_id": ["k1", "vesting-p-A-2028-04-01"], "programme_id": ["p", "p"], "programme_name": ["P", "P"],
        "due_date": [T("2027-01-12"), T("2028-04-01")], "kind": ["board", VESTING_DAY],
        "title": ["Board", "Vesting day (proposed): West Sussex to be abolished (reorganisation of West Sussex)"],
        "notice_period_months": [None, None], "source": ["illustrative", "MHCLG consultation"],
        "reorganisation_status": [None, "proposed"]})
    table = calendar_table(dates, dt.date(2026, 12, 4))
    assert table["Title"].iloc[1].startswith("Vesting day (proposed)") and table["Kind"].iloc[1] == "vesting day"
    assert vesting_note(dates) == ("1 vesting day of the programmes' councils, from local government reorganisation; "
                                   "1 marked (proposed) is a proposal the government has consulted on, not yet "
                                   "decided, and may move.")
    assert vesting_note(dates.iloc[:1]) == ""
