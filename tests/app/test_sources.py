"""Sources and About this data under AppTest: the reader opens a paper at the cited passage,
highlighted; every passage of every paper is there with its number; text is plain text; every
official file on About shows a publication date; the four provenance words are counted on About
as the pages' notices count them."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from monitor.formatting import is_illustrative
from monitor.sources.citation import ILLUSTRATIVE, PROVENANCES
from tests.apptest import open_app, shown, texts
from tests.dbutil import fetch

PAGE = "pages/sources.py"
SCRUTINY = "cllr.southholland@example.gov.uk"


def blocks(node):
    for child in getattr(node, "children", {}).values():
        yield child
        yield from blocks(child)


def cited_block(at):
    """The highlighted passage's container (key 'cited') and the markdown inside it."""
    found = [b for b in blocks(at.main) if getattr(b, "proto", None) is not None
             and str(getattr(b.proto, "id", "")).endswith("-cited")]
    if not found:
        return None
    return [str(e.value) for e in blocks(found[0]) if getattr(e, "type", "") == "markdown"]


def passage_markdown(at) -> list[str]:
    return [str(m.value) for m in at.markdown if str(m.value).startswith("[**")]


def unescape(markdown: str) -> str:
    return shown(markdown).replace("  \n", "\n")


def test_opens_at_the_cited_passage_highlighted(demo_db):
    at = open_app(PAGE, query={"paper": "003", "passage": "§15"})
    assert not at.exception
    assert "Cited passage: **003 §15**, highlighted below." in texts(at)
    inside = cited_block(at)
    assert inside and "Cited passage" in inside[0]  # marked in words, not by colour alone
    assert inside[1].startswith("[**§15**](sources?paper=003&passage=%C2%A715)")
    assert "savings of almost £0.75 million per year" in unescape(inside[1])
    assert at.query_params["paper"] == "003"


def test_every_passage_of_every_paper_is_there_with_its_number(demo_db):
    papers = fetch(demo_db, "SELECT paper, count(*) AS n FROM paper_passage GROUP BY ALL ORDER BY ALL")
    for paper, n in zip(papers["paper"], papers["n"]):
        at = open_app(PAGE, query={"paper": paper})
        assert not at.exception, paper
        shown = passage_markdown(at)
        assert len(shown) == n, paper
        assert cited_block(at) is None  # nothing highlighted without a passage asked for
    at = open_app(PAGE, query={"paper": "000"})
    labels = [re.match(r"\[\*\*(.*?)\*\*\]", m).group(1) for m in passage_markdown(at)]
    assert labels[:5] == ["§1", "§2", "rec 1", "rec 2", "rec 3"] and "para 2.3" in labels
    assert "2\\. Proposal" in [s.value for s in at.subheader]


def test_paragraph_numbers_and_short_addresses(demo_db):
    at = open_app(PAGE, query={"paper": "000", "passage": "2.3"})
    assert "due diligence period between January and March 2020" in unescape(cited_block(at)[1])
    at = open_app(PAGE, query={"paper": "003", "passage": "12"})  # a bare number: the 12th passage
    assert "political weighting" in unescape(cited_block(at)[1])
    at = open_app(PAGE, query={"paper": "004", "passage": "rec 3"})
    assert "sections 3.2 and 3.3" in unescape(cited_block(at)[1])


def test_a_passage_that_does_not_exist_says_so(demo_db):
    at = open_app(PAGE, query={"paper": "001", "passage": "99"})
    assert not at.exception
    assert "Paper 001 has no passage 99. The whole paper is shown below." in texts(at)
    assert cited_block(at) is None and len(passage_markdown(at)) == 21


def test_passage_text_is_shown_as_plain_text(fresh_db):
    nasty = "**bold** <b>html</b> [link](https://example.com) :red[alert] $x^2$ # heading\n- item"
    fetch(fresh_db, "UPDATE paper_passage SET passage_text = $t WHERE paper = '003' AND passage_id = '§2'", {"t": nasty})
    at = open_app(PAGE, query={"paper": "003", "passage": "§2"})
    body = cited_block(at)[1]
    text = body.split(") ", 1)[1]  # after the passage's own number link
    assert unescape(text) == nasty
    # Every character that would make markup is escaped (preceded by a backslash): emphasis, HTML,
    # links, formulae, directives, and a list item at the start of a line.
    assert not re.search(r"(?<!\\)[*<>\[\]$]", text), text
    assert "\\:red" in text and "\\- item" in text


def test_a_scrutiny_member_may_read_the_papers(demo_db):
    at = open_app(PAGE, email=SCRUTINY, query={"paper": "003", "passage": "§9"})
    assert not at.exception
    answer = unescape(cited_block(at)[1])
    assert "agreed political weighting and consensus then being arrived at during a joint meeting" in answer
    assert "how had the weightings been arrived at" not in answer  # that is §8, the question before it


# ------------------------------------------------------------------------------------------ About

def about_tables(at):
    frames = {tuple(d.value.columns): d.value for d in at.dataframe}
    official = next(f for c, f in frames.items() if "period covered" in c)
    documents = next(f for c, f in frames.items() if "note" in c)
    papers = next(f for c, f in frames.items() if "read it" in c)
    usage = next(f for c, f in frames.items() if "council paper" in c)
    rules = next(f for c, f in frames.items() if "cited as" in c)
    return official, documents, papers, usage, rules


def test_every_official_file_shows_its_publication_date_page_period_and_licence(demo_db):
    at = open_app("pages/about.py")
    assert not at.exception
    official, documents, papers, _, _ = about_tables(at)
    files = fetch(demo_db, "SELECT source_file FROM data_source WHERE licence <> 'Public council paper'")
    assert sorted(official["file"]) == sorted(files["source_file"])
    for column in ("published", "period covered", "licence", "publisher's page", "how the date is known"):
        assert (official[column].astype(str).str.len() > 0).all(), column
    assert all(re.fullmatch(r"(\d{1,2} [A-Z][a-z]{2} )?\d{4}|[A-Z][a-z]{2} \d{4}", p) for p in official["published"])
    assert official["publisher's page"].str.startswith("https://").all()
    assert documents["published"].tolist() == ["4 Jun 2019", "10 Dec 2020", "31 Mar 2022"]
    assert papers["read it"].tolist() == [f"sources?paper={p}" for p in ("000", "001", "002", "003", "004")]


def test_about_counts_the_four_words_as_the_notices_do(demo_db):
    at = open_app("pages/about.py")
    _, _, _, usage, rules = about_tables(at)
    assert list(usage.columns) == ["table", *PROVENANCES]  # no unrecognised source in the demo
    usage = usage.set_index("table")
    rows = fetch(demo_db, "SELECT table_name, source FROM all_sources() WHERE table_name <> 'dfe_statistic'")
    for table, part in rows.groupby("table_name"):
        assert usage.loc[table, ILLUSTRATIVE] == sum(map(is_illustrative, part["source"])), table
        assert usage.loc[table].sum() == len(part), table
    # The Savings page's notice, programme by programme, adds up to About's count for savings.
    noticed = total = 0
    for programme in fetch(demo_db, "SELECT programme_id FROM programme")["programme_id"]:
        text = texts(open_app("pages/savings.py", query={"programme": programme}))
        found = re.search(r"\*\*Illustrative data:\*\* ([\d,]+) of the ([\d,]+) savings rows", text)
        if found:
            noticed += int(found.group(1).replace(",", ""))
            total += int(found.group(2).replace(",", ""))
    assert noticed == usage.loc["saving", ILLUSTRATIVE] and total == usage.loc["saving"].sum()
    # Breckland's savings backed by the minutes are not announced as made up.
    assert usage.loc["saving", "derived from a paper"] == 6


def test_a_derived_figure_on_about_opens_its_passage(demo_db):
    at = open_app("pages/about.py")
    *_, rules = about_tables(at)
    href = rules.set_index("rule").loc["bsh-savings-per-year", "cited as"]
    assert href.endswith("#cite=003 §15 (derived: bsh-savings-per-year)")
    query = {k: v[0] for k, v in parse_qs(urlsplit(href.split("#")[0]).query).items()}
    assert query == {"paper": "003", "passage": "§15"}
    reader = open_app(PAGE, query=query)
    assert "savings of almost £0.75 million per year" in unescape(cited_block(reader)[1])
    assert "[003 §15 (derived: bsh-savings-per-year)](sources?paper=003&passage=%C2%A715)" in texts(at)


@pytest.mark.parametrize("page", ["pages/sources.py", "pages/about.py"])
def test_every_role_may_open_it(demo_db, page):
    for email in fetch(demo_db, "SELECT email FROM app_user WHERE is_active")["email"]:
        at = open_app(page, email=email)
        assert not at.exception, email
        assert "not available" not in texts(at), email
