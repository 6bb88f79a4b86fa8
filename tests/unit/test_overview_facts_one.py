"""A domain page's headline reads its programme's facts computed from its own rows, read by the
fact queries with their optional programme (monitor.overview.facts.one_programme_facts); the
Overview computes every programme's at once from every row. Both must give the same facts, today
and as at an earlier day, or a card and a page could disagree."""
import datetime as dt

import pytest

import queries
from monitor import clock
from monitor.overview.facts import facts_from_frames, headline_frames, one_programme_facts, programme_facts
from monitor.overview.headlines import as_at_caption, metrics
from monitor.programme import closed_by_programme
from queries.facts import fact_frames, fact_requests
from queries.loader import run_side_by_side


@pytest.mark.parametrize("as_at", [None, dt.date(2025, 3, 31)], ids=["today", "an earlier day"])
def test_each_programmes_own_facts_equal_its_facts_among_everyone(demo_db, as_at):
    day = clock.today()
    programmes = queries.run("programmes/all")
    when = {"as_at": {p: as_at for p in programmes["programme_id"]}} if as_at else {}
    everyone = {f.programme_id: f for f in programme_facts(programmes, today=day, **when,
                                                           **fact_frames(queries.run, day, as_at))}
    assert len(everyone) == 5
    for programme_id, facts in everyone.items():
        own = fact_frames(queries.run, day, as_at, programme_id=programme_id)
        assert all(set(f["programme_id"]) <= {programme_id} for f in own.values() if "programme_id" in f), programme_id
        assert one_programme_facts(programmes, programme_id, today=day, **when, **own) == facts, programme_id


def test_facts_computed_as_the_rows_arrive_are_the_facts_of_every_frame_given_at_once(demo_db):
    """The Overview's facts (ui.facts) are computed domain by domain as each query's rows arrive
    (queries.loader.run_side_by_side); they are the facts of the same frames given at once."""
    day = clock.today()
    programmes = queries.run("programmes/all")
    at_once = programme_facts(programmes, today=day, **fact_frames(queries.run, day))
    assert facts_from_frames(programmes, run_side_by_side(fact_requests(day)), today=day) == at_once
    # The card's parties are the programme's parties as the Ofsted page reads them (programmes/parties).
    parties = queries.run("programmes/parties")
    for facts in at_once:
        mine = parties[parties["programme_id"] == facts.programme_id]
        assert facts.parties.members == tuple(
            f"{r.authority_name} ({r.role}{', lending' if r.is_lending else ''})" for r in mine.itertuples()), \
            facts.programme_id
    assert any(", lending" in line for facts in at_once for line in facts.parties.members)


# The headline each domain's page shows (monitor.overview.headlines).
HEADLINE_OF = {"milestones": ("milestones_complete", "milestones_overdue", "milestones_due_soon"),
               "risks": ("open_high_risks",), "savings": ("savings_delivered",),
               "no_detriment": ("no_detriment_concerns",), "ofsted": ("latest_ofsted",), "key_dates": ()}


def test_a_domain_pages_headline_is_its_domains_facts_among_everyones(demo_db):
    """A domain page computes only its own domain's facts (and the milestones' too once the programme
    has closed: its caption says when they were last reported); those are the Overview's."""
    day = clock.today()
    programmes = queries.run("programmes/all")
    everyone = {f.programme_id: f for f in programme_facts(programmes, today=day, **fact_frames(queries.run, day))}
    closed = closed_by_programme(programmes, day)
    assert any(closed.values()) and not all(closed.values())  # the demo has both
    for programme_id, facts in everyone.items():
        for domain in ("milestones", "risks", "savings", "no_detriment", "ofsted", "key_dates"):
            frames = headline_frames((domain,), closed=closed[programme_id] is not None)
            own = one_programme_facts(programmes, programme_id, today=day,
                                      **fact_frames(queries.run, day, programme_id=programme_id, frames=frames))
            assert getattr(own, domain) == getattr(facts, domain), (programme_id, domain)
            assert (own.as_at, own.closed_on) == (facts.as_at, facts.closed_on)
            assert as_at_caption(own) == as_at_caption(facts)
            assert [m.value for m in metrics(own, *HEADLINE_OF[domain])] == \
                   [m.value for m in metrics(facts, *HEADLINE_OF[domain])]
            others = {"milestones", "risks", "savings", "no_detriment", "ofsted", "key_dates"} - {domain}
            if closed[programme_id] is not None:
                others.discard("milestones")
            assert all(getattr(own, o) is None for o in others), (programme_id, domain)
