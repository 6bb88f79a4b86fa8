"""Overview: one card per programme — how it is doing, and a click through to the detail."""
import datetime as dt

import streamlit as st

from monitor.formatting import counted
from monitor.overview.cards import RAG_RULES, build_cards, cards_table, filter_programmes, order_cards
from ui import blocks
from ui.data import query, shared_by
from ui.setup import page_setup

ctx = page_setup(__file__)
today = dt.date.today()
# Five cards a page (a card is half a screen); the table above the cards lists every programme, so
# the page draws the same whether the database holds five programmes or four hundred.
PAGE_SIZE = 5


def programme_cards(programme_ids: tuple[str, ...], day: dt.date) -> tuple[list, object]:
    """Every card of the given programmes, worst first, and the same as one table (kept per data
    version and shared read-only: at national scale this runs SPC on a thousand indicators)."""
    chosen = query("programmes/all")
    chosen = chosen[chosen["programme_id"].isin(programme_ids)]
    cards = order_cards(build_cards(chosen, query("programmes/parties"), query("milestones/all"),
                                   query("ofsted/supported_council_overall_grades"), query("no_detriment/values"),
                                   query("savings/totals_by_programme"), query("risks/all"), query("calendar/key_dates"), day))
    return cards, cards_table(cards)


programmes = ctx.visible_programmes()
left, right = st.columns(2)
with left:
    kinds = blocks.url_multiselect("Programme kind", sorted(programmes["kind"].unique()), param="kind")
with right:
    statuses = blocks.url_multiselect("Status", ["active", "proposed", "closed"], param="status")
shown = filter_programmes(programmes, kinds, statuses)

ids = tuple(shown["programme_id"])
# Keyed by Python's own hash of the ids: Streamlit hashing 400 ids cost more than drawing a card.
all_cards, all_cards_table = shared_by(("cards", hash(ids), len(ids), today), programme_cards, ids, today)
st.markdown(f"**{len(all_cards):,} of {counted(len(programmes), 'programme')}** shown, as at {today.day} {today:%b %Y}; "
            f"those needing attention first.")
if any(c.illustrative for c in all_cards):
    st.info("**Illustrative data:** milestones, savings, risks and key dates of the demo programmes are "
            "illustrative unless their source names a council paper; Ofsted grades and DfE indicators are "
            "the published figures. See *About this data*.", icon=":material/science:")
if not all_cards:
    st.warning("No programme matches these filters.")
elif len(all_cards) > PAGE_SIZE:
    with st.expander(f"All {len(all_cards):,} programmes at a glance", icon=":material/table:"):
        blocks.table(all_cards_table, key="all_programmes", file_name="programmes_overview.csv")

pages = max(1, -(-len(all_cards) // PAGE_SIZE))
page_no = int(blocks.url_select("Cards page", [str(i) for i in range(1, pages + 1)], param="page",
                                format_func=lambda i: f"Page {i} of {pages}")) if pages > 1 else 1
cards = all_cards[(page_no - 1) * PAGE_SIZE: page_no * PAGE_SIZE]

st.header("Programmes")
for card in cards:
    with st.container(border=True, key=f"card_{card.programme_id}"):
        head, status = st.columns([3, 2])
        head.subheader(card.programme_name)
        head.markdown(f"{card.kind} · {card.legal_basis or 'no legal basis recorded'} · {card.status}")
        with status:
            blocks.status_tag(card.rag)
        st.markdown(f"**Overall status {card.rag}:** " + "; ".join(card.rag_reasons))
        st.markdown("**Parties:** " + "; ".join(card.parties))
        a, b, c, d = st.columns(4)
        a.metric("Milestones complete", f"{card.milestones_complete} of {card.milestones_total}",
                 help=(f"Not counting {counted(card.milestones_dropped, 'dropped milestone')}, which will never "
                       "complete." if card.milestones_dropped else None))
        b.metric("Due in next 90 days", card.milestones_due_soon)
        c.metric("Overdue", card.milestones_overdue)
        d.metric("Open high risks", card.high_risks,
                 help="Open risks scoring 10 or more (likelihood × impact): the High and Very high bands.")
        st.markdown(f"**Ofsted (supported council):** {card.ofsted} — {card.ofsted_direction}")
        st.markdown(f"**No detriment:** {card.no_detriment}")
        st.markdown(f"**Savings:** {card.savings}")
        if card.status == "closed":
            st.markdown("**Next key dates:** none — programme closed")
        else:
            st.markdown("**Next key dates:** " + ("; ".join(card.next_dates) or "none scheduled"))
        # One link a line: in four columns the programme's name was cut off.
        for path, label in [("pages/action_plan.py", "Action plan"), ("pages/no_detriment.py", "No-detriment"),
                            ("pages/savings.py", "Savings"), ("pages/ofsted.py", "Ofsted")]:
            if path in ctx.linkable:
                st.page_link(path, label=f"{label} for {card.programme_name}",
                             query_params={"programme": card.programme_id})

with st.expander("How the overall status is worked out"):
    for rag, rule in RAG_RULES:
        st.markdown(f"- **{rag}:** {rule}")
