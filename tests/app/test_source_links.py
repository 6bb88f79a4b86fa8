"""Every source is a link to the exact passage (or the publisher's page), under AppTest: from a figure
on Savings, Options appraisal, No-detriment and the Quarterly report, the source link's address
opens the Sources reader at the cited passage, highlighted; tables link their source cells and their
CSVs carry the address; the Word report's source notes carry a hyperlink and the citation in words;
and no page turns text from the data into a link any other way."""
import io
import re
import zipfile
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from monitor.tidy import read_tidy_csv
import pytest

from tests.app.test_sources import blocks, cited_block, unescape
from tests.apptest import address, cited, links, open_app, shown, texts
from tests.dbutil import fetch

READER = "pages/sources.py"
BSH = "breckland-south-holland"
BRECKLAND_SOURCE = "003 §15 (derived: bsh-savings-per-year)"
BRECKLAND_FIGURE = "savings of almost £0.75 million per year"
BASE = "http://localhost:8501"


def follow(url: str):
    """Open the reader at a relative app address, as a click on the link does."""
    parts = urlsplit(url)
    assert parts.path == "sources" and not parts.scheme and not parts.netloc, url
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    reader = open_app(READER, query=query)
    assert not reader.exception
    return reader, query


def highlighted(reader) -> str:
    inside = cited_block(reader)
    assert inside and "Cited passage" in inside[0], "no passage highlighted"
    return unescape(inside[1])


def link_to(at, text: str) -> str:
    found = [url for shown_text, url in links(at) if shown_text == text]
    assert found, f"no link reading {text!r}: {links(at)}"
    return found[0]


def csv_of(downloads, name_start: str) -> pd.DataFrame:
    for name, mime, data in downloads:
        if name and name.startswith(name_start) and mime == "text/csv":
            data = data() if callable(data) else data
            return read_tidy_csv(data).astype(str)
    raise AssertionError(f"no CSV {name_start}… among {[d[0] for d in downloads]}")


def test_a_breckland_savings_figure_opens_the_minutes_at_its_passage(demo_db, downloads, monkeypatch):
    monkeypatch.delenv("MONITOR_BASE_URL", raising=False)
    at = open_app("pages/savings.py", query={"programme": BSH, "year": "2020/21"})
    row = fetch(demo_db, "SELECT saving_id FROM saving WHERE programme_id = $p AND financial_year = '2020/21' "
                         "AND source = $s ORDER BY saving_id LIMIT 1", {"p": BSH, "s": BRECKLAND_SOURCE}).iloc[0]
    at.selectbox(key="trace").set_value(row["saving_id"]).run()
    url = link_to(at, BRECKLAND_SOURCE)
    assert url == "sources?paper=003&passage=%C2%A715"
    assert "opens the cited passage, highlighted" in texts(at)
    reader, query = follow(url)
    assert query == {"paper": "003", "passage": "§15"}
    assert BRECKLAND_FIGURE in highlighted(reader)
    assert "Cited passage: **003 §15**, highlighted below." in texts(reader)
    # The ledger's source cells are the same links, and its CSV gives the address in full.
    ledger = next(d.value for d in at.dataframe if "Saving" in d.value.columns)
    assert {address(c) for c in ledger["Source"]} == {url}
    assert {cited(c) for c in ledger["Source"]} == {BRECKLAND_SOURCE}
    csv = csv_of(downloads, f"savings_ledger_{BSH}")
    assert list(csv.columns)[list(csv.columns).index("Source") + 1] == "source link"
    assert set(csv["Source"]) == {BRECKLAND_SOURCE}
    assert set(csv["source link"]) == {f"{BASE}/sources?paper=003&passage=%C2%A715"}


def test_an_options_appraisal_figure_opens_the_minutes_at_its_passage(demo_db):
    at = open_app("pages/options_appraisal.py", query={"programme": BSH})
    assert not at.exception
    # The ratings' source, under the ratings table.
    url = link_to(at, "003 §9, 13 (values illustrative)")
    reader, query = follow(url)
    assert query == {"paper": "003", "passage": "§9"}
    assert "agreed political weighting and consensus" in highlighted(reader)
    # An option's source cell: the passages that describe it.
    options = next(d.value for d in at.dataframe if "Option" in d.value.columns and "Description" in d.value.columns)
    cell = next(c for c in options["Source"] if cited(c) == "003 §14–15")
    reader, query = follow(address(cell))
    assert query == {"paper": "003", "passage": "§14"}
    assert highlighted(reader)


def test_a_no_detriment_figure_opens_its_passage_or_publisher(demo_db, downloads):
    at = open_app("pages/no_detriment.py", query={"programme": "hampshire-west-sussex"})
    assert not at.exception
    found = links(at)
    in_app = [(t, u) for t, u in found if u.startswith("sources?")]
    assert in_app, found
    text, url = in_app[0]
    reader, query = follow(url)
    assert highlighted(reader)
    assert text.startswith(query["paper"] + " ")
    # The indicators' official files lead to their publisher's page.
    publishers = {u for t, u in found if t.startswith("dfe_")}
    assert publishers and all(u.startswith("https://explore-education-statistics.service.gov.uk/") for u in publishers)
    # … and say when they were published, what period they cover and their licence.
    line = next(shown_line for shown_line in texts(at).split("\n") if "dfe_csww_indicators_2017_to_2025.csv" in shown_line)
    assert "(published 2026; covers Years ending 30 September 2017 to 2025; Open Government Licence v3.0)" in line


def test_a_quarterly_report_figure_opens_its_passage(demo_db):
    at = open_app("pages/quarterly_report.py", email="commissioner@example.gov.uk",
                  query={"programme": "hampshire-west-sussex", "quarter": "2023-Q3"})
    assert not at.exception
    cited_lines = [str(m.value) for m in at.markdown if str(m.value).startswith("**Sources cited:**")]
    assert cited_lines
    in_app = [(t, u) for t, u in links(at) if u.startswith("sources?")]
    assert in_app
    text, url = next((t, u) for t, u in in_app if t.startswith("001 para 3"))
    reader, query = follow(url)
    assert query == {"paper": "001", "passage": "3"}
    assert "Cited passage: **001 para 3**, highlighted below." in texts(reader)
    assert highlighted(reader)


def test_the_word_report_links_each_cited_source_and_says_it_in_words(demo_db, monkeypatch):
    from monitor.report.docx import build_docx
    from queries.report import assemble, programme_meta

    monkeypatch.setenv("MONITOR_BASE_URL", "https://monitor.example.gov.uk")
    programme = fetch(demo_db, "SELECT * FROM programme WHERE programme_id = 'breckland-south-holland'").iloc[0]
    figures = assemble(programme_meta(programme), "2020-Q2", db=demo_db)
    savings = next(s for s in figures["sections"] if s["key"] == "savings")
    assert BRECKLAND_SOURCE in savings["cited"]
    data = build_docx(figures, {"status": None})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        document = z.read("word/document.xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
    target = "https://monitor.example.gov.uk/sources?paper=003&amp;passage=%C2%A715"
    rel = re.search(rf'Id="(rId\d+)"[^>]*Target="{re.escape(target)}"|Target="{re.escape(target)}"[^>]*Id="(rId\d+)"',
                    rels)
    assert rel and 'TargetMode="External"' in rels
    r_id = rel.group(1) or rel.group(2)
    link = re.search(rf'<w:hyperlink r:id="{r_id}"[^>]*>(.*?)</w:hyperlink>(.*?)</w:p>', document)
    assert link, "the source is not a hyperlink"
    assert BRECKLAND_SOURCE in re.sub(r"<[^>]+>", "", link.group(1))
    words = re.sub(r"<[^>]+>", "", link.group(2))
    assert "council paper 003" in words and "§15" in words and "derived by the rule bsh-savings-per-year" in words


EVIL = "https://evil.example/steal"
POISON = f"[Sign in]({EVIL}) {EVIL} www.evil.example"


@pytest.mark.parametrize("page,query", [
    ("pages/savings.py", {"programme": BSH}), ("pages/options_appraisal.py", {"programme": BSH}),
    ("pages/risks.py", {"programme": BSH}), ("pages/action_plan.py", {"programme": BSH}),
    ("pages/calendar.py", {"programme": BSH}), ("pages/no_detriment.py", {"programme": "hampshire-west-sussex"}),
    ("pages/ofsted.py", {"programme": "hampshire-west-sussex"}), ("pages/about.py", {}),
    ("pages/overview.py", {}), ("pages/quarterly_report.py", {"programme": BSH}),
])
def test_no_page_makes_a_link_of_text_from_the_data(fresh_db, page, query):
    for table, column, where in (("saving", "source", "programme_id = $p"), ("risk", "source", "programme_id = $p"),
                                 ("risk", "description", "programme_id = $p"), ("milestone", "source", "programme_id = $p"),
                                 ("milestone", "milestone_title", "programme_id = $p"), ("key_date", "title", "programme_id = $p"),
                                 ("key_date", "source", "programme_id = $p"),
                                 ("appraisal_option", "source", "true"), ("appraisal_option", "description", "true"),
                                 ("option_rating", "source", "true"), ("indicator_value", "source", "true")):
        fetch(fresh_db, f"UPDATE {table} SET {column} = $t WHERE {where}", {"t": POISON, "p": query.get("programme", BSH)}
              if "$p" in where else {"t": POISON})
    at = open_app(page, query=query)
    assert not at.exception, at.exception
    for text, url in links(at):
        assert "evil" not in url, (text, url)
    for frame in (d.value for d in at.dataframe):
        for column in frame.columns:
            for cell in frame[column]:
                if isinstance(cell, str) and "evil" in cell:
                    # As text (a text column, or the words a source cell shows), never where a cell leads.
                    assert not cell.startswith(("https://evil", "http://evil", "www.evil")), (column, cell)
                    assert "evil" not in address(cell) or "#cite=" not in cell, (column, cell)
    assert "evil" not in "".join(u for _, u in links(at))
    raw = "\n".join(str(m.value) for m in at.markdown)
    assert f"]({EVIL})" not in raw and "](https://evil" not in raw


def test_a_cell_naming_several_sources_opens_the_reader_at_every_one(fresh_db, downloads, monkeypatch):
    """A year of Breckland's savings cites the minutes, the South Somerset paper's recommendation and
    an official file: one click on the chart table's Sources cell opens the reader listing all three
    in order — each passage highlighted with its text, the file linked to its publisher — and the CSV
    gives each source's own address."""
    monkeypatch.delenv("MONITOR_BASE_URL", raising=False)
    csww = "dfe_csww_indicators_2017_to_2025.csv"
    for saving, source in (("bsh-s001", "004 rec 3"), ("bsh-s002", csww)):
        fetch(fresh_db, "UPDATE saving SET source = $s WHERE saving_id = $id", {"s": source, "id": saving})
    fetch(fresh_db, "UPDATE saving SET source = $s WHERE saving_id = 'bsh-s003'", {"s": BRECKLAND_SOURCE})
    at = open_app("pages/savings.py", query={"programme": BSH})
    assert not at.exception
    by_year = next(d.value for d in at.dataframe if "Financial year" in d.value.columns and "Sources" in d.value.columns
                   and "Work stream" not in d.value.columns)
    cell = next(c for c in by_year["Sources"] if "004 rec 3" in cited(c))
    assert cited(cell) == f"{BRECKLAND_SOURCE}; 004 rec 3; {csww}; illustrative"
    parts = urlsplit(address(cell))
    assert parts.path == "sources" and not parts.netloc
    asked = parse_qs(parts.query)
    assert asked == {"paper": ["003"], "cite": ["003 §15", "004 rec 3", csww]}
    reader = open_app(READER, query=asked)
    assert not reader.exception
    # Listed in the cell's order: each passage in a highlighted block with its badge and its text …
    listed = [b for b in blocks(reader.main) if str(getattr(getattr(b, "proto", None), "id", "")).rsplit("-", 1)[0]
              .endswith("-cited-list")]
    inside = [[unescape(str(e.value)) for e in blocks(b) if type(e).__name__ == "Markdown"] for b in listed]
    assert len(inside) == 2 and all("Cited passage" in badge for badge, _ in inside)
    assert inside[0][1].startswith("**1.** [**003 §15**](sources?paper=003&") and BRECKLAND_FIGURE in inside[0][1]
    assert inside[1][1].startswith("**2.** [**004 rec 3**](sources?paper=004&")
    assert "Approve the work streams" in inside[1][1]
    assert texts(reader).count("Cited passage") >= 3  # two in the list, one in the paper shown below
    # … and the official file linked to its publisher's page.
    third = next(shown(str(m.value)) for m in reader.markdown if str(m.value).startswith("**3.**"))
    assert link_to(reader, csww).startswith("https://explore-education-statistics.service.gov.uk/") and csww in third
    # The paper below is the first one cited, its passage highlighted there too.
    assert reader.query_params["paper"] == "003"
    # The CSV gives every source's own address, in the order the cell names them.
    csv = csv_of(downloads, f"savings_by_year_{BSH}")
    row = csv.loc[csv["Sources"] == cited(cell)].iloc[0]
    addresses = row["source link"].split("; ")
    assert addresses[:2] == [f"{BASE}/sources?paper=003&passage=%C2%A715", f"{BASE}/sources?paper=004&passage=rec+3"]
    assert len(addresses) == 3 and addresses[2].startswith("https://explore-education-statistics.service.gov.uk/")


# A chart's hover naming a source: 'Source: …' or a citation of a paper ('003 §15', 'para 3', 'rec 1').
_HOVER_SOURCE = re.compile(r"Source:|\b\d{3} (?:§|para |rec )")


def charts_and_tables(at):
    """Each chart drawn by blocks.chart with the table under its 'View as table'."""
    charts = list(at.get("plotly_chart"))
    tables = [e.dataframe[0].value for e in at.expander if e.label == "View as table"]
    assert len(charts) == len(tables), (len(charts), len(tables))
    return [(c.proto.spec, t) for c, t in zip(charts, tables)]


@pytest.mark.parametrize("page,query,email", [
    ("pages/savings.py", {"programme": BSH}, None),
    ("pages/savings.py", {"programme": "east-west-sussex"}, None),
    ("pages/action_plan.py", {"programme": BSH}, None),
    ("pages/action_plan.py", {"programme": "east-west-sussex"}, None),
])
def test_a_chart_whose_hover_names_a_source_lists_it_as_a_link(demo_db, page, query, email):
    """Plotly's hover cannot hold a link: every chart whose hover names a source has, under 'View as
    table', a source column whose cells open the cited passage (or the publisher's page)."""
    at = open_app(page, query=query, email=email)
    assert not at.exception
    naming = 0
    for spec, table in charts_and_tables(at):
        if not _HOVER_SOURCE.search(spec):  # in a hover, its template or its data
            continue
        naming += 1
        columns = [c for c in table.columns if c in ("Source", "Sources")]
        assert columns, f"a chart naming sources has no source column: {list(table.columns)}"
        cells = [c for c in table[columns[0]] if isinstance(c, str) and c]
        assert cells and all("#cite=" in c for c in cells), cells[:3]
        leading = [address(c) for c in cells if not address(c).startswith("about")]
        assert leading, cells[:3]
        for url in leading[:3]:
            if url.startswith("sources?"):
                reader = open_app(READER, query=parse_qs(urlsplit(url).query))
                assert not reader.exception
                assert "Cited passage" in texts(reader)
            else:
                assert url.startswith("https://")
    assert naming, "no chart on the page names a source in its hover"
