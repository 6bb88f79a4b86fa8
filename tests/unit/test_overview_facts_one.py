"""A domain page's headline reads its programme's facts computed from its own rows
(monitor.overview.facts.one_programme_facts); the Overview computes every programme's at once.
Both must give the same facts, or a card and a page could disagree."""
import queries
from monitor import clock
from monitor.overview.facts import one_programme_facts, programme_facts
from queries.facts import fact_frames


def test_each_programmes_own_facts_equal_its_facts_among_everyone(demo_db):
    day = clock.today()
    frames = fact_frames(queries.run, day)
    programmes = queries.run("programmes/all")
    everyone = {f.programme_id: f for f in programme_facts(programmes, today=day, **frames)}
    assert len(everyone) == 5
    for programme_id, facts in everyone.items():
        assert one_programme_facts(programmes, programme_id, today=day, **frames) == facts, programme_id
