"""Financial no detriment: for a lending council and each financial year, what the partnership cost
it against what it recovered, from `cost_share` and `saving` — East Sussex's promise (000 para 4.1:
"East Sussex County Council will not suffer any financial detriment"; the shared Chief Executive's
salary split 50/50; West Sussex bears the cost of any additional support).

The rule, stated on the page by :data:`RULE`:

* a **shared post** serves every council that shares it: a council's share up to an equal split pays
  for its own use; any share above an equal split is a cost of the partnership to it;
* a **support cost** (support to a partner) is a cost of the partnership: all of the council's share;
* **recovered**: the council's income that recovers its costs (saving rows of category
  ``income (cost recovery)``), delivered where reported, else forecast, else planned;
* **net cost** = cost − recovered. The verdict uses the indicators' words: *Concern now* when the net
  cost is above zero in the latest year judged; *Earlier concern, since recovered* when it was above
  zero in an earlier year only; *No significant change* when never; *No data since the partnership
  began* when no cost of the council's is recorded for the programme's years.

Judged: the financial years that overlap the programme, from its start to its end (or the as-at date).
Years after the programme closed are shown apart, never judged.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from monitor.formatting import format_date, format_pounds
from monitor.no_detriment.verdicts import (CONCERN_NOW, EARLIER_CONCERN, NO_CHANGE, NO_DATA, SINCE, VERDICTS)
from monitor.no_detriment.wording import _list
from monitor.periods import financial_year_bounds
from monitor.values import as_date

RECOVERY = "income (cost recovery)"
SHARED_POST, SUPPORT_COST = "shared post", "support cost"
JUDGED, AFTER, NOT_BEGUN, BEFORE = ("Judged", "After the programme closed (not judged)", "Not yet begun (not judged)",
                                   "Before the programme began (not judged)")

RULE = (
    "**Financial no detriment:** for each financial year, what the partnership cost the lending council "
    "against what it recovered. A *shared post* serves every council that shares it: a share up to an equal "
    "split pays for the council's own use (the shared Chief Executive's salary split 50/50, 000 para 4.1), "
    "anything above it is a cost of the partnership. All of the council's share of a *support cost* is a "
    "cost. *Recovered* is its income recovering its costs (category \"income (cost recovery)\"), as "
    "delivered, else forecast. *Concern now* when the net cost is above zero in the latest year judged."
)

COLUMNS = ["Financial year", "Part", "Its share of shared posts (£)", "Of which above an equal split (£)",
           "Its share of support costs (£)", "Support costs borne by partners (£)", "Recovered (£)", "Recovered as",
           "Net cost (£)", "Net cost above zero", "Sources"]


@dataclass
class FinancialCheck:
    """The financial no-detriment check of one lending council."""

    council: str
    verdict: str
    sentence: str
    table: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMNS))
    sources: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        word, symbol = VERDICTS[self.verdict]
        return f"{symbol} {word}"

    @property
    def word(self) -> str:
        return VERDICTS[self.verdict][0]

    @property
    def figure_sources(self) -> list[str]:
        """The source of each year's figures (a source once per year it stands behind)."""
        return [s for cell in self.table["Sources"] for s in cell.split("; ") if s]


def _recovered(rows: pd.DataFrame) -> tuple[float, str]:
    """(pounds, as what) of a year's cost-recovery rows: delivered where reported, else forecast, else planned."""
    total, kinds = 0.0, set()
    for r in rows.itertuples(index=False):
        for column in ("delivered_gbp", "forecast_gbp", "planned_gbp"):
            value = getattr(r, column)
            if value is not None and not pd.isna(value):
                total += float(value)
                kinds.add(column.removesuffix("_gbp"))
                break
    return total, " and ".join(sorted(kinds)) if kinds else "–"


def _part(year: str, start, end, as_at) -> str:
    first, last = financial_year_bounds(year)
    if start is not None and last < start:
        return BEFORE
    if end is not None and first > end:
        return AFTER
    if as_at is not None and first > as_at:
        return NOT_BEGUN
    return JUDGED


def year_lines(costs: pd.DataFrame, savings: pd.DataFrame, ons_code: str, *, start=None, end=None,
               as_at=None) -> pd.DataFrame:
    """One row per financial year with a cost share of the council or an income recovering its costs."""
    start, end, as_at = as_date(start), as_date(end), as_date(as_at)
    costs = costs.assign(kind=costs["cost_kind"].fillna(SUPPORT_COST)) if len(costs) else costs
    mine = costs.loc[costs["ons_code"] == ons_code] if len(costs) else costs
    recovery = savings.loc[savings["category"].astype(str).eq(RECOVERY)] if len(savings) else savings
    years = sorted(set(mine["financial_year"].astype(str) if len(mine) else [])
                   | set(recovery["financial_year"].astype(str) if len(recovery) else []))
    rows = []
    for year in years:
        posts = above = support = partners = 0.0
        sources: list[str] = []
        recorded = False
        for item, shares in (costs.loc[costs["financial_year"].astype(str) == year].groupby("cost_item", sort=True)
                             if len(costs) else []):
            own = shares.loc[shares["ons_code"] == ons_code]
            if own.empty:
                continue
            recorded = True
            amount, total = float(own["amount_gbp"].sum()), float(shares["amount_gbp"].sum())
            sources += list(shares["source"])
            if str(own["kind"].iloc[0]) == SHARED_POST:
                posts += amount
                above += max(0.0, amount - total / shares["ons_code"].nunique())
            else:
                support += amount
                partners += total - amount
        got = recovery.loc[recovery["financial_year"].astype(str) == year] if len(recovery) else recovery
        recovered, basis = _recovered(got) if len(got) else (0.0, "–")
        sources += list(got["source"]) if len(got) else []
        # Without a cost share of the council's that year there is no cost to set the income against.
        net = round(above + support - recovered, 2) if recorded else None
        rows.append([year, _part(year, start, end, as_at), posts, above, support, partners, recovered, basis, net,
                     "no cost recorded" if net is None else "yes" if net > 0 else "no",
                     "; ".join(dict.fromkeys(sources))])
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["Net cost (£)"] = table["Net cost (£)"].astype(float)
    return table


def _detail(row: pd.Series) -> str:
    split = "an equal split" if row["Of which above an equal split (£)"] == 0 else (
        f"{format_pounds(row['Of which above an equal split (£)'])} above an equal split")
    basis = f" ({row['Recovered as']})" if row["Recovered (£)"] else ""
    return (f"its share of shared posts {format_pounds(row['Its share of shared posts (£)'])} ({split}), of support "
            f"costs {format_pounds(row['Its share of support costs (£)'])} (its partners bore "
            f"{format_pounds(row['Support costs borne by partners (£)'])}), recovered "
            f"{format_pounds(row['Recovered (£)'])}{basis}; net cost {format_pounds(row['Net cost (£)'])}")


def financial_check(costs: pd.DataFrame, savings: pd.DataFrame, ons_code: str, council: str, *, start=None,
                    end=None, as_at: dt.date | None = None) -> FinancialCheck:
    """The check for one lending council: `costs` the rows of query no_detriment/cost_shares (the
    programme's), `savings` those of no_detriment/savings_of_council; `start`/`end` the programme's
    dates (end: its closing date, if closed); `as_at` the date the years are judged to."""
    table = year_lines(costs, savings, ons_code, start=start, end=end, as_at=as_at)
    sources = sorted({s for cell in table["Sources"] for s in cell.split("; ") if s})
    judged = table.loc[table["Part"] == JUDGED]
    cost_years = set(costs.loc[costs["ons_code"] == ons_code, "financial_year"].astype(str)) if len(costs) else set()
    has_cost = bool(cost_years & set(judged["Financial year"]))
    tail = ""
    after = table.loc[table["Part"] == AFTER, "Financial year"].tolist()
    if after:
        tail = f" ({_list(after)} after the programme closed on {format_date(end)}: not judged)"
    if judged.empty or not has_cost:
        recovered = float(judged["Recovered (£)"].sum()) if len(judged) else 0.0
        why = (f"it recovered {format_pounds(recovered)} ({RECOVERY}), but no cost of the partnership to {council} is "
               f"recorded to set against it" if recovered else f"no cost share or cost recovery of {council} is recorded")
        return FinancialCheck(council, NO_DATA, f"{council}: no data since {SINCE} — {why}{tail}.", table, sources)
    latest = judged.iloc[-1]
    over = judged.loc[judged["Net cost (£)"] > 0, "Financial year"].tolist()
    years = f"{judged['Financial year'].iloc[0]} to {latest['Financial year']}" if len(judged) > 1 else latest["Financial year"]
    if latest["Net cost (£)"] > 0:
        earlier = [y for y in over if y != latest["Financial year"]]
        then = f"; a net cost in {_list(earlier)} too" if earlier else ""
        text = (f"{council}: concern now — in {latest['Financial year']} the partnership cost {council} "
                f"{format_pounds(latest['Net cost (£)'])} more than it recovered: {_detail(latest)}{then}")
        verdict = CONCERN_NOW
    elif over:
        text = (f"{council}: earlier concern, since recovered — a net cost to {council} in {_list(over)}; none in "
                f"{latest['Financial year']}: {_detail(latest)}")
        verdict = EARLIER_CONCERN
    else:
        n = len(judged)
        text = (f"{council}: no significant change — no net cost to {council} in any of the {n} financial "
                f"year{'s' if n != 1 else ''} {years}; latest, {latest['Financial year']}: {_detail(latest)}")
        verdict = NO_CHANGE
    return FinancialCheck(council, verdict, f"{text}{tail}.", table, sources)
