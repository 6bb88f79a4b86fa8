"""Overview under AppTest: one card per programme with the right counts, filters that work."""
from tests.apptest import open_app, texts
from tests.dbutil import fetch


def card_titles(at):
    return [h.value for h in at.subheader]


def expected_counts(db, programme_id):
    row = fetch(db, "SELECT count(*) FILTER (WHERE status = 'complete') AS done, count(*) AS total "
                    "FROM milestone WHERE programme_id = $p", {"p": programme_id}).iloc[0]
    return int(row["done"]), int(row["total"])


def test_overview_shows_every_programme(demo_db):
    at = open_app("pages/overview.py")
    assert not at.exception
    titles = card_titles(at)
    assert len(titles) == 5
    assert any("East" in t and "West Sussex" in t for t in titles)
    assert "5 of 5 programmes" in texts(at)


def test_cards_carry_the_right_milestone_counts(demo_db):
    at = open_app("pages/overview.py")
    metrics = [m for m in at.metric if m.label == "Milestones complete"]
    titles = card_titles(at)
    programmes = fetch(demo_db, "SELECT programme_id, programme_name FROM programme")
    names = dict(zip(programmes["programme_name"], programmes["programme_id"]))
    checked = 0
    for title, metric in zip(titles, metrics):
        done, total = expected_counts(demo_db, names[title])
        assert metric.value == f"{done} of {total}"
        checked += 1
    assert checked == 5


def test_closed_programmes_read_closed_not_overdue(demo_db):
    at = open_app("pages/overview.py")
    text = texts(at)
    assert "Overall status Closed:** programme closed" in text
    assert "none — programme closed" in text


def test_kind_filter_changes_the_cards(demo_db):
    at = open_app("pages/overview.py")
    at.multiselect(key="url_kind").set_value(["DfE commission"]).run()
    assert not at.exception
    assert len(card_titles(at)) == 1
    assert "1 of 5 programmes" in texts(at)
    assert at.query_params["kind"] == "DfE commission"


def test_status_filter_from_the_url(demo_db):
    at = open_app("pages/overview.py", query={"status": "closed"})
    assert len(card_titles(at)) == 3


def test_about_page_lists_sources_and_accessibility(demo_db):
    at = open_app("pages/about.py")
    assert not at.exception
    text = texts(at)
    assert "Accessibility statement" in text and "WCAG" in text
    assert "illustrative" in text
    assert len(at.dataframe) >= 3
