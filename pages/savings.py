"""Savings: planned, forecast and delivered by year, work stream, category and council; cumulative;
a waterfall from planned to delivered; who pays what of the shared posts; the source of every figure."""
from functools import partial

import streamlit as st

from monitor.formatting import counted, format_money, format_pounds
from monitor.savings.export import ledger_xlsx
from monitor.savings.facts import SOURCE
from monitor.savings.ledger import describe_source, label_ledger
from monitor.savings.view import FILTERS, build_cost_shares, build_view, build_waterfall, filter_choices
from monitor.sources.links import cited_sources
from monitor.text import plain
from ui import blocks
from ui.data import query, read_ahead, shared
from ui.facts import facts_of, facts_reads
from ui.setup import page_setup
from ui.sources import REFERENCES, source_link, source_links, source_references, target


def savings_ledger(programme_id: str):
    """The programme's ledger (labelled), cost shares and filter choices, once per data version."""
    ledger = label_ledger(query("savings/by_programme", programme_id=programme_id))
    shares = query("savings/cost_shares_by_programme", programme_id=programme_id)
    return ledger, shares, filter_choices(ledger, shares)


def savings_view(programme_id: str, name: str, filters: tuple):
    return build_view(shared(savings_ledger, programme_id)[0], dict(filters), name)


def savings_cost_shares(programme_id: str, name: str, years: tuple):
    return build_cost_shares(shared(savings_ledger, programme_id)[1], list(years), name)


def savings_waterfall(programme_id: str, name: str, filters: tuple, year: str):
    return build_waterfall(shared(savings_view, programme_id, name, filters).shown, year)


ctx = page_setup(__file__)
MONEY = st.column_config.NumberColumn(format="£%,.0f")
programmes = ctx.visible_programmes(when_none="You are not registered for any programme. Ask an administrator to add you.")
programme = blocks.programme_picker(programmes)
# The ledger, the cost shares, the headline facts' rows and the sources' references, asked for at once.
one = {"programme_id": programme}
read_ahead({"ledger": ("savings/by_programme", one), "shares": ("savings/cost_shares_by_programme", one)},
           facts_reads(programme, "savings"), REFERENCES)
name = programmes.set_index("programme_id").loc[programme, "programme_name"]
ledger, shares, choices = shared(savings_ledger, programme)
headline = facts_of(programme, "savings")
origin = headline.origin(SOURCE)
chosen_years: list[str] = []

st.header("Planned, forecast and delivered")
if ledger.empty:
    st.info(f"No savings are recorded for {plain(name)}.", icon=":material/info:")
else:
    blocks.headline(headline, "savings_delivered")
    st.markdown("Filter the savings (an empty filter means all). The filters are kept in the page's "
                "address, so a link reproduces this view.")
    filters = {}
    cols = st.columns(3)
    for i, (column, label, param) in enumerate(FILTERS):
        with cols[i % 3]:
            filters[column] = blocks.url_multiselect(label, choices[column], param=param)
    chosen_years = filters["financial_year"]
    key = tuple((k, tuple(v)) for k, v in filters.items())
    view = shared(savings_view, programme, name, key)
    st.markdown(f"**{len(view.every) if view else 0} of {counted(len(ledger), 'savings row')}** shown for {plain(name)}.")

    if view is None:
        st.warning("No savings match these filters. Clear a filter to see more.")
    else:
        shown, total = view.every, view.total
        if view.income_sentence:
            st.info(plain(view.income_sentence), icon=":material/info:")
        named = cited_sources(shown["source"])
        if named:  # one click from the figures to the passage they come from, highlighted
            st.markdown("**Where these figures come from:** " + source_links(named))
        blocks.illustrative_notice(shown["source"], what="savings rows")  # every row listed, income too
        if view.has_savings:
            a, b, c, d = st.columns(4)
            a.metric("Planned", format_money(total["planned_gbp"]))
            b.metric("Forecast", format_money(total["forecast_gbp"]))
            c.metric("Delivered", format_money(total["delivered_gbp"]) if total["rows_reported"] else "not yet reported")
            d.metric("Delivered against plan to date",
                     f"{total['delivered_pct']:.0f}%" if total["rows_reported"] else "–",
                     help="Delivered divided by planned, over the rows with a delivered figure (like for like).")
            st.markdown(view.illustrative_sentence)
            if view.problems:
                st.error("**The totals do not reconcile with the ledger:** " + plain("; ".join(view.problems)))
            else:
                st.success(plain(view.reconciled), icon=":material/check_circle:")

            st.subheader("By financial year, and cumulative since the programme began")
            blocks.chart(*view.by_year, key="by_year", file_name=f"savings_by_year_{programme}.csv", origin=origin)
            st.subheader("By work stream")
            blocks.chart(*view.by_workstream, key="by_workstream", file_name=f"savings_by_workstream_{programme}.csv",
                         origin=origin)
            st.subheader("By council")
            blocks.chart(*view.by_council, key="by_council", file_name=f"savings_by_council_{programme}.csv",
                         origin=origin)
            st.subheader("By category, cashable and recurring")
            blocks.table(view.breakdown, key="breakdown", file_name=f"savings_by_category_{programme}.csv",
                         origin=origin)

            st.subheader("From planned to delivered in one year")
            year = blocks.url_select("Year for the waterfall", view.years, param="waterfall_year",
                                     default=view.reported_years[-1] if view.reported_years else view.years[-1])
            blocks.chart(*shared(savings_waterfall, programme, name, key, year), key="waterfall",
                         file_name=f"savings_waterfall_{programme}_{year.replace('/', '-')}.csv", origin=origin)

        st.subheader("Savings ledger")
        st.markdown("Every row with its source. Pounds in full; the CSV and the Excel file hold the same rows.")
        blocks.table(view.ledger_table, key="ledger", file_name=f"savings_ledger_{programme}.csv", origin=origin,
                     column_config={c: MONEY for c in ("Planned (£)", "Forecast (£)", "Delivered (£)")})
        # Made when the button is clicked (in another thread, later): what it needs is bound now.
        st.download_button("Download the ledger as Excel", partial(ledger_xlsx, shown, title=f"Savings ledger: {name}",
                                                                   origin=origin, references=source_references()),
                           file_name=f"savings_ledger_{programme}.xlsx", key="ledger_xlsx", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/download:")

        st.subheader("Where a figure comes from")
        labels = view.trace_labels
        picked = st.selectbox("Choose a savings figure to see its source", list(labels), index=None,
                              format_func=labels.get, placeholder="Choose a row of the ledger", key="trace")
        if picked:
            row = shown.set_index("saving_id").loc[picked]
            cited = target(row["source"])
            st.markdown(f"**{plain(labels[picked])}**\n\n"
                        f"- Planned {format_pounds(row['planned_gbp'])}, forecast {format_pounds(row['forecast_gbp'])}, "
                        f"delivered {format_pounds(row['delivered_gbp']) if row['delivered_gbp'] == row['delivered_gbp'] else 'not yet reported'}\n"
                        f"- {row['cashable']}, {row['recurring'].lower()}\n"
                        f"- **Source:** {plain(describe_source(row['source'], query('about/data_sources')))}\n"
                        f"- As recorded in the ledger: {source_link(row['source'])}"
                        + (" (opens the cited passage, highlighted)" if cited.in_app else
                           " (opens the publisher's page)" if cited.url else ""))

st.header("Cost shares")
if shares.empty:
    st.info(f"No shared posts or costs are recorded for {plain(name)}.", icon=":material/info:")
else:
    costs = shared(savings_cost_shares, programme, name, tuple(chosen_years))
    if costs.chart is None:
        st.markdown(plain(f"No cost shares are recorded{costs.scope}."))
    else:
        st.markdown(plain("Who pays what of the shared posts and costs" + costs.scope + ":"))
        for sentence in costs.sentences:
            st.markdown(f"- {sentence}")
        blocks.illustrative_notice(costs.rows["Source"], what="cost-share rows")
        blocks.chart(*costs.chart, key="cost_shares", file_name=f"cost_shares_{programme}.csv", origin=origin)
        blocks.table(costs.rows, key="cost_share_rows", file_name=f"cost_share_rows_{programme}.csv", origin=origin,
                     column_config={"Amount (£)": MONEY, "Share (%)": st.column_config.NumberColumn(format="%g%%")})
