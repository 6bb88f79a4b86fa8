"""Where a source leads (monitor.sources.links.source_target): for each provenance, the address —
the Sources reader at the cited passage, or the publisher's page — and the citation in words; no
text from the data can make the address lead anywhere else."""
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from monitor.sources.citation import COUNCIL_PAPER, DERIVED, ILLUSTRATIVE, PUBLISHED
from monitor.sources.links import (
    absolute_url,
    cell_links,
    cell_url,
    cited_sources,
    read_cite,
    reader_url,
    reference_maps,
    references,
    safe_page,
    source_target,
)

PAGES = {"dfe_x.csv": "https://explore-education-statistics.service.gov.uk/find-statistics/x"}
NAMES = {"003": "Joint Cabinet minutes", "dfe_x.csv": "Children's social work workforce"}
GOV = "https://www.gov.uk/government/publications/direction-issued-to-west-sussex-county-council"


def opened(url: str) -> dict:
    """The page and query parameters a relative app address opens."""
    parts = urlsplit(url)
    return {"page": parts.path, **{k: v[0] for k, v in parse_qs(parts.query).items()}}


def test_a_council_paper_leads_to_its_passage_in_the_reader():
    found = source_target("000 para 2.3", PAGES, NAMES)
    assert found.provenance == COUNCIL_PAPER
    assert found.url == "sources?paper=000&passage=2.3" and found.in_app
    assert opened(found.url) == {"page": "sources", "paper": "000", "passage": "2.3"}
    assert found.words == "council paper 000, para 2.3"
    # Several passages: the first opens; the words name them all.
    found = source_target("000 §1, rec 1–2, para 1.1–4.1", PAGES, NAMES)
    assert opened(found.url)["passage"] == "§1"
    assert found.words == "council paper 000, §1, rec 1 to rec 2 and para 1.1 to para 4.1"
    assert opened(source_target("004 rec 3").url)["passage"] == "rec 3"


def test_a_derived_figure_leads_to_the_passage_it_is_derived_from():
    found = source_target("003 §15 (derived: bsh-savings-per-year)", PAGES, NAMES)
    assert found.provenance == DERIVED
    assert found.url == "sources?paper=003&passage=%C2%A715"
    assert opened(found.url) == {"page": "sources", "paper": "003", "passage": "§15"}
    assert found.words == "council paper 003, “Joint Cabinet minutes”, §15 (derived by the rule bsh-savings-per-year)"


def test_a_published_file_or_document_leads_to_its_publisher():
    release = "published 2026; covers Years ending 30 September 2017 to 2025; Open Government Licence v3.0"
    found = source_target("dfe_x.csv", PAGES, NAMES, {"dfe_x.csv": release})
    assert found.provenance == PUBLISHED and not found.in_app
    assert found.url == PAGES["dfe_x.csv"] and found.release == release
    assert found.words == (f"official file dfe_x.csv (Children's social work workforce): {release}; "
                           f"publisher's page {PAGES['dfe_x.csv']}")
    unknown = source_target("dfe_y.csv", PAGES, NAMES)
    assert unknown.url is None and unknown.words == "official file dfe_y.csv; publisher's page not recorded"
    document = source_target(GOV, PAGES, {GOV: "Direction issued to West Sussex county council"})
    assert document.provenance == PUBLISHED and document.url == GOV
    assert document.words == f"“Direction issued to West Sussex county council”, published at {GOV}"


def test_illustrative_sources_lead_to_the_passage_naming_the_subject_or_nowhere():
    found = source_target("000 para 3.2 (amounts illustrative)", PAGES, NAMES)
    assert found.provenance == ILLUSTRATIVE
    assert opened(found.url) == {"page": "sources", "paper": "000", "passage": "3.2"}
    assert found.words == "council paper 000, para 3.2 (amounts illustrative)"
    assert source_target(GOV + " (day illustrative)").url == GOV
    bare = source_target("illustrative", PAGES, NAMES)
    assert bare.provenance == ILLUSTRATIVE and bare.url is None
    assert bare.words.startswith("illustrative: made up")


@pytest.mark.parametrize("source", [
    "[Sign in](https://evil.example/x)", "javascript:alert(1)", "003 minutes", "003 §15) [x](https://evil.example",
    "https://evil.example/x.csv", "https://www.gov.uk/x (derived: r)", "", None,
])
def test_text_the_grammar_does_not_read_leads_nowhere(source):
    found = source_target(source, PAGES, NAMES)
    assert found.url is None and found.provenance is None


def test_only_a_plain_https_page_is_a_publisher_link():
    assert safe_page("javascript:alert(1)") is None
    assert safe_page("http://example.com/") is None
    assert safe_page("https://example.com/a b") is None
    assert safe_page("https://example.com/a(b)\"<c>") == "https://example.com/a%28b%29%22%3Cc%3E"
    page = "https://www.gov.uk/government/statistics/x?y=1&z=2"
    assert safe_page(page) == page
    bad = {"dfe_x.csv": "javascript:alert(document.cookie)"}
    assert source_target("dfe_x.csv", bad).url is None


def test_addresses_outside_the_app(monkeypatch):
    monkeypatch.delenv("MONITOR_BASE_URL", raising=False)
    assert absolute_url(reader_url("003", "§15")) == "http://localhost:8501/sources?paper=003&passage=%C2%A715"
    monkeypatch.setenv("MONITOR_BASE_URL", "https://monitor.example.gov.uk/")
    assert absolute_url("sources?paper=000") == "https://monitor.example.gov.uk/sources?paper=000"
    assert absolute_url(PAGES["dfe_x.csv"]) == PAGES["dfe_x.csv"]
    assert absolute_url(None) is None


def test_a_reports_cited_sources_and_their_references():
    sources = ["illustrative", "003 §15 (derived: r)", "003 §15 (derived: r)", "dfe_x.csv", "nonsense", None]
    assert cited_sources(sources) == ["003 §15 (derived: r)", "dfe_x.csv"]
    refs = references(cited_sources(sources), PAGES, NAMES)
    assert refs["003 §15 (derived: r)"]["url"] == "sources?paper=003&passage=%C2%A715"
    assert refs["dfe_x.csv"] == {"url": PAGES["dfe_x.csv"], "words": source_target("dfe_x.csv", PAGES, NAMES).words}


def test_reference_maps_from_the_queries():
    import pandas as pd

    data_sources = pd.DataFrame({"source_file": ["dfe_x.csv", "003_a.txt"], "title": ["X", "Minutes"],
                                 "source_url": [PAGES["dfe_x.csv"], None]})
    papers = pd.DataFrame({"paper": ["003"], "title": ["Minutes"]})
    documents = pd.DataFrame({"url": [GOV], "title": ["Direction"]})
    pages, names, releases = reference_maps(data_sources, papers, documents)
    assert pages == PAGES
    assert names == {"dfe_x.csv": "X", "003_a.txt": "Minutes", "003": "Minutes", GOV: "Direction"}
    assert releases == {}  # no release facts in these frames
    data_sources = data_sources.assign(licence=["Open Government Licence v3.0", "Public council paper"],
                                       release_date=["2026-01-01", None], date_precision=["year", None],
                                       period_covered=["Years ending 30 September 2017 to 2025", None])
    releases = reference_maps(data_sources).releases
    assert releases == {"dfe_x.csv": "published 2026; covers Years ending 30 September 2017 to 2025; "
                                     "Open Government Licence v3.0"}


def test_a_cell_naming_several_sources_opens_them_all():
    """One click on a cell naming several sources opens the reader listing every one, in order; its
    link column outside the app gives each source's own address."""
    cell = "003 §15 (derived: r); illustrative; 004 rec 3; dfe_x.csv; 003 §15 (derived: r); nonsense"
    url = cell_url(cell, PAGES, NAMES)
    parts = urlsplit(url)
    assert parts.path == "sources"
    assert parse_qs(parts.query) == {"paper": ["003"], "cite": ["003 §15", "004 rec 3", "dfe_x.csv"]}
    assert [read_cite(c) for c in parse_qs(parts.query)["cite"]] == [("003", "§15"), ("004", "rec 3"), None]
    assert cell_links(cell, PAGES, NAMES, base="https://m.example") == (
        "https://m.example/sources?paper=003&passage=%C2%A715; https://m.example/sources?paper=004&passage=rec+3; "
        + PAGES["dfe_x.csv"])
    # One source that leads somewhere: its own address, as before.
    assert cell_url("003 §15 (derived: r); illustrative", PAGES) == "sources?paper=003&passage=%C2%A715"
    assert cell_url("003 §9, 13", PAGES) == source_target("003 §9, 13").url
    # Only files: the reader lists them (no paper to show below).
    assert cell_url("dfe_x.csv; " + GOV, PAGES) == "sources?" + urlencode([("cite", "dfe_x.csv"), ("cite", GOV)])
    for nowhere in ("illustrative", "illustrative; nonsense", "", None):
        assert cell_url(nowhere, PAGES) is None and cell_links(nowhere, PAGES) is None


@pytest.mark.parametrize("cell", [
    "[Sign in](https://evil.example/x); 003 §15", "003 §15; javascript:alert(1)", "003 §15; https://evil.example/x.csv",
    "003 §15) [x](https://evil.example; 004 rec 3",
])
def test_a_cells_address_holds_nothing_but_what_the_grammar_reads(cell):
    for url in (cell_url(cell, PAGES), cell_links(cell, PAGES)):
        assert "evil" not in url and "javascript" not in url and "(" not in url and " " not in url.replace("; ", "")


def test_the_links_one_read_gives_what_the_listed_sources_give(demo_db):
    """Every page resolves links against one query (sources/references); About lists the three source
    tables and resolves its own links against them: both give the same publisher pages, titles and releases."""
    import queries
    from queries.loader import run_many

    listed = run_many({"data_sources": ("about/data_sources", {}), "papers": ("sources/papers", {}),
                       "documents": ("sources/published_documents", {})})
    one_read = reference_maps(queries.run("sources/references"))
    assert one_read == reference_maps(**listed)
    assert one_read.pages and one_read.releases and "003" in one_read.names
