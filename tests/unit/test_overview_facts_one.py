"""A domain page's headline reads its programme's facts computed from its own rows, read by the
fact queries with their optional programme (monitor.overview.facts.one_programme_facts); the
Overview computes every programme's at once from every row. Both must give the same facts, today
and as at an earlier day, or a card and a page could disagree."""
import datetime as dt

import pytest

import queries
from monitor import clock
from monitor.overview.facts import one_programme_facts, programme_facts
from queries.facts import fact_frames


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
