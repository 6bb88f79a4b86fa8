"""About this data: every source the database holds, what "illustrative" means, the methods, and
the accessibility statement."""
import streamlit as st

from monitor.formatting import format_date
from ui import blocks
from ui.data import query, shared
from ui.setup import page_setup


def source_tables():
    """The official files and council papers as the page lists them, and rows by kind of source
    (kept per data version, shared read-only)."""
    sources = query("about/data_sources")
    official = sources[sources["licence"] != "Public council paper"].copy()
    papers = sources[sources["licence"] == "Public council paper"].copy()
    for frame in (official, papers):
        frame["published_date"] = frame["published_date"].map(format_date)
    official["loaded_at"] = official["loaded_at"].map(lambda t: f"{format_date(t)} {t:%H:%M}")
    official = official[["publisher", "title", "published_date", "licence", "source_file", "loaded_into", "row_count",
                         "loaded_at"]].rename(columns={"published_date": "published", "source_file": "file",
                                                       "loaded_into": "loaded into", "row_count": "rows",
                                                       "loaded_at": "loaded"})
    papers = papers[["source_file", "publisher", "title", "published_date", "loaded_into"]].rename(
        columns={"source_file": "paper", "published_date": "date", "loaded_into": "used for"})
    usage = query("about/source_usage").pivot_table(index="table_name", columns="source_kind", values="row_count",
                                              fill_value=0).reset_index()
    return official, papers, usage


ctx = page_setup(__file__)
official, papers, usage = shared(source_tables)

st.header("Sources")
st.markdown("**Official statistics**, loaded exactly as published (byte-order marks, CRLF line endings, "
            "DfE suppression markers and all), joined on ONS and DfE codes, never on names.")
blocks.table(official, key="official", file_name="official_sources.csv")
st.markdown("**Council papers** (the seed papers) from which the demo programmes are built. Every demo row "
            "names the paper and paragraph it came from, e.g. `000 para 2.3`.")
blocks.table(papers, key="papers", file_name="seed_papers.csv")

st.header('What "illustrative" means')
st.markdown(
    "The five demo programmes are real partnerships, and the facts the papers state (who, when, under "
    "what legal basis, the 50/50 salary split, savings of almost £0.75m a year, six months' notice) are "
    "loaded with their paragraph as the source. Where no paper gives a figure — most milestone dates, "
    "savings by year, risks, board dates, narrative — the demo makes one up and marks the row "
    "`illustrative`. Every page that shows illustrative figures says so. Ofsted judgements and DfE "
    "indicators are never illustrative: they are the published figures.")
blocks.table(usage, key="usage", file_name="rows_by_source_kind.csv")

st.header("Methods")
st.markdown(
    "- **Overall status (Overview):** rules stated on the Overview page.\n"
    "- **No-detriment:** statistical process control (XmR charts) following NHS England's *Making Data "
    "Count*; limits from the years before the partnership began.\n"
    "- **Money:** pounds; compact on cards (£750k, £1.23m), full pounds in tables. Financial years run "
    "1 April to 31 March and are written 2020/21.\n"
    "- **Dates:** written 3 Feb 2020 on screen, ISO (2020-02-03) in files.")

st.header("Accessibility statement")
st.markdown(
    "Improvement Monitor is run for public-sector bodies and aims to meet the Web Content Accessibility "
    "Guidelines (WCAG) 2.2 at level AA, as the Public Sector Bodies (Websites and Mobile Applications) "
    "(No. 2) Accessibility Regulations 2018 require.\n\n"
    "**How we make it accessible:** status is always given as a word and a symbol as well as a colour; "
    "every chart has a title, axis labels, a one-line summary in words and a 'View as table' with a CSV "
    "download; pages are tested automatically with axe-core in a real browser.\n\n"
    "**Known limitations:** interactive charts are drawn by Plotly and are not fully usable with a screen "
    "reader — use the table beneath each chart instead. Some third-party widgets may not announce every "
    "change of state.\n\n"
    "**Feedback and enforcement:** tell your programme's administrator about any problem. If you are not "
    "happy with the response, contact the Equality Advisory and Support Service (EASS). The Equality and "
    "Human Rights Commission enforces the accessibility regulations.\n\n"
    "This statement was prepared on 22 Nov 2026 and is reviewed with each release.")
