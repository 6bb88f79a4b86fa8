"""About this data: every source the database holds — official files with their publisher's
page, publication date, period and licence; documents cited by address; the council papers (each
opens in the Sources reader) — provenance in four words counted per table, the methods, and the
accessibility statement."""
import pandas as pd
import streamlit as st

from monitor.formatting import format_date
from monitor.clock import today
from monitor.sources.citation import MEANINGS, PROVENANCES, SOURCE, derivation_use, provenance_counts
from monitor.sources.links import reference_maps
from monitor.sources.reference import format_published
from monitor.tidy import Origin
from ui import blocks
from queries.loader import run_many
from ui.data import shared
from ui.setup import page_setup
from ui.sources import reader_url, source_column, source_href, source_link, target

LINK = st.column_config.LinkColumn

# What the page lists (the source files, papers among them, and the documents), counts and explains,
# read side by side; the count over every table first, as it takes longest (the others finish beside it).
READS = {"usage": ("about/source_usage", {}), "sources": ("about/sources", {}),
         "documents": ("sources/published_documents", {}), "rules": ("sources/derivations", {})}


def source_tables():
    """The official files, documents and council papers as the page lists them, the rows per table
    by provenance, the derivation rules, and the references the links are resolved against (kept
    per data version, shared read-only)."""
    read = run_many(READS)
    sources = read["sources"]
    p = sources.loc[sources["paper"].notna().to_numpy()]  # the papers' files, by number
    # Links resolved against the very rows listed (monitor.sources.links.reference_maps, as every page's).
    references = reference_maps(sources, p, read["documents"])
    # Each table built from its columns at once: a copy, a selection and a renaming each cost as much as
    # the few rows they hold (a cold rerun of this page is mostly such steps).
    o = sources.loc[(sources["licence"] != "Public council paper").to_numpy()]
    official = pd.DataFrame({
        "publisher": o["publisher"].array,
        "published": [format_published(day, precision) for day, precision in zip(o["release_date"], o["date_precision"])],
        "period covered": o["period_covered"].array, "licence": o["licence"].array,
        # Addresses only through the one link function (monitor.sources.links): a plain https page.
        "publisher's page": [target(f, references).url for f in o["source_file"]],
        "title": o["title"].array, "how the date is known": o["date_basis"].array, "file": o["source_file"].array,
        "loaded into": o["loaded_into"].array, "rows": o["row_count"].array,
        "loaded": [f"{format_date(t)} {t:%H:%M}" for t in o["loaded_at"]]})
    d = read["documents"]
    documents = pd.DataFrame({
        "publisher": d["publisher"].array, "published": [format_date(day) for day in d["published_date"]],
        "licence": d["licence"].array, "page": [target(u, references).url for u in d["url"]],
        "title": d["title"].array, "note": d["note"].array})
    papers = pd.DataFrame({
        "paper": p["paper"].array, "read it": [reader_url(paper) for paper in p["paper"]],
        "publisher": p["publisher"].array,
        "date": [format_date(day) or "no date in the paper" for day in p["published_date"]],
        "passages": p["passages"].array, "title": p["title"].array, "file": p["source_file"].array})
    used = read["usage"]
    usage = provenance_counts(used)
    r = read["rules"]
    cited = derivation_use(used)
    rules = pd.DataFrame({
        "rule": r["derivation_id"].array, "the passage's figure": r["figure"].array,
        "how it is derived": r["rule"].array,
        "rows": [cited.get(rule, (0, None))[0] for rule in r["derivation_id"]],
        "cited as": [source_href(cited.get(rule, (0, None))[1], references) for rule in r["derivation_id"]]})
    return official, documents, papers, usage, rules, references


ctx = page_setup(__file__)
official, documents, papers, usage, rules, references = shared(source_tables)
origin = Origin(SOURCE, today())

st.header("Sources")
st.markdown("**Official statistics**, loaded exactly as published (byte-order marks, CRLF line endings, "
            "DfE suppression markers and all), joined on ONS and DfE codes, never on names. Each shows its "
            "publisher's page, when it was published (to the precision its release facts give: a year where "
            "only the year is certain), the period its figures cover and its licence.")
blocks.table(official, key="official", file_name="official_sources.csv", origin=origin,
             column_config={"publisher's page": LINK("publisher's page", display_text="Publisher's page")})
st.markdown("**Published documents** that rows cite by their address: DfE's statutory directions on GOV.UK.")
blocks.table(documents, key="documents", file_name="published_documents.csv", origin=origin,
             column_config={"page": LINK("page", display_text="Open on GOV.UK")})
st.markdown("**Council papers** (the seed papers) from which the demo programmes are built. Every passage is "
            "numbered and each opens in the *Sources* reader; rows cite them as `000 para 2.3` (the paper's own "
            "number), `000 rec 2` (a numbered recommendation) or `003 §12` (a passage the paper leaves "
            "unnumbered, counted in reading order).")
blocks.table(papers, key="papers", file_name="seed_papers.csv", origin=origin,
             column_config={"read it": LINK("read it", display_text="Read the paper")})

st.header("Provenance in four words")
st.markdown("Every figure's source says where it comes from, in one of four words — the same rule decides them "
            "here, in every page's *illustrative data* notice, and in the exports:\n\n"
            + "\n".join(f"- **{word}**: {MEANINGS[word]}." for word in PROVENANCES)
            + "\n\nA citation ending in *(… illustrative)* names the passage the subject comes from; the parts "
              "it names (dates, amounts, progress, an assessment) are made up. Ofsted judgements and DfE "
              "indicators are never illustrative: they are the published figures.")
blocks.table(usage, key="usage", file_name="rows_by_provenance.csv", origin=origin)
st.markdown("**Derived figures** and the rules that derive them, each written beside the passage's own words. "
            "For example, the Breckland – South Holland savings of the last three years cite "
            + source_link("003 §15 (derived: bsh-savings-per-year)", references) + ".")
blocks.table(rules, key="rules", file_name="derivation_rules.csv", origin=origin,
             column_config={"cited as": source_column("cited as")})

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
