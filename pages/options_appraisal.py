"""Options appraisal (seed 003's method): ratings × each council's weights → weighted totals, the
preferred option, where the weights came from, and how far a weight must move before the preferred
option changes. The what-if sliders recompute on screen only: nothing here writes."""
import streamlit as st

from monitor.appraisal.charts import council_totals_figure, tornado_figure, totals_figure
from monitor.appraisal.scoring import FLIP_RULE
from monitor.appraisal.sensitivity import flip_details, slider_limit
from monitor.appraisal.view import COMBINED, SOURCE, flip_hint, weigh, what_if
from monitor.appraisal.wording import (
    agreement_sentence,
    describe_preference,
    flip_sentences,
    preferred,
    rating_matrix,
    sensitivity_summary,
    totals_table,
    weight_matrix,
)
from monitor.formatting import format_date
from monitor.savings.ledger import describe_source
from monitor.text import plain
from ui import blocks
from ui.data import query
from ui.facts import facts_of
from ui.setup import page_setup
from ui.sources import source_link, source_links

ctx = page_setup(__file__)

programmes = ctx.visible_programmes(when_none="You are not registered for any programme. Ask an administrator to add you.")
programme = blocks.programme_picker(programmes)
name = programmes.set_index("programme_id").loc[programme, "programme_name"]
appraisals = ctx.read("appraisal/by_programme", programme_id=programme)
if appraisals.empty:
    st.info(f"No options appraisal is recorded for {plain(name)}.", icon=":material/info:")
    st.stop()
titles = dict(zip(appraisals["appraisal_id"], appraisals["appraisal_title"]))
appraisal_id = (blocks.url_select("Appraisal", list(titles), param="appraisal", format_func=titles.get)
                if len(titles) > 1 else next(iter(titles)))
meta = appraisals.set_index("appraisal_id").loc[appraisal_id]
ratings = query("appraisal/ratings", appraisal_id=appraisal_id).rename(
    columns={"option_name": "option", "criterion_name": "criterion"})
weights = query("appraisal/weights", appraisal_id=appraisal_id).rename(columns={"criterion_name": "criterion"})
criteria = query("appraisal/criteria", appraisal_id=appraisal_id)
options = query("appraisal/options", appraisal_id=appraisal_id)

described = describe_source(meta["source"], query("about/data_sources"))
# Every download of the page: the appraisal's records, as at the programme's date.
figures_from = facts_of(programme).origin(f"{SOURCE}: {meta['appraisal_title']}, from {described}")
st.header(plain(meta["appraisal_title"]), anchor=False)
st.markdown(f"**Appraised:** {format_date(meta['appraisal_date'])} · **Source:** "
            f"{plain(described)} ({source_link(meta['source'])})"
            f"\n\n**Method:** {plain(meta['method'])}")
blocks.illustrative_notice(list(ratings["source"]) + list(weights["source"]) + list(criteria["source"])
                           + list(options["source"]), what="ratings, weights, criteria and options")
if ratings.empty or weights.empty:
    st.info("This appraisal has no ratings or no weights recorded yet, so there are no totals to show.")
    st.stop()

weighed = weigh(ratings, weights)
councils, weights_by, totals_by = weighed.councils, weighed.weights_by, weighed.totals_by

st.subheader("The preferred option")
for who, totals in totals_by.items():
    st.markdown(f"- {plain(describe_preference(who, totals))}")
st.markdown("Totals are ranked unrounded; options with equal totals share a rank and are reported as a tie.")
table = totals_table(totals_by)
blocks.chart(council_totals_figure(totals_by, "Weighted totals of each option, by whose weights"),
             agreement_sentence(totals_by),
             table, key="totals", file_name=f"appraisal_totals_{appraisal_id}.csv", origin=figures_from)

st.subheader("Ratings")
st.markdown("Each option rated high, medium or low against each criterion, scored 3, 2 or 1. Source: "
            + source_links(sorted(set(ratings["source"]))) + ".")
blocks.table(rating_matrix(ratings), key="ratings", file_name=f"appraisal_ratings_{appraisal_id}.csv",
             origin=figures_from)
with st.expander("What the options and criteria mean", icon=":material/help:"):
    blocks.table(options[["option_name", "description", "source"]].rename(
        columns={"option_name": "Option", "description": "Description", "source": "Source"}),
        key="options", file_name=f"appraisal_options_{appraisal_id}.csv", origin=figures_from)
    blocks.table(criteria[["criterion_name", "description", "source"]].rename(
        columns={"criterion_name": "Criterion", "description": "Description", "source": "Source"}),
        key="criteria", file_name=f"appraisal_criteria_{appraisal_id}.csv", origin=figures_from)

st.subheader("Weights, and where they came from")
st.markdown("Each council's Cabinet weighted the criteria; "
            + (f"*{COMBINED}* is the mean of the councils' weights, an illustration: the agreed political weighting "
               f"was reached by consensus at a joint meeting of both Cabinets ({source_link('003 §9')}), and the "
               "minutes do not give it. " if len(councils) > 1 else ""))
blocks.table(weight_matrix(weights_by), key="weights", file_name=f"appraisal_weights_{appraisal_id}.csv",
             origin=figures_from)
origin = weights.assign(set_on=weights["set_date"].map(format_date)).groupby(
    ["council_name", "set_by", "set_on", "source"], sort=False).size().reset_index(name="criteria weighted")
blocks.table(origin.rename(columns={"council_name": "Council", "set_by": "Set by", "set_on": "Set on",
                                    "source": "Source", "criteria weighted": "Criteria weighted"}),
             key="weight_origin", file_name=f"appraisal_weight_origin_{appraisal_id}.csv", origin=figures_from)

st.subheader("Sensitivity: how far a weight must move before the preferred option changes")
who = blocks.url_select("Whose weights", list(weights_by), param="weights")
details = flip_details(ratings, weights_by[who])
now = preferred(totals_by[who])
st.markdown(FLIP_RULE)
summary = sensitivity_summary(who, details, now)
blocks.chart(tornado_figure(details, f"Distance to flip, {who}'s weights"), summary,
             details, key="tornado", file_name=f"appraisal_distance_to_flip_{appraisal_id}.csv", origin=figures_from)
with st.expander("Each criterion in words", icon=":material/notes:"):
    for sentence in flip_sentences(details, now):
        st.markdown(f"- {sentence}")

st.subheader("What if the weights were different?")
st.markdown(f"Move {plain(who)}'s weights to see the totals recomputed. **Nothing here is saved:** the weights in "
            "the database stay as the councils set them, for you and for everyone else.")
limit = slider_limit(details)
current = weights_by[who].set_index("criterion")["weight"]
flips = details.set_index("criterion")
keys = {c: f"whatif_{appraisal_id}_{who}_{c}" for c in current.index}


def reset() -> None:
    for criterion, key in keys.items():
        st.session_state[key] = float(current[criterion])


columns = st.columns(4)
chosen = {}
for i, criterion in enumerate(current.index):
    hint = flip_hint(flips.loc[criterion])
    with columns[i % 4]:
        st.session_state.setdefault(keys[criterion], float(current[criterion]))
        chosen[criterion] = st.slider(plain(criterion), 0.0, limit, step=0.25, key=keys[criterion],
                                      help=plain(f"Set at {current[criterion]:g}. {hint}."))
st.button("Reset to the councils' weights", on_click=reset, icon=":material/restart_alt:")
tried = what_if(ratings, current, chosen)
lead, rest = tried.sentence(who)
st.markdown(plain(lead) + (" **changes** " + plain(rest) if rest else ""))
after = tried.totals
blocks.chart(totals_figure(after, f"What-if weighted totals ({who}'s weights, moved)"),
             describe_preference("With these weights", after), after,
             key="what_if", file_name=f"appraisal_what_if_{appraisal_id}.csv", origin=figures_from)
