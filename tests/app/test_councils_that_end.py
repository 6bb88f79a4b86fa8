"""A programme with a party abolished mid-way (Sedgemoor, 1 Apr 2023, succeeded by Somerset): no live
milestone of that party after the abolition on the Overview card, the Action plan, the headline CSV
and the quarterly report's headline — closed with the council, or passed to the successor when the
successor is a party too — and both pages say the council ended."""
from __future__ import annotations


import pytest

from monitor import clock
from monitor.tidy import read_tidy_csv
from monitor.permissions import SYSTEM
from queries.write import Change, write
from tests import framework2026 as f26
from tests.apptest import open_app, texts

P = "sedgemoor-north-devon"
NAME = "Sedgemoor – North Devon shared services (test)"
SEDGEMOOR, NORTH_DEVON, SOMERSET = "E07000188", "E07000043", "E06000066"
ENDED = "Sedgemoor was abolished on 1 Apr 2023; its area is now served by Somerset."
CLOSED = "closed: Sedgemoor was abolished on 1 Apr 2023; its work passed to Somerset, not a party"


def stone(mid, workstream, title, due, status, completed=None):
    return Change("milestone", "insert", {"milestone_id": mid},
                  {"programme_id": P, "workstream_id": workstream, "milestone_title": title, "owner": "Director",
                   "baseline_due_date": due, "completed_date": completed, "status": status, "source": "illustrative"})


@pytest.fixture
def abolished_midway(fresh_db, monkeypatch):
    monkeypatch.setenv(clock.TODAY_ENV, f26.TODAY)
    write([
        Change("programme", "insert", {"programme_id": P},
               {"programme_name": NAME, "kind": "strategic alliance", "legal_basis": None, "start_date": "2021-04-01",
                "end_date": None, "status": "active", "summary": "A partnership that outlives one of its councils.",
                "source": "illustrative"}),
        *[Change("programme_party", "insert", {"programme_id": P, "ons_code": code, "role": "partner"},
                 {"is_lending": False, "source": "illustrative"}) for code in (SEDGEMOOR, NORTH_DEVON)],
        Change("workstream", "insert", {"workstream_id": "snd-sedgemoor"},
               {"programme_id": P, "workstream_name": "Sedgemoor's work", "is_primary": True,
                "lead_ons_code": SEDGEMOOR, "source": "illustrative"}),
        Change("workstream", "insert", {"workstream_id": "snd-devon"},
               {"programme_id": P, "workstream_name": "North Devon's work", "is_primary": True,
                "lead_ons_code": NORTH_DEVON, "source": "illustrative"}),
        stone("snd-m1", "snd-sedgemoor", "Joint depot open", "2023-06-30", "on track"),        # due after abolition
        stone("snd-m2", "snd-sedgemoor", "Shared fleet contract", "2022-12-31", "off track"),  # overdue before it
        stone("snd-m3", "snd-sedgemoor", "Shared manager appointed", "2022-06-01", "complete", "2022-05-20"),
        stone("snd-m4", "snd-devon", "Joint procurement plan", "2026-06-30", "off track"),     # overdue today
        stone("snd-m5", "snd-devon", "Joint procurement contract", "2027-01-31", "on track"),  # due soon
    ], actor=SYSTEM, db=fresh_db)
    return fresh_db


def card(at) -> dict[str, str]:
    titles = [h.value for h in at.subheader]
    metrics = [m for m in at.metric if m.label in ("Milestones complete", "Due in next 90 days", "Overdue",
                                                    "Open high risks")]
    i = titles.index(NAME)
    return {m.label: m.value for m in metrics[4 * i: 4 * i + 4]}


def test_no_live_milestone_of_the_abolished_party_anywhere(abolished_midway, downloads):
    overview = open_app("pages/overview.py")
    assert not overview.exception
    assert card(overview) == {"Milestones complete": "1 of 3", "Due in next 90 days": "1", "Overdue": "1",
                              "Open high risks": "0"}
    assert f"**Councils that end:** {ENDED}" in texts(overview)
    csv = read_tidy_csv([d for n, _m, d in downloads if n and n.startswith("headline-figures")][-1]
                        ).set_index("Programme ID").loc[P]
    assert (csv["Milestones in plan"], csv["Milestones overdue"], csv["Milestones due in next 90 days"]) == (3, 1, 1)

    plan = open_app("pages/action_plan.py", query={"programme": P})
    assert not plan.exception
    assert {m.label: m.value for m in plan.metric} == {"Milestones complete": "1 of 3", "Overdue": "1",
                                                       "Due in next 90 days": "1"}
    warning = " ".join(str(w.value) for w in plan.warning)
    assert ENDED in warning and "2 milestones closed when their council was abolished" in warning
    register = next(d.value for d in plan.dataframe if "Reported status" in d.value.columns and "ID" in d.value.columns
                    and "Derived RAG (from dates)" in d.value.columns).set_index("ID")
    assert register.loc["snd-m1", "Reported status"] == CLOSED and register.loc["snd-m2", "Reported status"] == CLOSED
    live = register[~register["Derived RAG (from dates)"].isin(["Complete", "Dropped"])]
    assert sorted(live.index) == ["snd-m4", "snd-m5"]  # North Devon's only
    overdue = [d.value for d in plan.dataframe if "Days overdue" in d.value.columns]
    assert overdue and all(set(o["ID"]) <= {"snd-m4"} for o in overdue)

    report = open_app("pages/quarterly_report.py", query={"programme": P, "quarter": "2026-Q4"})
    assert not report.exception
    headline = next(d.value for d in report.dataframe if list(d.value.columns) == ["Measure", "Figure"])
    figures = dict(zip(headline["Measure"], headline["Figure"]))
    assert (figures["Milestones complete"], figures["Overdue"], figures["Due in next 90 days"]) == ("1 of 3", "1", "1")

    calendar = open_app("pages/calendar.py", query={"programme": P})
    dates = calendar.dataframe[-1].value
    assert "Vesting day: Sedgemoor abolished; Somerset takes over" in set(dates["Title"])


def test_a_successor_that_is_a_party_takes_the_milestones_on(abolished_midway):
    write([Change("programme_party", "insert", {"programme_id": P, "ons_code": SOMERSET, "role": "partner"},
                  {"is_lending": False, "source": "illustrative"})], actor=SYSTEM, db=abolished_midway)
    plan = open_app("pages/action_plan.py", query={"programme": P})
    assert not plan.exception
    # Somerset's now: live, and overdue like any other (m1 and m2 of the old Sedgemoor, m4 of North Devon)
    assert {m.label: m.value for m in plan.metric} == {"Milestones complete": "1 of 5", "Overdue": "3",
                                                       "Due in next 90 days": "1"}
    register = next(d.value for d in plan.dataframe if "Owner" in d.value.columns and "Derived RAG (from dates)"
                    in d.value.columns).set_index("ID")
    assert register.loc["snd-m1", "Owner"] == "Director (passed to Somerset when Sedgemoor was abolished on 1 Apr 2023)"
    assert "2 milestones passed to a successor council in the programme" in " ".join(str(w.value) for w in plan.warning)
