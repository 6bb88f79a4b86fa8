"""Overview: one card per programme — how it is doing, and a click through to the detail — and the
headline figures of every programme as one table, both from the same facts."""
import streamlit as st

from monitor.clock import today
from monitor.formatting import counted, format_date
from monitor.milestones.facts import DUE_SOON_DAYS
from monitor.overview.facts import RAG_RULES
from monitor.overview.view import build_view, filter_programmes
from monitor.risks.rules import HIGH_SCORE
from ui import blocks
from ui.data import query, shared_by
from ui.setup import page_setup

ctx = page_setup(__file__)
day = today()
# Five cards a page (a card is half a screen); the table above the cards lists every programme, so
# the page draws the same whether the database holds five programmes or four hundred.
PAGE_SIZE = 5


def overview(programme_ids: tuple[str, ...], on):
    """The cards and headline table of the given programmes (kept per data version and shared
    read-only: at national scale this runs SPC on a thousand indicators)."""
    chosen = query("programmes/all")
    chosen = chosen[chosen["programme_id"].isin(programme_ids)]
    return build_view(chosen, query("programmes/parties"), on,
                      milestones=query("milestones/all"),
                      milestone_snapshots=query("milestones/snapshots_at_close", today=on),
                      risks=query("risks/all"), risk_snapshots=query("risks/snapshots_at_close", today=on),
                      savings=query("savings/all"), no_detriment_values=query("no_detriment/values"),
                      grades=query("ofsted/supported_council_overall_grades"), key_dates=query("calendar/key_dates"))


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
        blocks.table(view.table, key="headline_figures", file_name=f"headline-figures-{day.isoformat()}.csv")

pages = max(1, -(-len(cards) // PAGE_SIZE))
page_no = int(blocks.url_select("Cards page", [str(i) for i in range(1, pages + 1)], param="page",
                                format_func=lambda i: f"Page {i} of {pages}")) if pages > 1 else 1

st.header("Programmes")
for card in cards[(page_no - 1) * PAGE_SIZE: page_no * PAGE_SIZE]:
    f = card.facts
    with st.container(border=True, key=f"card_{f.programme_id}"):
        head, status = st.columns([3, 2])
        head.subheader(f.programme_name)
        head.markdown(f"{f.kind} · {card.legal_basis or 'no legal basis recorded'} · {f.status}")
        with status:
            blocks.status_tag(f.rag)
        st.markdown(f"**Overall status {f.rag}:** " + "; ".join(f.rag_reasons))
        st.markdown("**Parties:** " + "; ".join(card.parties))
        if f.closed_on:
            st.caption(f"Figures as at the programme's close on {format_date(f.closed_on)} "
                       f"({f.milestones.basis}).")
        a, b, c, d = st.columns(4)
        a.metric("Milestones complete", f.milestones.complete_of,
                 help=(f"Not counting {counted(f.milestones.dropped, 'dropped milestone')}, which will never "
                       "complete." if f.milestones.dropped else None))
        b.metric(f"Due in next {DUE_SOON_DAYS} days", f.milestones.due_soon)
        c.metric("Overdue", f.milestones.overdue_text,
                 help=(f"{counted(f.milestones.open_at_close, 'milestone')} not delivered when the programme "
                       "closed; nothing counts as overdue after a programme has closed." if f.closed_on else None))
        d.metric("Open high risks", f.risks.high,
                 help=f"Open risks scoring {HIGH_SCORE} or more (likelihood × impact): the High and Very high bands.")
        st.markdown(f"**Ofsted (supported council):** {f.ofsted.latest} — {f.ofsted.direction_text}")
        st.markdown(f"**No detriment:** {f.no_detriment.sentence()}")
        st.markdown(f"**Savings:** {f.savings.sentence()}")
        if f.closed_on:
            st.markdown("**Next key dates:** none — programme closed")
        else:
            st.markdown("**Next key dates:** " + ("; ".join(f.key_dates.lines()) or "none scheduled"))
        # One link a line: in four columns the programme's name was cut off.
        for path, label in [("pages/action_plan.py", "Action plan"), ("pages/no_detriment.py", "No-detriment"),
                            ("pages/savings.py", "Savings"), ("pages/ofsted.py", "Ofsted")]:
            if path in ctx.linkable:
                st.page_link(path, label=f"{label} for {f.programme_name}",
                             query_params={"programme": f.programme_id})

with st.expander("How the overall status is worked out"):
    for rag, rule in RAG_RULES:
        st.markdown(f"- **{rag}:** {rule}")
