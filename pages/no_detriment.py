"""No-detriment: each lending council's indicators as XmR charts (NHS Making Data Count) against
the baseline fixed before the partnership began, beside its statistical neighbours and England."""
import streamlit as st

from monitor.formatting import counted, format_date
from monitor.no_detriment.charts import context_figure, xmr_figure
from monitor.no_detriment.context import compare_with_neighbours
from monitor.no_detriment.spc_icons import ICON_LABELS
from monitor.no_detriment.tables import chart_table, context_table, summary_table, year_labels
from monitor.no_detriment.verdicts import assess_all, headline
from monitor.no_detriment.wording import METHOD
from monitor.text import plain
from ui import blocks
from ui.data import query, shared
from ui.facts import facts_of
from ui.setup import page_setup

ctx = page_setup(__file__)


def judged(programme_id: str, ons_code: str, started) -> tuple[list, dict, dict, object]:
    """Every indicator of the council judged and set beside its neighbours, with its charts and
    tables (kept per data version and shared read-only, so a rerun only draws)."""
    values = query("no_detriment/values_by_council", programme_id=programme_id, ons_code=ons_code)
    context = query("no_detriment/context", programme_id=programme_id, ons_code=ons_code)
    measure_of = dict(zip(values["indicator_id"], values["dfe_measure"]))
    assessments = assess_all(values)
    contexts = {a.indicator_id: compare_with_neighbours(a, context[context["measure"] == measure_of.get(a.indicator_id)])
                for a in assessments}
    drawn = {}
    for a in assessments:
        c, labels = contexts[a.indicator_id], year_labels(a)
        drawn[a.indicator_id] = ((xmr_figure(a, started=started), chart_table(a)),
                                 None if c.series.empty else (context_figure(a, c, labels), context_table(a, c, labels)))
    return assessments, contexts, drawn, summary_table(assessments, contexts)


programmes = ctx.visible_programmes(when_none="You are not registered for any programme. Ask an administrator to add you to one.")

left, right = st.columns(2)
with left:
    programme_id = blocks.programme_picker(programmes)
programme = programmes.set_index("programme_id").loc[programme_id]
indicators = ctx.read("no_detriment/indicators", programme_id=programme_id)
councils = dict(zip(indicators["ons_code"], indicators["authority_name"]))
with right:
    ons_code = blocks.url_select("Lending council", list(councils), param="council", format_func=councils.get)
if ons_code is None:
    st.info(f"**{plain(programme['programme_name'])}** has no lending council with no-detriment indicators: no "
            f"council in it promised its own residents \"no detriment\". Choose the East Sussex – West Sussex "
            f"partnership or the Hampshire – West Sussex commission to see one.", icon=":material/info:")
    st.stop()

council = councils[ons_code]
blocks.headline(facts_of(programme_id), "no_detriment_concerns")
assessments, contexts, drawn, summary = shared(judged, programme_id, ons_code, programme["start_date"])

st.markdown(f"**{plain(council)}** lends leadership to the **{plain(programme['programme_name'])}**, which began on "
            f"{format_date(programme['start_date'])}. Each of its indicators is judged against its own years "
            f"before the partnership (the baseline) with NHS England's *Making Data Count* rules, and set beside "
            f"the same measure for its 10 statistical neighbours and England.")
blocks.illustrative_notice([src for a in assessments for src in a.frame["source"].dropna()]
                           + ["illustrative"] * sum(a.threshold is not None for a in assessments))
st.markdown("The indicator values are DfE's published figures (each chart names its file). The **no-detriment "
            "lines** — targets and tolerances — are **illustrative**: no council paper sets them.")

st.header("Summary")
concerns = sum(a.verdict == "concern" for a in assessments)
blocks.status_tag("Concern" if concerns else "No deterioration", f"{concerns} of {counted(len(assessments), 'indicator')}")
st.markdown(f"**{plain(headline(assessments, council))}**")
for a in assessments:
    st.markdown(f"- **{a.verdict_label}** · {plain(a.sentence)}  \n  *Against its neighbours:* "
                f"{plain(contexts[a.indicator_id].sentence)}")
blocks.table(summary, key="nd_summary",
             file_name=f"no_detriment_{programme_id}_{ons_code}.csv",
             column_config={"What it says": st.column_config.TextColumn(width="large"),
                            "Against neighbours and England": st.column_config.TextColumn(width="large")})

st.header("Indicators")
for a in assessments:
    c = contexts[a.indicator_id]
    (xmr, xmr_table), beside = drawn[a.indicator_id]
    st.subheader(plain(a.name), anchor=False)
    blocks.status_tag(a.verdict_word, "since the partnership began")
    variation = ICON_LABELS.get(a.variation or "")
    assurance = ICON_LABELS.get(a.assurance or "")
    st.markdown(f"**Variation (latest point):** {' '.join(variation) if variation else 'none — not enough data'}  \n"
                f"**Assurance against the no-detriment line:** "
                f"{' '.join(assurance) if assurance else 'none — this indicator has no target or tolerance'}")
    blocks.chart(xmr, a.sentence, xmr_table,
                 key=f"xmr_{a.indicator_id}", file_name=f"{a.indicator_id}_xmr.csv")
    if beside is None:  # not a DfE measure: nothing to set beside it
        st.markdown(f"**Against its neighbours:** {plain(c.sentence)}")
    else:
        blocks.chart(beside[0], f"Against its neighbours: {c.sentence}",
                     beside[1], key=f"context_{a.indicator_id}",
                     file_name=f"{a.indicator_id}_neighbours.csv")
    sources = sorted(set(a.frame["source"].dropna()))
    st.markdown("**Source:** " + plain("; ".join(blocks.source_note(s) for s in sources) or "no observations yet")
                + ". Statistical neighbours: DfE's 2025 benchmarking model.")

with st.expander("How these charts work (Making Data Count)", icon=":material/help:"):
    for line in METHOD:
        st.markdown(f"- {line}")
