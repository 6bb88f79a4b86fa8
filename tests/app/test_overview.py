"""Overview under AppTest: one card per programme with the right counts, filters that work."""
import shutil

import duckdb
import pytest

from monitor.national import generate
from queries import db as dbmod
from queries.build import insert_frame
from queries.national import ORDER
from tests.apptest import open_app, texts
from tests.dbutil import fetch

RAG_ORDER = ["Red", "Amber", "Green", "Closed"]


@pytest.fixture
def many_programmes_db(built_db, tmp_path, monkeypatch):
    """The demo plus 12 generated programmes (17 in all): more than one page of cards."""
    path = tmp_path / "many.duckdb"
    shutil.copy(built_db, path)
    con = duckdb.connect(str(path))
    frames = generate(con.execute("SELECT * FROM authority").df(), seed=11, programmes=12, milestones=240,
                      indicators=24, risks=40, key_dates=30, reports=24)
    for table in ORDER:
        insert_frame(con, table, frames[table])
    con.close()
    monkeypatch.setenv(dbmod.DB_ENV, str(path))
    yield path
    dbmod.close(path)


def card_titles(at):
    return [h.value for h in at.subheader]


def expected_counts(db, programme_id):
    """Complete, and in the plan not counting dropped milestones (the Action plan's "12 of 20 (1 dropped)")."""
    row = fetch(db, "SELECT count(*) FILTER (WHERE status = 'complete') AS done, "
                    "count(*) FILTER (WHERE status <> 'dropped') AS total "
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
    ews = metrics[titles.index("East Sussex – West Sussex corporate improvement partnership")]
    assert ews.help == "Not counting 1 dropped milestone, which will never complete."
    risks = [m for m in at.metric if m.label == "Open high risks"]
    assert risks and all("scoring 10 or more" in m.help for m in risks)  # the band, not only "16+"


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


def test_many_programmes_page_through_five_cards_worst_first(many_programmes_db):
    at = open_app("pages/overview.py")
    assert not at.exception
    assert "17 of 17 programmes" in texts(at)
    # The table at a glance lists every programme; the cards come five to a page.
    table = next(df.value for df in at.dataframe if "Overall status" in df.value.columns)
    assert len(table) == 17
    pager = at.selectbox(key="url_page")
    assert pager.options == [f"Page {i} of 4" for i in range(1, 5)]
    seen = []
    for page in ["1", "2", "3", "4"]:
        pager = at.selectbox(key="url_page").set_value(page)
        at.run()
        assert not at.exception
        titles = card_titles(at)
        assert len(titles) == (5 if page != "4" else 2)
        seen += titles
        assert at.query_params["page"] == page
    # Every programme once, in the table's order (worst first), across the four pages.
    assert seen == table["Programme"].tolist()
    ranks = [RAG_ORDER.index(r) for r in table["Overall status"]]
    assert ranks == sorted(ranks)


def test_a_link_to_a_later_page_opens_it(many_programmes_db):
    at = open_app("pages/overview.py", query={"page": "4"})
    assert len(card_titles(at)) == 2
    assert at.selectbox(key="url_page").value == "4"


def test_a_commissioner_with_one_programme_reads_one_programme(demo_db):
    at = open_app("pages/overview.py", email="commissioner@example.gov.uk")
    assert not at.exception, at.exception
    assert len(card_titles(at)) == 1
    assert "1 of 1 programme** shown" in "\n".join(m.value for m in at.markdown)
    assert "programme(s)" not in texts(at) and "1 of 1 programmes" not in texts(at)
