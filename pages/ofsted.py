"""Ofsted: where a council stands with Ofsted, how it got there and how it compares; and the
intervention timeline of the selected programme."""
import datetime as dt

import streamlit as st

from monitor import clock
from monitor.loaders.frameworks import Frameworks
from monitor.ofsted.facts import SOURCE, TIMELINE_SOURCE
from monitor.ofsted.councils import MAX_COMPARE, STAT_NEIGHBOURS, compare_codes, default_council, opening_council
from monitor.ofsted.timeline import intervention_events, timeline_figure, timeline_summary, timeline_table
from monitor.ofsted.view import build_grids, build_trajectory, council_choices, council_header
from monitor.text import plain
from monitor.tidy import Origin
from ui import blocks
from ui.data import query, read_ahead, shared
from ui.setup import page_setup
from ui.sources import REFERENCES, source_link


# What the page's views read whatever the council and programme, asked for at once with the sources'
# references (ui.data.read_ahead): read one after another as each view needed them, a cold page
# waited for ten queries in a row. A view reading another query still works; it reads it alone.
READS = ("ofsted/councils", "ofsted/inspections", "ofsted/judgements", "ofsted/frameworks", "ofsted/latest_overall",
         "ofsted/statistical_neighbours", "ofsted/comparators", "ofsted/interventions", "programmes/parties")
# The intervention timeline's own, once the programme is known.
TIMELINE_READS = ("ofsted/timeline_reports", "ofsted/timeline_milestones")


def council_choices_now():
    return council_choices(query("ofsted/councils"), query("ofsted/inspections"))


def frameworks_now() -> Frameworks:
    """Ofsted's framework versions and the areas each grades, as the database holds them."""
    return Frameworks.from_rows(query("ofsted/frameworks"))


def judgement_grids(codes: tuple[str, ...]):
    return build_grids(query("ofsted/inspections"), query("ofsted/judgements"), list(codes),
                       shared(council_choices_now).names, shared(frameworks_now))


def programme_comparators(programme_id: str | None):
    """The councils the programme's Ofsted view sets beside its supported council (from data)."""
    found = query("ofsted/comparators")
    return found[found["programme_id"] == programme_id].reset_index(drop=True)


def council_now(code: str):
    return council_header(query("ofsted/councils"), query("ofsted/inspections"), code)


def programme_council(programme_id: str | None) -> str | None:
    return default_council(query("programmes/parties"), programme_id)


def compared_codes(chosen: tuple[str, ...], code: str) -> list[str]:
    return compare_codes(list(chosen), query("ofsted/statistical_neighbours"), code)


def has_neighbours(code: str) -> bool:
    neighbours = query("ofsted/statistical_neighbours")
    return not neighbours[neighbours["ons_code"] == code].empty


def council_trajectory(code: str, name: str, programme_id: str | None, beside: tuple[str, ...]):
    comparators = programme_comparators(programme_id)
    return build_trajectory(query("ofsted/inspections"), query("ofsted/judgements"),
                            query("ofsted/statistical_neighbours"), query("ofsted/latest_overall"),
                            shared(council_choices_now).england, code, name, shared(frameworks_now),
                            comparators[comparators["ons_code"].isin(beside)])


ctx = page_setup(__file__)
today = clock.today()
# The published inspection outcomes as loaded, read today: every download of the page is as at today.
origin, timeline_origin = Origin(SOURCE, today), Origin(TIMELINE_SOURCE, today)

programmes = ctx.visible_programmes()
read_ahead({name: (name, {}) for name in READS}, REFERENCES)
choices = shared(council_choices_now)
labels, names = choices.labels, choices.names

pick_programme, pick_council, pick_compare = st.columns([2, 2, 3])
with pick_programme:
    programme_id = blocks.programme_picker(programmes) if not programmes.empty else None
# A different programme brings its own council: forget the one chosen for the previous programme.
if st.session_state.get("ofsted_programme") not in (None, programme_id):
    st.session_state.pop("url_council", None)
    st.query_params.pop("council", None)
    st.session_state.pop("ofsted_compare", None)
    st.query_params.pop("compare", None)
st.session_state["ofsted_programme"] = programme_id
if programme_id is not None:
    read_ahead({name: (name, {"programme_id": programme_id}) for name in TIMELINE_READS})
programme_default = shared(programme_council, programme_id)
default = opening_council(programme_default, ctx.actor.ons_code, labels)
with pick_council:
    code = blocks.url_select("Council", list(labels), param="council", format_func=labels.get, default=default)
header = shared(council_now, code)
council, name = header.council, header.council["authority_name"]
# The programme's comparator councils (e.g. Hampshire's earlier partnership with the Isle of Wight)
# are set beside its supported council unless the link says otherwise.
comparators = shared(programme_comparators, programme_id)
own_council = code == programme_default

compare_options = [STAT_NEIGHBOURS, *[c for c in choices.childrens_services if c != code]]
with pick_compare:
    if "ofsted_compare" not in st.session_state:
        wanted = st.query_params.get("compare")
        suggested = [c for c in comparators["ons_code"] if own_council]
        st.session_state["ofsted_compare"] = [v for v in (wanted.split(",") if wanted is not None else suggested)
                                              if v in compare_options][:MAX_COMPARE]
    else:
        st.session_state["ofsted_compare"] = [v for v in st.session_state["ofsted_compare"] if v in compare_options]
    chosen = st.multiselect(
        f"Compare with (up to {MAX_COMPARE} councils, or statistical neighbours)", compare_options,
        format_func=lambda c: "Statistical neighbours (DfE's ten)" if c == STAT_NEIGHBOURS else labels[c],
        key="ofsted_compare", max_selections=MAX_COMPARE, placeholder="No comparison")
    if chosen:
        st.query_params["compare"] = ",".join(chosen)
    else:
        st.query_params.pop("compare", None)

st.markdown(header.facts)
for note in header.notes:
    (st.warning if note.level == "warning" else st.info)(plain(note.text), icon=":material/info:")
    if note.link_code and note.link_code in labels and "pages/ofsted.py" in ctx.linkable:
        st.page_link("pages/ofsted.py", label=f"{plain(note.link_label)}: {plain(names[note.link_code])}",
                     query_params={"council": note.link_code, **({"programme": programme_id} if programme_id else {})},
                     icon=":material/arrow_forward:")

# ---- judgement grids --------------------------------------------------------------------------
compared = shared(compared_codes, tuple(chosen), code)
shown = [code, *compared]
if STAT_NEIGHBOURS in chosen and not shared(has_neighbours, code):
    st.markdown(f"{plain(name)} has no statistical neighbours in DfE's 2025 model (only current councils with "
                "children's services do), so there are none to compare with.")
if council["is_childrens_services"] or compared:
    st.markdown("Source: Ofsted's published inspection outcomes (official files, loaded as published). "
                "Grades are Ofsted's; nothing on this page about inspections is illustrative.")
    st.header("Judgement history")
    who = name if not compared else f"{name} and {len(compared)} council{'s' if len(compared) > 1 else ''} compared"
    tables = shared(judgement_grids, tuple(shown)).tables
    if not tables:
        st.markdown(f"No graded inspection of {plain(who)} in the published files.")
    else:
        st.markdown(f"Graded inspections of {plain(who)}, newest first, one table per inspection framework: each "
                    "framework judged different areas, named here as Ofsted named them. A blank cell means that "
                    "judgement was not part of the inspection's framework version (said under each table); before "
                    "2018 Ofsted's file gives the publication date only.")
    notes = shared(judgement_grids, tuple(shown)).notes
    for family, cells in tables:
        st.subheader(family.title)
        st.table(cells, hide_index=True, alt=f"{family.title}: {who}")
        for note in notes.get(family.key, []):  # normal text: a caption's grey fails the contrast check
            st.markdown(f"**Empty cells:** {plain(note)}")
    if tables:
        blocks.download_csv(shared(judgement_grids, tuple(shown)).long, f"ofsted_judgements_{code}.csv", key="grids_csv",
                            origin=origin,
                            label="Download these judgements (CSV)")

# ---- trajectory, visits, context --------------------------------------------------------------
if council["is_childrens_services"]:
    st.header("Trajectory")
    beside = tuple(c for c in comparators["ons_code"] if own_council and c in compared)
    t = shared(council_trajectory, code, name, programme_id, beside)
    if t.latest:
        st.markdown(f"**Latest graded inspection:** {plain(t.latest)}")
    st.markdown("One panel per judgement area, the overall (headline) judgement first, so each grade is compared "
                "with the same judgement before it; an inspection under a framework with no overall judgement "
                "is marked on the first panel, not graded there.")
    for r in t.comparators.itertuples():
        st.markdown(f"**Compared with {plain(r.authority_name)}** (hollow grey markers, dashed line): "
                    f"{plain(r.reason)} Source: {source_link(r.source)}.")
    # The trajectory has a panel per judgement area: full width; the context beside the neighbours below.
    blocks.chart(t.figure, t.summary, t.table, key="trajectory", file_name=f"ofsted_trajectory_{code}.csv",
                 origin=origin)
    left, _ = st.columns([3, 2])
    with left:
        blocks.chart(t.context_figure, t.context_summary, t.distribution, key="context",
                     file_name=f"ofsted_context_{code}.csv", origin=origin)
    if t.neighbours is not None:
        with st.expander(f"{plain(name)}'s statistical neighbours and their latest grades", icon=":material/groups:"):
            st.markdown("DfE's 2025 statistical neighbour model, in its order of closeness — context, not a ranking.")
            blocks.table(t.neighbours, key="neighbours", file_name=f"ofsted_neighbours_{code}.csv", origin=origin)
    else:
        st.markdown(f"{plain(name)} has no statistical neighbours in DfE's 2025 model (only current councils do).")

    st.subheader("Monitoring and focused visits")
    st.markdown(plain(choices.visits_coverage) + " Visits are not graded.")
    if t.visits.empty:
        st.markdown(f"No monitoring or focused visit of {plain(name)} is listed.")
    else:
        blocks.table(t.visits, key="visits", file_name=f"ofsted_visits_{code}.csv", origin=origin,
                     column_config={"Report": st.column_config.LinkColumn("Report", display_text="Ofsted page")})

# ---- intervention timeline --------------------------------------------------------------------
def intervention_timeline(programme_id: str, today: dt.date):
    """The timeline depends on the programme only, not on the council picked above: built once per
    programme and data version (the figure is shared read-only, never mutated)."""
    councils, inspections = query("ofsted/councils"), query("ofsted/inspections")
    programme = query("programmes/all").set_index("programme_id").loc[programme_id]
    programme = programme.copy()
    programme["programme_id"] = programme_id
    subject = default_council(query("programmes/parties"), programme_id)
    cs = subject is not None and bool(councils.set_index("ons_code").at[subject, "is_childrens_services"])
    who = shared(council_choices_now).names.get(subject) if cs else None
    events = intervention_events(
        programme, subject if cs else None, inspections, query("ofsted/judgements"), query("ofsted/interventions"),
        query("ofsted/timeline_reports", programme_id=programme_id),
        query("ofsted/timeline_milestones", programme_id=programme_id), today, shared(frameworks_now))
    figure = timeline_figure(events, programme, who) if not events.empty else None
    return programme, cs, events, figure, timeline_summary(events, programme, who), timeline_table(events)


if programme_id is not None:
    programme, subject_cs, events, figure, summary, table = shared(intervention_timeline, programme_id, today)
    st.header("Intervention timeline")
    if not subject_cs:
        st.markdown(f"The councils of {plain(programme['programme_name'])} have no children's services: no Ofsted "
                    "inspections or DfE intervention belong on its timeline.")
    blocks.illustrative_notice(events["source"].fillna(""), what="timeline events")
    if figure is None:
        st.markdown("No events recorded for this programme.")
    else:
        blocks.chart(figure, summary, table, key="timeline", file_name=f"intervention_timeline_{programme_id}.csv",
                     origin=timeline_origin)
        register = table[table["What"] == "DfE intervention"]
        if not register.empty:
            st.subheader("DfE intervention register")
            st.markdown("Improvement notices, statutory directions (issued, revised, lifted), appointments, reviews "
                        "and revocation, each with its published document where there is one.")
            blocks.table(register.drop(columns="What").reset_index(drop=True), key="register",
                         file_name=f"intervention_register_{programme_id}.csv", origin=timeline_origin,
                         column_config={"Document": st.column_config.LinkColumn("Document",
                                                                                display_text="Published document")})
