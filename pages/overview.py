"""Overview: one card per programme — how it is doing, and a click through to the detail — and the
headline figures of every programme as one table, both from the same facts."""
import streamlit as st

from monitor.clock import today
from monitor.formatting import counted, format_date
from monitor.overview.facts import RAG_RULES, SOURCE
from monitor.overview.headlines import metrics
from monitor.overview.view import build_view, filter_programmes
from monitor.text import plain
from monitor.tidy import Origin
from ui import blocks
from ui.data import query, shared_by
from ui.facts import all_facts, start_all_facts
from ui.setup import page_setup

ctx = page_setup(__file__)
day = today()
start_all_facts()  # read while the filters are drawn: the cards need every programme's facts
# Five cards a page (a card is half a screen); the table above the cards lists every programme, so
# the page draws the same whether the database holds five programmes or four hundred.
PAGE_SIZE = 5


def overview(programme_ids: tuple[str, ...], on):
    """The cards and headline table of the given programmes (kept per data version and shared
    read-only), from the facts every page shares (ui.facts)."""
    chosen = query("programmes/all")
    return build_view(chosen[chosen["programme_id"].isin(programme_ids)], all_facts())


programmes = ctx.visible_programmes()
left, right = st.columns(2)
with left:
    kinds = blocks.url_multiselect("Programme kind", sorted(programmes["kind"].unique()), param="kind")
with right:
    statuses = blocks.url_multiselect("Status", ["active", "proposed", "closed"], param="status")
shown = filter_programmes(programmes, kinds, statuses)

ids = tuple(shown["programme_id"])
# Keyed by Python's own hash of the ids: Streamlit hashing 400 ids cost more than drawing a card.
view = shared_by(("overview", hash(ids), len(ids), day), overview, ids, day)
cards = view.cards
st.markdown(f"**{len(cards):,} of {counted(len(programmes), 'programme')}** shown, as at {format_date(day)}; "
            f"those needing attention first.")
st.info("**Illustrative data:** milestones, savings, risks and key dates of the demo programmes are "
        "illustrative unless their source names a council paper; Ofsted grades and DfE indicators are "
        "the published figures. See *About this data*.", icon=":material/science:")
if not cards:
    st.warning("No programme matches these filters.")
else:
    with st.expander(f"Headline figures of {counted(len(cards), 'programme')}", icon=":material/table:",
                     expanded=len(cards) > PAGE_SIZE):
        blocks.table(view.table, key="headline_figures", file_name=f"headline-figures-{day.isoformat()}.csv",
                     origin=Origin(SOURCE, day))

pages = max(1, -(-len(cards) // PAGE_SIZE))
page_no = int(blocks.url_select("Cards page", [str(i) for i in range(1, pages + 1)], param="page",
                                format_func=lambda i: f"Page {i} of {pages}")) if pages > 1 else 1

st.header("Programmes")
for card in cards[(page_no - 1) * PAGE_SIZE: page_no * PAGE_SIZE]:
    f = card.facts
    with st.container(border=True, key=f"card_{f.programme_id}"):
        head, status = st.columns([3, 2])
        head.subheader(plain(f.programme_name), anchor=False)
        head.markdown(plain(f"{f.kind} · {card.legal_basis or 'no legal basis recorded'} · {f.status}"))
        with status:
            blocks.status_tag(f.rag)
        st.markdown(f"**Overall status {f.rag}:** " + plain("; ".join(f.rag_reasons)))
        st.markdown("**Parties:** " + plain("; ".join(card.parties)))
        if f.parties.any:
            st.markdown("**Councils that end:** " + plain(f.parties.sentence()))
        if f.closed_on:
            st.markdown(f"Figures as at the programme's close on {format_date(f.closed_on)} "
                       f"({f.milestones.basis}).")
        blocks.metric_row(metrics(f, "milestones_complete", "milestones_due_soon", "milestones_overdue",
                                  "open_high_risks"))
        st.markdown("**Ofsted (supported council):** " + plain(f"{f.ofsted.latest} — {f.ofsted.direction_text}"))
        if f.interventions is not None and f.interventions.events:
            st.markdown("**DfE intervention:** " + plain(f.interventions.sentence()))
        st.markdown("**No detriment:** " + plain(f.no_detriment.sentence()))
        st.markdown("**Savings:** " + plain(f.savings.sentence()))
        if f.closed_on:
            st.markdown("**Next key dates:** none — programme closed")
        else:
            st.markdown("**Next key dates:** " + plain("; ".join(f.key_dates.lines()) or "none scheduled"))
        # One link a line: in four columns the programme's name was cut off.
        for path, label in [("pages/action_plan.py", "Action plan"), ("pages/no_detriment.py", "No-detriment"),
                            ("pages/savings.py", "Savings"), ("pages/ofsted.py", "Ofsted")]:
            if path in ctx.linkable:
                st.page_link(path, label=f"{label} for {plain(f.programme_name)}",
                             query_params={"programme": f.programme_id})

with st.expander("How the overall status is worked out"):
    for rag, rule in RAG_RULES:
        st.markdown(f"- **{rag}:** {rule}")
