"""Savings: planned, forecast and delivered by year, work stream, category and council; cumulative;
a waterfall from planned to delivered; who pays what of the shared posts; the source of every figure."""
import streamlit as st

from monitor import savings as sv
from monitor.formatting import format_money, format_pounds
from ui import blocks
from ui.data import query
from ui.setup import page_setup

ctx = page_setup(__file__)
MONEY = st.column_config.NumberColumn(format="£%,.0f")

programmes = ctx.visible_programmes(when_none="You are not registered for any programme. Ask an administrator to add you.")
programme = blocks.programme_picker(programmes)
name = programmes.set_index("programme_id").loc[programme, "programme_name"]
ledger = sv.label_ledger(query("savings_by_programme", programme_id=programme))
shares = query("cost_shares_by_programme", programme_id=programme)
chosen_years: list[str] = []

st.header("Planned, forecast and delivered")
if ledger.empty:
    st.info(f"No savings are recorded for {name}.", icon=":material/info:")
else:
    st.markdown("Filter the savings (an empty filter means all). The filters are kept in the page's "
                "address, so a link reproduces this view.")
    filters = {}
    cols = st.columns(3)
    for i, (column, label, param) in enumerate([
            ("financial_year", "Financial year", "year"), ("workstream", "Work stream", "workstream"),
            ("category", "Category", "category"), ("council", "Council", "council"),
            ("cashable", "Cashable or not", "cashable"), ("recurring", "One-off or recurring", "recurring")]):
        with cols[i % 3]:
            choices = sv.options(ledger, column)
            if column == "financial_year":  # the year filters the cost shares too
                choices = sorted(set(choices) | set(shares["financial_year"]))
            filters[column] = blocks.url_multiselect(label, choices, param=param)
    chosen_years = filters["financial_year"]
    shown = sv.filter_ledger(ledger, **filters)
    st.markdown(f"**{len(shown)} of {len(ledger)} savings rows** shown for {name}.")

    if shown.empty:
        st.warning("No savings match these filters. Clear a filter to see more.")
    else:
        total = sv.totals(shown)
        a, b, c, d = st.columns(4)
        a.metric("Planned", format_money(total["planned_gbp"]))
        b.metric("Forecast", format_money(total["forecast_gbp"]))
        c.metric("Delivered", format_money(total["delivered_gbp"]) if total["rows_reported"] else "not yet reported")
        d.metric("Delivered against plan to date",
                 f"{total['delivered_pct']:.0f}%" if total["rows_reported"] else "–",
                 help="Delivered divided by planned, over the rows with a delivered figure (like for like).")
        illustrative, planned = sv.illustrative_share(shown)
        st.markdown(sv.illustrative_sentence(illustrative, planned))
        blocks.illustrative_notice(shown["source"], what="savings rows")

        not_year = {k: v for k, v in filters.items() if k != "financial_year"}
        yearly = sv.by_year(sv.filter_ledger(ledger, **not_year), chosen_years)
        by_workstream = sv.aggregate(shown, "workstream")
        by_council = sv.aggregate(shown, "council")
        by_category = sv.aggregate(shown, "category")
        problems = sv.reconcile(shown, yearly, by_workstream, by_council, by_category)
        if problems:
            st.error("**The totals do not reconcile with the ledger:** " + "; ".join(problems))
        else:
            st.success(f"Totals reconcile: every chart and table below adds up to the {len(shown)} ledger rows "
                       f"(planned {format_pounds(total['planned_gbp'])}, delivered "
                       f"{format_pounds(total['delivered_gbp'])}).", icon=":material/check_circle:")

        st.subheader("By financial year, and cumulative since the programme began")
        last = yearly.dropna(subset=["cumulative_delivered_gbp"])
        cumulative = (f"; by {last['financial_year'].iloc[-1]}, {format_money(last['cumulative_delivered_gbp'].iloc[-1])} "
                      "delivered since the programme began" if len(last) else "")
        blocks.chart(sv.year_figure(yearly, f"Savings by financial year, {name}"),
                     (f"Delivered {format_money(total['delivered_gbp'])} against {format_money(total['planned_to_date_gbp'])} "
                      f"planned for the years reported so far ({format_money(total['planned_gbp'])} planned over all "
                      f"{len(yearly)} year(s)){cumulative}." if total["rows_reported"] else
                      f"{format_money(total['planned_gbp'])} planned over {len(yearly)} year(s); nothing delivered is reported yet."),
                     sv.readable(yearly), key="by_year", file_name=f"savings_by_year_{programme}.csv")

        st.subheader("By work stream")
        best = by_workstream.sort_values("planned_gbp", ascending=False).iloc[0]
        blocks.chart(sv.breakdown_figure(by_workstream, "workstream", "Planned, forecast and delivered by work stream"),
                     f"{len(by_workstream)} work stream(s); the largest, {best['workstream']}, planned "
                     f"{format_money(best['planned_gbp'])}.", sv.readable(by_workstream), key="by_workstream",
                     file_name=f"savings_by_workstream_{programme}.csv")

        st.subheader("By council")
        blocks.chart(sv.breakdown_figure(by_council, "council", "Planned, forecast and delivered by council"),
                     "; ".join(f"{r.council}: {format_money(r.delivered_gbp)} delivered of {format_money(r.planned_gbp)} planned"
                               for r in by_council.itertuples()) + ".",
                     sv.readable(by_council), key="by_council", file_name=f"savings_by_council_{programme}.csv")

        st.subheader("By category, cashable and recurring")
        breakdown = sv.breakdown(shown)
        blocks.table(sv.readable(breakdown), key="breakdown", file_name=f"savings_by_category_{programme}.csv")

        st.subheader("From planned to delivered in one year")
        years = sv.options(shown, "financial_year")
        reported = [y for y in years if shown.loc[shown["financial_year"] == y, "delivered_gbp"].notna().any()]
        year = blocks.url_select("Year for the waterfall", years, param="waterfall_year",
                                 default=reported[-1] if reported else years[-1])
        steps = sv.waterfall_steps(shown, year)
        blocks.chart(sv.waterfall_figure(steps, f"{year}: planned to {steps.attrs['target'].lower()} by work stream"),
                     sv.waterfall_sentence(steps, year), sv.readable(steps), key="waterfall", file_name=f"savings_waterfall_{programme}_{year.replace('/', '-')}.csv")

        st.subheader("Savings ledger")
        st.markdown("Every row with its source. Pounds in full; the CSV and the Excel file hold the same rows.")
        blocks.table(sv.ledger_table(shown), key="ledger", file_name=f"savings_ledger_{programme}.csv",
                     column_config={c: MONEY for c in ("Planned (£)", "Forecast (£)", "Delivered (£)")})
        st.download_button("Download the ledger as Excel", sv.ledger_xlsx(shown, title=f"Savings ledger: {name}"),
                           file_name=f"savings_ledger_{programme}.xlsx", key="ledger_xlsx", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/download:")

        st.subheader("Where a figure comes from")
        labels = {row.saving_id: sv.trace_label(row._asdict()) for row in shown.itertuples()}
        picked = st.selectbox("Choose a savings figure to see its source", list(labels), index=None,
                              format_func=labels.get, placeholder="Choose a row of the ledger", key="trace")
        if picked:
            row = shown.set_index("saving_id").loc[picked]
            st.markdown(f"**{labels[picked]}**\n\n"
                        f"- Planned {format_pounds(row['planned_gbp'])}, forecast {format_pounds(row['forecast_gbp'])}, "
                        f"delivered {format_pounds(row['delivered_gbp']) if row['delivered_gbp'] == row['delivered_gbp'] else 'not yet reported'}\n"
                        f"- {row['cashable']}, {row['recurring'].lower()}\n"
                        f"- **Source:** {sv.describe_source(row['source'], query('data_sources'))}\n"
                        f"- As recorded in the ledger: “{row['source']}”")

st.header("Cost shares")
if shares.empty:
    st.info(f"No shared posts or costs are recorded for {name}.", icon=":material/info:")
else:
    shown_shares = shares[shares["financial_year"].isin(chosen_years)] if chosen_years else shares
    scope = f" in {', '.join(chosen_years)}" if chosen_years else ""
    if shown_shares.empty:
        st.markdown(f"No cost shares are recorded{scope}.")
    else:
        st.markdown("Who pays what of the shared posts and costs" + scope + ":")
        for sentence in sv.cost_share_sentences(shown_shares):
            st.markdown(f"- {sentence}")
        blocks.illustrative_notice(shown_shares["source"], what="cost-share rows")
        blocks.chart(sv.cost_share_figure(shown_shares, f"Shared costs borne by each council, {name}"),
                     f"{format_money(shown_shares['amount_gbp'].sum())} of shared costs over "
                     f"{shown_shares['financial_year'].nunique()} year(s), split between "
                     f"{shown_shares['council_name'].nunique()} councils.",
                     sv.readable(sv.cost_share_summary(shown_shares)), key="cost_shares", file_name=f"cost_shares_{programme}.csv")
        table = shown_shares[["cost_item", "council_name", "financial_year", "share_pct", "amount_gbp", "source"]].rename(
            columns={"cost_item": "Cost item", "council_name": "Council", "financial_year": "Financial year",
                     "share_pct": "Share (%)", "amount_gbp": "Amount (£)", "source": "Source"})
        blocks.table(table, key="cost_share_rows", file_name=f"cost_share_rows_{programme}.csv",
                     column_config={"Amount (£)": MONEY, "Share (%)": st.column_config.NumberColumn(format="%g%%")})
