"""Calendar: every date that binds the selected programmes — DfE reports, boards, reviews, break and
termination clauses with the last day to give notice — past dates greyed and marked "past",
downloadable as an iCalendar (.ics) file for Outlook."""
import streamlit as st

from monitor import clock
from monitor.calendar.facts import SOURCE
from monitor.calendar.ics import ics_file_name, to_ics
from monitor.calendar.rules import CALENDAR_COLUMNS, KINDS, when_words
from monitor.calendar.view import GREY_UP_TO, build_view, given_styles
from monitor.formatting import counted, format_date
from monitor.text import plain
from monitor.tidy import Origin
from ui import blocks
from ui.data import query, read_ahead, shared
from ui.setup import page_setup
from ui.sources import REFERENCES, link_sources, source_references

SHOW = {"all": "All dates", "upcoming": "Today and after"}
DEADLINES_LISTED = 10  # notice deadlines listed in full; the others are one click away


def ics_download(rows, name: str):
    """What the download button runs when clicked (deferred: 3,000 dates take seconds to write,
    and most reruns never download)."""
    pages = source_references().pages
    return lambda: to_ics(rows, name, pages=pages)


def calendar_view(programme_ids: tuple, *choices):
    """Key dates of these programmes, filtered and drawn (monitor.calendar_view), once per data version."""
    return build_view(query("calendar/key_dates"), programme_ids, *choices)


ctx = page_setup(__file__)
today = clock.today()
# The programmes, their key dates and the sources the dates' links lead to, asked for at once
# (ui.data.read_ahead): read one after another, a cold page waited for each in turn.
read_ahead({"programmes": ("programmes/all", {}), "key_dates": ("calendar/key_dates", {})}, REFERENCES)

programmes = ctx.visible_programmes(when_none="You are not registered for any programme, so there are no key dates to show you.")
names = dict(zip(programmes["programme_id"], programmes["programme_name"]))
left, middle, right = st.columns([3, 2, 2])
with left:
    chosen = blocks.url_multiselect("Programmes", list(names), param="programme", key="calendar_programmes",
                                    format_func=lambda p: names.get(p, p))
with middle:
    kinds = blocks.url_multiselect("Kind of date", list(KINDS), param="date_kind", key="calendar_kinds")
with right:
    show = blocks.url_select("Show", list(SHOW), param="show", key="calendar_show", format_func=SHOW.get)

programme_ids = chosen or list(names)
scope = names[chosen[0]] if len(chosen) == 1 else f"{len(programme_ids)} programmes"
view = shared(calendar_view, tuple(programme_ids), tuple(kinds), show == "upcoming", today, scope)
shown, past, upcoming, deadlines, table = view.shown, view.past, view.upcoming, view.deadlines, view.table
blocks.illustrative_notice(shown["source"], what="key dates")

a, b, c = st.columns(3)
a.metric("Dates shown", f"{len(shown):,} ({int(past.sum()):,} past)")
if upcoming.empty:
    b.metric("Next date", "none scheduled")
else:
    first = upcoming.iloc[0]
    b.metric("Next date", format_date(first["due_date"]), when_words(first["due_date"], today),
             delta_color="off", delta_arrow="off")
c.metric("Break or termination clauses ahead", len(deadlines))

st.header("Notice deadlines")
if deadlines:
    st.markdown("The last day to give notice is the clause date less its notice period in calendar months (the "
                "month's last day where it is shorter); confirm anything contractual with the legal team.")
    # The soonest few as a list; at national scale the rest (90 and more) would bury the Key dates.
    st.markdown("\n".join(f"- {line}" for line in deadlines[:DEADLINES_LISTED]))
    if len(deadlines) > DEADLINES_LISTED:
        with st.expander(f"The other {counted(len(deadlines) - DEADLINES_LISTED, 'notice deadline')}",
                         icon=":material/event_upcoming:"):
            st.markdown("\n".join(f"- {line}" for line in deadlines[DEADLINES_LISTED:]))
else:
    st.markdown(f"No break or termination clause ahead for {plain(scope)}.")

st.header("Key dates")
if shown.empty:
    st.markdown("No key date matches these filters.")
else:
    blocks.chart(view.figure, view.summary, table, key="calendar_timeline",
                 file_name=ics_file_name(scope).replace(".ics", "-timeline.csv"), origin=Origin(SOURCE, today))
    st.markdown(f"**{counted(len(shown), 'date')}**, earliest first. Past dates are greyed and say *past* in the When column; "
                "the next ones say how many days away they are. The .ics file opens in Outlook, Google Calendar and "
                "Apple Calendar: one all-day event per date and one on each last day to give notice, with reminders "
                "28 and 7 days before every notice deadline and DfE report due date; each description names the "
                "programme and links back to this page. Importing it again updates the same events rather than "
                "adding copies.")
    # Each source a link to its passage; the CSV holds the source and its address (ui.sources).
    linked, with_links, source_config = link_sources(table)
    left, right = st.columns(2)
    with left:
        these = "this date" if len(shown) == 1 else f"these {len(shown):,} dates"
        st.download_button(f"Download {these} as an .ics calendar",
                           ics_download(shown, f"Improvement Monitor key dates — {scope}"),
                           file_name=ics_file_name(scope), mime="text/calendar", key="calendar_ics",
                           icon=":material/calendar_add_on:", on_click="ignore")
    with right:
        blocks.download_csv(with_links, ics_file_name(scope).replace(".ics", ".csv"), key="calendar_csv",
                            origin=Origin(SOURCE, today))
    if view.row_styles is not None:  # greyed with the styles made once with the view
        shown_table = linked.style.apply(given_styles, axis=None, styles=view.row_styles)
    else:
        shown_table = linked
        st.markdown(f"With more than {GREY_UP_TO} dates shown, past ones are marked *past* in words but not greyed "
                    "(greying that many rows would slow the page): choose programmes or *Today and after* to see them greyed.")
    columns = [c for c in CALENDAR_COLUMNS if c != "Programme" or len(programme_ids) > 1]
    st.dataframe(shown_table, hide_index=True, width="stretch", column_order=columns,
                 height=38 + 35 * min(len(table), 15),
                 column_config={**source_config, "Title": st.column_config.TextColumn(width="medium"),
                                "Programme": st.column_config.TextColumn(width="medium")})
