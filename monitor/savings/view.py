"""Everything the Savings page draws for one programme and one set of filters, computed at once by
`build_view` (the waterfall by `build_waterfall`, the cost shares by `build_cost_shares`) so the
page can keep it per data version and a rerun only draws."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from monitor.formatting import counted, format_money, format_pounds
from monitor.savings.charts import breakdown_figure, cost_share_figure, waterfall_figure, year_figure
from monitor.savings.export import ledger_table, readable
from monitor.savings.facts import INCOME, kind_of
from monitor.savings.ledger import (
    aggregate,
    breakdown,
    by_year,
    cost_share_sentences,
    cost_share_summary,
    filter_ledger,
    illustrative_sentence,
    illustrative_share,
    options,
    reconcile,
    totals,
    trace_label,
    waterfall_sentence,
    waterfall_steps,
)

FILTERS = [("financial_year", "Financial year", "year"), ("workstream", "Work stream", "workstream"),
           ("category", "Category", "category"), ("council", "Council", "council"),
           ("cashable", "Cashable or not", "cashable"), ("recurring", "One-off or recurring", "recurring")]

Chart = tuple[go.Figure, str, pd.DataFrame]  # figure, one-line summary, the table it shows


def filter_choices(ledger: pd.DataFrame, shares: pd.DataFrame) -> dict[str, list]:
    """The values each filter offers (the year filters the cost shares too)."""
    choices = {column: options(ledger, column) for column, _, _ in FILTERS}
    choices["financial_year"] = sorted(set(choices["financial_year"]) | set(shares["financial_year"]))
    return choices


@dataclass(frozen=True)
class SavingsView:
    shown: pd.DataFrame
    total: dict
    illustrative_sentence: str
    problems: list[str]
    reconciled: str                 # the sentence when the totals reconcile
    by_year: Chart | None           # None when the rows in view are all income
    by_workstream: Chart | None
    by_council: Chart | None
    breakdown: pd.DataFrame
    years: list[str]                # financial years in view, and those with a delivered figure
    reported_years: list[str]
    ledger_table: pd.DataFrame
    trace_labels: dict[str, str]
    income_sentence: str | None = None
    every: pd.DataFrame | None = None   # the ledger's rows in view: the savings and any income rows

    @property
    def has_savings(self) -> bool:
        return not self.shown.empty


def build_view(ledger: pd.DataFrame, filters: dict[str, list], name: str) -> SavingsView | None:
    """The page for these filters (None when no row matches)."""
    every = filter_ledger(ledger, **filters)
    # Income (cost recovery) is not a saving: listed in the ledger, said apart, never in a total.
    is_income = kind_of(every).eq(INCOME) if len(every) else pd.Series(False, index=every.index)
    shown, income = every.loc[~is_income], every.loc[is_income]
    if every.empty:
        return None
    if shown.empty:  # income only (Hampshire's cost recovery): no savings to total, the rows still listed
        return SavingsView(shown=shown, total=totals(shown), illustrative_sentence="", problems=[], reconciled="",
                           by_year=None, by_workstream=None, by_council=None, breakdown=shown, years=[],
                           reported_years=[], ledger_table=ledger_table(every),
                           trace_labels=trace_labels(every), income_sentence=income_sentence(income), every=every)
    total = totals(shown)
    illustrative, planned = illustrative_share(shown)
    all_years = filter_ledger(ledger, **{k: v for k, v in filters.items() if k != "financial_year"})
    yearly = by_year(all_years.loc[kind_of(all_years).ne(INCOME)], filters.get("financial_year") or [])
    by_workstream, by_council = aggregate(shown, "workstream"), aggregate(shown, "council")
    by_category = aggregate(shown, "category")
    # The last year with a cumulative delivered figure, read from the arrays (no frame of them).
    running = yearly["cumulative_delivered_gbp"].to_numpy()
    last = np.flatnonzero(~np.isnan(running))
    cumulative = (f"; by {yearly['financial_year'].iloc[last[-1]]}, {format_money(running[last[-1]])} "
                  "delivered since the programme began" if len(last) else "")
    year_summary = (f"Delivered {format_money(total['delivered_gbp'])} against {format_money(total['planned_to_date_gbp'])} "
                    f"planned for the years reported so far ({format_money(total['planned_gbp'])} planned over all "
                    f"{counted(len(yearly), 'year')}){cumulative}." if total["rows_reported"] else
                    f"{format_money(total['planned_gbp'])} planned over {counted(len(yearly), 'year')}; nothing delivered is "
                    "reported yet.")
    # The largest work stream: the first of a sort of its planned column alone (the frame's RangeIndex
    # is the row's position), as sorting the whole frame orders it.
    best = by_workstream.iloc[by_workstream["planned_gbp"].sort_values(ascending=False).index[0]]
    years = options(shown, "financial_year")
    delivered = set(shown["financial_year"].to_numpy()[shown["delivered_gbp"].notna().to_numpy()])
    return SavingsView(
        shown=shown, total=total, illustrative_sentence=illustrative_sentence(illustrative, planned),
        problems=reconcile(shown, yearly, by_workstream, by_council, by_category),
        reconciled=(f"Totals reconcile: every chart and table below adds up to the {len(shown):,} ledger rows "
                    f"(planned {format_pounds(total['planned_gbp'])}, delivered {format_pounds(total['delivered_gbp'])})."),
        by_year=(year_figure(yearly, f"Savings by financial year, {name}"), year_summary, readable(yearly)),
        by_workstream=(breakdown_figure(by_workstream, "workstream", "Planned, forecast and delivered by work stream"),
                       f"{counted(len(by_workstream), 'work stream')}; the largest, {best['workstream']}, planned "
                       f"{format_money(best['planned_gbp'])}.", readable(by_workstream)),
        by_council=(breakdown_figure(by_council, "council", "Planned, forecast and delivered by council"),
                    "; ".join(f"{r.council}: {format_money(r.delivered_gbp)} delivered of {format_money(r.planned_gbp)} "
                              "planned" for r in by_council.itertuples()) + ".", readable(by_council)),
        breakdown=readable(breakdown(shown)),
        years=years, reported_years=[y for y in years if y in delivered],
        ledger_table=ledger_table(every), trace_labels=trace_labels(every),
        income_sentence=income_sentence(income), every=every)


TRACED = ("saving_id", "financial_year", "council", "workstream", "category", "planned_gbp", "delivered_gbp")


def trace_labels(every: pd.DataFrame) -> dict[str, str]:
    """Each row's label in the 'trace a figure' picker, from the columns trace_label reads (itertuples
    over every column of the ledger costs about 1 ms)."""
    columns = [every[c].tolist() for c in TRACED]
    return {row["saving_id"]: trace_label(row) for row in (dict(zip(TRACED, values)) for values in zip(*columns))}


def income_sentence(income: pd.DataFrame) -> str | None:
    """Income rows in view, said apart from the savings (None when there are none)."""
    if income.empty:
        return None
    delivered = income["delivered_gbp"].sum(min_count=1)
    got = (f"{format_money(delivered)} received" if delivered == delivered else "nothing received reported yet")
    return (f"Also in the ledger: {counted(len(income), 'income row')} ({got}; {', '.join(sorted(set(income['category'])))}). "
            "Income recovers a council's costs and is not a saving: it is in no savings total or chart on this page.")


def build_waterfall(shown: pd.DataFrame, year: str) -> Chart:
    steps = waterfall_steps(shown, year)
    return (waterfall_figure(steps, f"{year}: planned to {steps.attrs['target'].lower()} by work stream"),
            waterfall_sentence(steps, year), readable(steps))


@dataclass(frozen=True)
class CostShareView:
    scope: str                      # " in 2024/25, 2025/26" when years are chosen, else ""
    sentences: list[str]            # who pays what, one sentence per cost item
    chart: Chart | None             # None when no cost share is recorded in the chosen years
    rows: pd.DataFrame              # the cost-share rows, with the page's column names


def build_cost_shares(shares: pd.DataFrame, years: list[str], name: str) -> CostShareView:
    """The cost-share section for the financial years chosen in the page's filter (all when none)."""
    shown = shares[shares["financial_year"].isin(years)] if years else shares
    scope = f" in {', '.join(years)}" if years else ""
    rows = shown[["cost_item", "council_name", "financial_year", "share_pct", "amount_gbp", "source"]].rename(
        columns={"cost_item": "Cost item", "council_name": "Council", "financial_year": "Financial year",
                 "share_pct": "Share (%)", "amount_gbp": "Amount (£)", "source": "Source"})
    if shown.empty:
        return CostShareView(scope, [], None, rows)
    chart = (cost_share_figure(shown, f"Shared costs borne by each council, {name}"),
             f"{format_money(shown['amount_gbp'].sum())} of shared costs over "
             f"{counted(shown['financial_year'].nunique(), 'year')}, split between "
             f"{counted(shown['council_name'].nunique(), 'council')}.",
             readable(cost_share_summary(shown)))
    return CostShareView(scope, cost_share_sentences(shown), chart, rows)
