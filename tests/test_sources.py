"""Sources in the built database: the SQL twin of the provenance rule agrees with Python on every
source, every paper citation resolves to passages that exist, and the cited passages say what the
rows say (a sample of rows: at least one per table and per paper)."""
from pathlib import Path

import pytest

from monitor.sources.citation import DERIVED, expand, parse, provenance
from queries import catalog
from queries.db import connect
from monitor.permissions import SYSTEM
from queries.write import Change, RuleBroken, write
from tests.dbutil import fetch, scalar

CHECKS = Path(__file__).resolve().parent.parent / "queries" / "checks"


def sources(db):
    return fetch(db, "SELECT DISTINCT source FROM all_sources()")["source"].tolist()


def passage_texts(db) -> dict[str, dict[str, tuple[int, str]]]:
    rows = fetch(db, "SELECT paper, passage_id, passage_order, passage_text FROM paper_passage")
    out: dict = {}
    for r in rows.itertuples():
        out.setdefault(r.paper, {})[r.passage_id] = (r.passage_order, r.passage_text)
    return out


def cited_text(db, source, papers=None) -> str:
    """Everything the passages a source cites say, ranges opened."""
    papers = papers or passage_texts(db)
    citation = parse(source)
    assert citation is not None and citation.kind == "paper", source
    paper = papers[citation.paper]
    ids = expand(citation.passages, {pid: order for pid, (order, _) in paper.items()})
    assert ids, f"{source}: cites passages that do not exist or a range that runs backwards"
    return "\n".join(paper[i][1] for i in ids)


@pytest.mark.both_backends
def test_sql_and_python_agree_on_every_source(demo_db):
    """The provenance rule in Python, as DuckDB's macros and as PostgreSQL's functions."""
    with connect(demo_db).cursor() as cur:
        got = cur.execute("SELECT DISTINCT source, provenance(source), cited_paper(source), cited_passages(source) "
                          "FROM all_sources()").fetchall()
    assert len(got) > 100
    for source, word, paper, passages in got:
        citation = parse(source)
        assert word == provenance(source), source
        assert paper == (citation.paper if citation else None), source
        ends = [pid for pair in citation.passages for pid in dict.fromkeys(pair)] if citation and citation.paper else None
        assert passages == ends, source


@pytest.mark.both_backends
def test_source_counts_count_what_all_sources_holds(demo_db):
    """About's counts per table and source (source_counts(), each table grouped on its own) are
    all_sources()' rows counted: the same tables (every one has rows in the demo), the same counts."""
    with connect(demo_db).cursor() as cur:
        with_source = {t for t in catalog.tables(cur) if "source" in catalog.columns(cur, t)}
        counted = cur.execute("SELECT table_name, source, row_count FROM source_counts() "
                              "ORDER BY table_name, source").fetchall()
        rows = cur.execute("SELECT table_name, source, count(*) FROM all_sources() GROUP BY table_name, source "
                           "ORDER BY table_name, source").fetchall()
        listed = {t for (t,) in cur.execute("SELECT DISTINCT table_name FROM all_sources()").fetchall()}
    assert [(t, s, int(n)) for t, s, n in counted] == [(t, s, int(n)) for t, s, n in rows]
    assert {t for t, _, _ in counted} == listed <= with_source
    assert len(listed) > 20


def test_every_source_has_one_of_the_four_words(built_db):
    words = {provenance(s) for s in sources(built_db)}
    assert words == {"published", "council paper", "derived from a paper", "illustrative"}


def test_every_paper_citation_resolves_in_reading_order(built_db):
    papers = passage_texts(built_db)
    cited = [s for s in sources(built_db) if (c := parse(s)) is not None and c.kind == "paper"]
    assert len(cited) > 50
    for source in cited:
        assert cited_text(built_db, source, papers)


def test_the_build_loads_every_passage_of_every_paper(built_db):
    counts = fetch(built_db, "SELECT paper, count(*) AS n FROM paper_passage GROUP BY ALL ORDER BY ALL")
    assert counts["paper"].tolist() == ["000", "001", "002", "003", "004"]
    assert counts.set_index("paper").loc["003", "n"] == 38


# (table, key, words the row relies on): the cited passage must contain each of them.
SAMPLE = [
    ("programme", "east-west-sussex", ["18 December 2019", "January and March 2020", "50/50", "no detriment"]),
    ("programme", "essex-braintree-brentwood", ["since 2007", "Joint Leader's Board", "Regulatory services"]),
    ("programme", "breckland-south-holland", ["47", "£0.75 million per year", "six months from the date of decision"]),
    ("programme", "south-somerset-sedgemoor", ["May 2016", "meet quarterly", "Joint Income Generation Board"]),
    ("programme", "hampshire-west-sussex", ["May 2019", "September 2019", "quarterly basis", "no detriment"]),
    ("programme_party", "east-west-sussex/E10000011/improvement partner", ["corporate improvement partner"]),
    ("programme_party", "hampshire-west-sussex/E10000014/commissioner", ["DfE Commissioner"]),
    ("programme_party", "essex-braintree-brentwood/E07000067/partner", ["Braintree District Council"]),
    ("programme_party", "breckland-south-holland/E07000143/partner", ["Breckland and South Holland"]),
    ("programme_party", "south-somerset-sedgemoor/E07000188/partner", ["Sedgemoor District Council"]),
    ("programme_comparator", "hampshire-west-sussex/E06000046", ["Isle of Wight Council in 2013", "poor Ofsted",
                                                                  "permanent partnership", "formally rated as Good"]),
    ("workstream", "ebb-regulatory", ["Regulatory services", "Joint Leader's Board"]),
    ("workstream", "sss-plant", ["Sharing specialist plant and vehicles", "Joint Leaders Advisory Group"]),
    ("workstream", "ews-finance", ["50/50"]),
    ("workstream", "hws-reporting", ["quarterly basis", "annual report"]),
    ("workstream", "bsh-separation", ["clause 8", "six months"]),
    ("milestone", "hws-m06", ["3 February 2020", "confirms its support for the Commission"]),
    ("milestone", "bsh-m03", ["47"]),
    ("milestone", "sss-m01", ["Housing development and lettings"]),
    ("milestone", "ebb-m03", ["Regulatory services", "Business cases"]),
    ("key_date", "ews-k02", ["January and March 2020"]),
    ("key_date", "ews-k04", ["April 2020"]),
    ("key_date", "hws-k01", ["May 2019"]),
    ("key_date", "hws-k03", ["September 2019"]),
    ("key_date", "ebb-k01", ["8th February 2011", "sign the Memorandum of Understanding"]),
    ("key_date", "sss-k01", ["25th February 2016", "retain the Joint Leaders Advisory Group"]),
    ("key_date", "bsh-k05", ["six months from the date of decision"]),
    ("cost_share", "ews-c018", ["bear the cost of any additional support"]),
    ("saving", "hws-s001", ["at a minimum covers HCC costs"]),
    ("risk", "bsh-r04", ["£0.75 million per year", "base budget"]),
    ("risk", "hws-r06", ["at a minimum covers HCC costs"]),
    ("appraisal", "bsh-2020", ["high, medium or low", "3, 2 ,1", "joint meeting"]),
    ("appraisal_option", "bsh-2020-o1", ["as is"]),
    ("appraisal_option", "bsh-2020-o2", ["stand-alone"]),
    ("appraisal_criterion", "bsh-2020-c3", ["partnership and place"]),
    ("criterion_weight", "bsh-2020-c1/E07000143", ["table 6", "informal Cabinet meetings"]),
    ("option_rating", "bsh-2020-o1/bsh-2020-c1", ["tables 7 and 8"]),
    ("commissioner_report", "hws-2019-Q3-v1", ["quarterly basis"]),
    ("report_audience", "hampshire-west-sussex", ["Decision Maker: Cabinet", "quarterly basis", "annual report"]),
    ("report_audience", "essex-braintree-brentwood", ["Joint Leader's Board"]),
    ("report_audience", "south-somerset-sedgemoor", ["Joint Leaders Advisory Group", "JLAG"]),
    ("report_audience", "breckland-south-holland", ["joint meeting of both"]),
    ("intervention_event", "wsx-ie-2019-05-01", ["Commissioner for children's services", "May 2019"]),
    ("intervention_event", "wsx-ie-2020-02-03", ["invited Hampshire County Council", "Statutory Direction"]),
]


@pytest.mark.parametrize("table,key,words", SAMPLE, ids=[f"{t}:{k}" for t, k, _ in SAMPLE])
def test_the_cited_passage_says_it(built_db, table, key, words):
    (source,) = fetch(built_db, "SELECT source FROM all_sources() WHERE table_name = $t AND row_key = $k",
                      {"t": table, "k": key})["source"]
    text = cited_text(built_db, source)
    for word in words:
        assert word in text, f"{table} {key} cites {source!r}, which does not say {word!r}"


def test_the_sample_covers_every_table_and_paper_that_cites_papers(built_db):
    cited = fetch(built_db, "SELECT DISTINCT table_name, cited_paper(source) AS paper FROM all_sources() "
                            "WHERE cited_paper(source) IS NOT NULL")
    sample = fetch(built_db, "SELECT table_name, row_key, cited_paper(source) AS paper FROM all_sources()")
    sample = sample[[(t, k) in {(t, k) for t, k, _ in SAMPLE} for t, k in zip(sample["table_name"], sample["row_key"])]]
    assert set(cited["table_name"]) <= set(sample["table_name"])
    assert set(cited["paper"]) == set(sample["paper"]) == {"000", "001", "002", "003", "004"}


def test_every_derived_figure_is_in_its_passage_and_its_rule_is_written(built_db):
    rules = fetch(built_db, "SELECT derivation_id, figure, rule FROM derivation").set_index("derivation_id")
    derived = [s for s in sources(built_db) if provenance(s) == DERIVED]
    assert derived
    for source in derived:
        rule = rules.loc[parse(source).derivation]
        assert rule["figure"] in cited_text(built_db, source) and rule["rule"]


def test_breckland_savings_rest_on_the_minutes(built_db):
    rows = fetch(built_db, "SELECT financial_year, sum(planned_gbp)::DOUBLE AS gbp, any_value(source) AS source "
                           "FROM saving WHERE source LIKE '%bsh-savings-per-year%' GROUP BY ALL ORDER BY 1")
    assert rows["financial_year"].tolist() == ["2018/19", "2019/20", "2020/21"]
    assert set(rows["gbp"]) == {750_000.0}
    assert {provenance(s) for s in rows["source"]} == {DERIVED}


def test_official_files_have_release_facts(built_db):
    files = fetch(built_db, "SELECT d.source_file, d.source_url, r.published_date, r.date_precision, r.period_covered "
                            "FROM data_source AS d LEFT JOIN source_release AS r USING (source_file) "
                            "WHERE d.licence <> 'Public council paper'")
    assert len(files) >= 9
    assert files["published_date"].notna().all() and files["source_url"].notna().all(), files
    assert (files["period_covered"].str.len() > 0).all()


@pytest.mark.parametrize("source,check", [("003 §99", "paper_citations_resolve"),
                                          ("001 para 11", "paper_citations_resolve"),
                                          ("003 minutes", "sources_follow_the_citation_grammar"),
                                          ("003 §15 (derived: no-such-rule)", "derived_figures_name_a_rule"),
                                          ("https://www.gov.uk/not-listed", "published_sources_are_listed"),
                                          ("not_loaded.csv", "published_sources_are_listed")])
@pytest.mark.both_backends
def test_the_data_checks_catch_a_bad_citation(fresh_db, source, check):
    # Every write runs the rules: the bad citation is refused, naming its rule, and nothing is written.
    with pytest.raises(RuleBroken, match=check):
        write([Change("key_date", "update", {"key_date_id": "ews-k02"}, {"source": source})], actor=SYSTEM)
    assert scalar(fresh_db, "SELECT source FROM key_date WHERE key_date_id = 'ews-k02'") != source
    # And the rule itself selects the row, however it got there.
    fetch(fresh_db, "UPDATE key_date SET source = $s WHERE key_date_id = 'ews-k02'", {"s": source})
    violations = fetch(fresh_db, (CHECKS / f"{check}.sql").read_text())
    assert violations["row_key"].tolist() == ["ews-k02"]
