"""Sources: read a seed paper with every passage numbered, opened at the passage a figure cites
(`?paper=003&passage=§12`), which is highlighted; or, for a figure citing several sources
(`?paper=003&cite=003 §12&cite=004 rec 3&cite=dfe_x.csv`), the list of them in order, each passage
highlighted with its text and each file linked to its publisher. Text from the papers is plain text."""
import re

import streamlit as st

from monitor.formatting import format_date
from monitor.sources.links import CITE_PARAM, read_cite
from monitor.sources.papers import label_of
from monitor.text import plain
from ui import blocks
from ui.data import query
from ui.setup import page_setup
from ui.sources import reader_url, source_link

ctx = page_setup(__file__)

papers = query("sources/papers")
if papers.empty:
    st.info("No council papers are loaded in this database.", icon=":material/info:")
    st.stop()
titles = dict(zip(papers["paper"], papers["title"]))
paper = blocks.url_select("Paper", list(titles), param="paper", format_func=lambda p: f"{p} — {titles[p]}")
meta = papers.set_index("paper").loc[paper]
passages = query("sources/passages", paper=paper)
ids = list(passages["passage_id"])


MAX_CITED = 50  # sources listed from one address (a figure cites a handful)
# A cited passage is marked by a word as well as by colour (its badge).
HIGHLIGHT = ("<style>[class*='st-key-cited']{background:#fff4ce;border-left:6px solid #8a6d00;padding:0.5rem 0.75rem;"
             "border-radius:0.25rem}</style>")


def wanted_passage(value: str | None) -> str | None:
    """The passage the address asks for: its id ('2.3', 'rec 1', '§12'), or a bare number for a
    passage the paper does not number ('12' → '§12')."""
    if not value:
        return None
    value = value.strip()
    if value in ids:
        return value
    return f"§{value}" if f"§{value}" in ids else None


asked = st.query_params.get("passage")
cited = wanted_passage(asked)
several = list(dict.fromkeys(st.query_params.get_all(CITE_PARAM)))[:MAX_CITED]
# The passages of the paper shown below the list that the list cites: highlighted there too.
also_cited = {passage for p, passage in filter(None, map(read_cite, several)) if p == paper}

if several:
    st.subheader("Sources this figure cites", anchor=False)
    st.info(f"This figure cites {len(several)} sources, listed here in order: each passage is highlighted with its "
            "text, and each official file links to its publisher's page.", icon=":material/format_quote:")
    st.html(HIGHLIGHT)
    for n, cite in enumerate(several, start=1):
        pair = read_cite(cite)
        if pair is None:  # an official file or a document: its publisher's page (ui.sources)
            st.markdown(f"**{n}.** {source_link(cite)}")
            continue
        cited_paper, passage_id = pair
        text = query("sources/passages", paper=cited_paper).set_index("passage_id")["passage_text"]
        name = plain(f"{cited_paper} {label_of(passage_id)}")
        if passage_id not in text.index:
            st.markdown(f"**{n}.** {name}: no such passage in the papers loaded.")
            continue
        with st.container(key=f"cited-list-{n}"):
            st.badge("Cited passage", icon=":material/format_quote:", color="orange")
            st.markdown(f"**{n}.** [**{name}**]({reader_url(cited_paper, passage_id)}) · "
                        f"{plain(titles.get(cited_paper, ''))}  \n{plain(text[passage_id])}")
    st.divider()

st.header(plain(meta["title"]), anchor=False)
dated = format_date(meta["published_date"]) or "no date in the paper"
st.markdown(f"{plain(meta['publisher'])} · {plain(dated)} · paper {paper} · file {plain(meta['source_file'])} · "
            f"{len(passages)} passages")
st.caption("Passages are numbered as the paper numbers them (para 2.3); numbered recommendations read rec 1, "
           "rec 2; passages the paper leaves unnumbered read §k, k being their place in the paper. Each number "
           "is a link to that passage.")
if asked and cited is None:
    st.warning(f"Paper {paper} has no passage {plain(asked)}. The whole paper is shown below.",
               icon=":material/search_off:")
elif cited:
    st.info(f"Cited passage: **{plain(paper + ' ' + label_of(cited))}**, highlighted below.",
            icon=":material/format_quote:")
    # Marked by a word as well as by colour (the badge); the page scrolls to it once drawn.
    st.html(HIGHLIGHT)
    # No "<" inside the script: the HTML sanitiser drops a script that has one.
    st.html("<script>(function(){let n=0;const go=()=>{const e=document.querySelector('.st-key-cited');"
            "if(e){e.scrollIntoView({block:'center'});}else if(50>n++){setTimeout(go,100);}};go();})();</script>",
            unsafe_allow_javascript=True)


def slug(passage_id: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", passage_id.replace("§", "s").lower()).strip("-")


for row in passages.itertuples():
    for heading in filter(None, str(row.heading).split("\n")):
        st.subheader(plain(heading), anchor=False)
    is_cited = row.passage_id == cited or row.passage_id in also_cited
    key = "cited" if row.passage_id == cited else f"cited-{slug(row.passage_id)}" if is_cited else None
    with st.container(key=key or f"passage-{slug(row.passage_id)}"):
        if is_cited:
            st.badge("Cited passage", icon=":material/format_quote:", color="orange")
        number = f"[**{plain(label_of(row.passage_id))}**]({reader_url(paper, row.passage_id)})"
        st.markdown(f"{number} {plain(row.passage_text)}")
