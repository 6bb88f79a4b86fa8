"""No-detriment: is the lending council suffering for this partnership? Each indicator judged on its
current state against the baseline fixed before the partnership began (NHS Making Data Count), in one
summary table first; the financial promise; the charts of indicators of concern now open, the others
one click away."""
from functools import partial

import streamlit as st

from monitor import clock
from monitor.formatting import counted, format_date
from monitor.no_detriment.assessment import headline
from monitor.no_detriment.charts import context_figure, xmr_figure
from monitor.no_detriment.council import PROGRAMME_KEYS, CouncilAssessment, assess_frames, council_requests
from monitor.no_detriment.export import summary_xlsx
from monitor.no_detriment.facts import SOURCE
from monitor.no_detriment.finance import RULE
from monitor.no_detriment.paper import MIME as PAPER_MIME
from monitor.no_detriment.paper import cabinet_paper, dated
from monitor.no_detriment.paper import file_name as paper_name
from monitor.no_detriment.tables import chart_table, context_table, icon_words, year_labels
from monitor.no_detriment.verdicts import CONCERN_NOW
from monitor.no_detriment.wording import METHOD, legend
from monitor.permissions import visible_council_codes
from monitor.savings.facts import SOURCE as COSTS_SOURCE
from monitor.text import plain
from queries.report import report_audience
from ui import blocks
from ui.data import query_many, shared
from ui.facts import facts_of, facts_reads
from ui.setup import page_setup
from ui.sources import REFERENCES, source_links, source_references

ctx = page_setup(__file__)
# The first paint draws at most this many charts: those of the indicators of concern now.
OPEN_CHARTS = 3
MONEY = st.column_config.NumberColumn(format="£%,.0f")


def assessed(programme: tuple, ons_code: str, council: str, today) -> CouncilAssessment:
    """Every indicator of the council judged as at the programme's date (as the headline facts are),
    set beside its neighbours, the summary table and the financial check — one computation for the
    page and its files (kept per data version and shared read-only, so a rerun only draws)."""
    row = dict(programme)
    pid = row["programme_id"]
    # Read side by side with the council's rows: those the page asks for next (its headline facts, the
    # sources' references), which then find them kept. A query read alone leaves a core idle.
    return assess_frames(query_many(council_requests(pid, ons_code), facts_reads(pid, "no_detriment"), REFERENCES),
                         row, ons_code, council, today)


def drawn(programme: tuple, ons_code: str, council: str, today, indicator_id: str):
    """One indicator's XmR chart and neighbours chart with their tables, built when first opened."""
    nd = shared(assessed, programme, ons_code, council, today)
    a = next(a for a in nd.assessments if a.indicator_id == indicator_id)
    c, labels = nd.contexts[indicator_id], year_labels(a)
    return ((xmr_figure(a, started=nd.started), chart_table(a)),
            None if c.series.empty else (context_figure(a, c, labels), context_table(a, c, labels)))


def paper_file(nd: CouncilAssessment, today) -> bytes:
    """The Cabinet paper, made when the button is pressed."""
    return cabinet_paper(nd, dated=dated(today), audience=report_audience(nd.programme_id, db=ctx.db))


programmes = ctx.visible_programmes(when_none="You are not registered for any programme. Ask an administrator to add you to one.")

left, right = st.columns(2)
with left:
    programme_id = blocks.programme_picker(programmes)
programme = programmes.set_index("programme_id").loc[programme_id]
indicators = ctx.read("no_detriment/indicators", programme_id=programme_id)
councils = dict(zip(indicators["ons_code"], indicators["authority_name"]))
with right:
    ons_code = blocks.url_select("Lending council", visible_council_codes(ctx.actor, councils), param="council",
                                 format_func=councils.get)
if ons_code is None:
    st.info(f"**{plain(programme['programme_name'])}** has no lending council with no-detriment indicators: no "
            f"council in it promised its own residents \"no detriment\". Choose the East Sussex – West Sussex "
            f"partnership or the Hampshire – West Sussex commission to see one.", icon=":material/info:")
    st.stop()

council = councils[ons_code]
today = clock.today()
key = tuple((k, programme_id if k == "programme_id" else programme[k]) for k in PROGRAMME_KEYS)
nd = shared(assessed, key, ons_code, council, today)
facts = facts_of(programme_id, "no_detriment")
blocks.headline(facts, "no_detriment_concerns")
origin, costs_origin = facts.origin(SOURCE), facts.origin(COSTS_SOURCE)
assessments, contexts, summary, check, closed = nd.assessments, nd.contexts, nd.summary, nd.check, nd.closed

window = (f"from {format_date(programme['start_date'])} to its close on {format_date(closed)} (later points are "
          f"drawn apart and not judged)" if closed else f"since {format_date(programme['start_date'])}")
st.markdown(f"**{plain(council)}** lends leadership to the **{plain(programme['programme_name'])}**, which began on "
            f"{format_date(programme['start_date'])}. Each of its indicators is judged on its current state "
            f"{window}, against its own years before the partnership (the baseline), with NHS England's *Making "
            f"Data Count* rules, and set beside the same measure for its 10 statistical neighbours and England.")
blocks.illustrative_notice([src for a in assessments for src in a.frame["source"].dropna()]
                           + ["illustrative"] * sum(a.threshold is not None for a in assessments))
st.markdown("The indicator values are DfE's published figures (each chart names its file). The **no-detriment "
            "lines** — targets and tolerances — are **illustrative**: no council paper sets them.")

st.header("Summary")
concerns = sum(a.verdict == CONCERN_NOW for a in assessments)
blocks.status_tag("Concern now" if concerns else "No concern now",
                  f"{concerns} of {counted(len(assessments), 'indicator')}")
st.markdown(f"**{plain(headline(assessments, council))}**")
# The indicator and its verdict stay in view while the rest of the row scrolls.
blocks.table(summary, key="nd_summary", file_name=f"no_detriment_{programme_id}_{ons_code}.csv", origin=origin,
             column_config={"Indicator": st.column_config.TextColumn(pinned=True, width="medium"),
                            "Verdict": st.column_config.TextColumn(pinned=True, width="medium"),
                            "Latest value": st.column_config.NumberColumn(format="%.1f"),
                            "Baseline mean": st.column_config.NumberColumn(format="%.1f"),
                            "In words": st.column_config.TextColumn(width="large"),
                            "Against neighbours and England": st.column_config.TextColumn(width="large")})
st.download_button("Download the summary as Excel",
                   partial(summary_xlsx, summary, legend(), finance=check.table,
                           title=f"No detriment: {council}, {programme['programme_name']}", origin=origin,
                           references=source_references()),
                   file_name=f"no_detriment_{programme_id}_{ons_code}.xlsx", key="nd_summary_xlsx", on_click="ignore",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:")
st.download_button("Download the Cabinet paper (Word)", partial(paper_file, nd, today),
                   file_name=paper_name(programme_id, ons_code, today), key="nd_cabinet_paper", on_click="ignore",
                   mime=PAPER_MIME, icon=":material/description:",
                   help=f"The assessment as a council paper to {plain(council)}'s Cabinet and scrutiny committee: "
                        "the summary table, the verdicts, the charts of the indicators of concern now, the "
                        "financial verdict and the sources.")
with st.expander("Legend: what each symbol means", icon=":material/info:"):
    st.dataframe(legend(), hide_index=True, width="stretch",
                 column_config={"Meaning": st.column_config.TextColumn(width="large")})
for a in assessments:
    st.markdown(f"- **{a.verdict_label}** · {plain(a.sentence)}  \n  *Against its neighbours:* "
                f"{plain(contexts[a.indicator_id].sentence)}")

st.header("Financial no detriment")
blocks.status_tag(check.word, council)
st.markdown(plain(check.sentence))
if len(check.table):
    blocks.table(check.table, key="nd_finance", file_name=f"no_detriment_finance_{programme_id}_{ons_code}.csv",
                 origin=costs_origin,
                 column_config={c: MONEY for c in check.table.columns if c.endswith("(£)")})
blocks.illustrative_notice(check.figure_sources, what="cost and income figures")
st.markdown("**Sources:** " + source_links(check.sources)
            + ".  \n" + RULE)

st.header("Indicators")
open_by_default = [a.indicator_id for a in assessments if a.verdict == CONCERN_NOW][:OPEN_CHARTS]
for a in assessments:
    c = contexts[a.indicator_id]
    st.subheader(plain(a.name), anchor=False)
    blocks.status_tag(a.verdict_word, a.council)
    st.markdown(f"{plain(a.sentence)}  \n**Variation (latest point):** {icon_words(a.variation, 'none — not enough data')}"
                f"  \n**Assurance against the no-detriment line:** "
                f"{icon_words(a.assurance, 'none — this indicator has no target or tolerance')}")
    if st.toggle("Show the XmR chart", value=a.indicator_id in open_by_default, key=f"nd_xmr_{a.indicator_id}"):
        (xmr, xmr_table), _ = shared(drawn, key, ons_code, council, today, a.indicator_id)
        blocks.chart(xmr, a.sentence, xmr_table, key=f"xmr_{a.indicator_id}", file_name=f"{a.indicator_id}_xmr.csv",
                     origin=origin)
    if c.series.empty:  # not a DfE measure: nothing to set beside it
        st.markdown(f"**Against its neighbours:** {plain(c.sentence)}")
    elif st.toggle("Compare with its statistical neighbours and England", key=f"nd_context_{a.indicator_id}"):
        beside = shared(drawn, key, ons_code, council, today, a.indicator_id)[1]
        blocks.chart(beside[0], f"Against its neighbours: {c.sentence}", beside[1], key=f"context_{a.indicator_id}",
                     file_name=f"{a.indicator_id}_neighbours.csv", origin=origin)
    else:
        st.markdown(f"**Against its neighbours:** {plain(c.sentence)}")
    sources = sorted(set(a.frame["source"].dropna()))
    st.markdown("**Source:** " + source_links(sources, none="no observations yet")
                + ". Statistical neighbours: DfE's 2025 benchmarking model.")

with st.expander("How these charts work (Making Data Count)", icon=":material/help:"):
    for line in METHOD:
        st.markdown(f"- {line}")
