"""The savings headline facts for a programme as at a date — one definition, rendered by the Overview
card, the Savings page, the quarterly and annual reports (screen and Word), the headline-figures CSV and
`make figures`.

Savings "to date" are the financial years up to the one the date falls in that have a delivered
figure, so plan and delivery compare like for like (a year not yet reported is not a shortfall).
Income (a council recovering its costs by charging for a service) is not a saving: rows whose
category is income are counted apart and never added to savings (`kind_of`).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from monitor.formatting import format_money
from monitor.periods import financial_year
from monitor.programme import rows_as_at
from monitor.values import per_row

# What the savings downloads come from (monitor.tidy.Origin).
SOURCE = ("the programme's savings ledger and cost shares as recorded in Improvement Monitor (council papers and "
          "illustrative figures)")

SAVING = "saving"
INCOME = "income"


@dataclass(frozen=True)
class SavingFacts:
    as_at: dt.date
    financial_year: str                # the year the date falls in
    rows: int                          # savings rows of the programme (any year)
    planned_to_date: float | None      # planned in the years to date that have a delivered figure
    delivered_to_date: float | None
    planned_total: float | None        # every year planned, to the end of the plan
    income_to_date: float | None       # income received in the years to date (not a saving)

    @property
    def delivery_share(self) -> float | None:
        if self.planned_to_date:
            return (self.delivered_to_date or 0.0) / self.planned_to_date
        return None

    def sentence(self) -> str:
        """'£1.2m delivered of £1.5m planned to date (80%)'; income, when there is any, said apart."""
        if not self.rows:
            return "No savings recorded"
        if self.planned_to_date is None:
            text = f"No savings reported as delivered by {self.financial_year}"
        else:
            share = f" ({self.delivery_share:.0%})" if self.delivery_share is not None else ""
            text = (f"{format_money(self.delivered_to_date)} delivered of {format_money(self.planned_to_date)} "
                    f"planned to date{share}")
        if self.income_to_date:
            text += f"; income (not a saving) {format_money(self.income_to_date)} to date"
        return text


def kind_of(savings: pd.DataFrame) -> pd.Series:
    """Each row's kind, the one rule every total uses: a row whose category is income ("income",
    "income (cost recovery)") is income, every other row a saving."""
    if "category" not in savings.columns:  # a frame without categories (a test's, a model's) holds savings only
        return pd.Series(SAVING, index=savings.index, dtype=object)
    category = savings["category"].astype(str).str.strip().str.casefold()
    income = category.str.startswith(INCOME).to_numpy(dtype=bool)
    # np.where, not a map of the flags: most of this function's time went to the map.
    return pd.Series(np.where(income, INCOME, SAVING), index=category.index, name=category.name, dtype=object)


def saving_facts(savings: pd.DataFrame, as_at: Mapping[str, dt.date]) -> dict[str, SavingFacts]:
    """SavingFacts for every programme in `as_at`, from rows with programme_id, financial_year,
    planned_gbp, delivered_gbp (and kind)."""
    frame, _ = rows_as_at(savings, as_at)
    # Flags and amounts as numpy arrays, summed by one groupby: for a few programmes' rows pandas'
    # cost per step was most of the time. The sums are the groupby's, as before.
    year = per_row(frame["programme_id"], {p: financial_year(d) for p, d in as_at.items()}, None, object)
    is_saving = kind_of(frame).to_numpy() == SAVING
    planned = pd.to_numeric(frame["planned_gbp"]).to_numpy(dtype=float, na_value=np.nan)
    delivered = pd.to_numeric(frame["delivered_gbp"]).to_numpy(dtype=float, na_value=np.nan)
    to_date = (frame["financial_year"].astype(str) <= pd.Series(year, index=frame.index)).to_numpy(dtype=bool)
    reported = to_date & ~np.isnan(delivered)
    parts = pd.DataFrame({
        "programme_id": frame["programme_id"],
        "rows": is_saving.astype(int),
        "reported": (reported & is_saving).astype(int),
        "planned_to_date": np.where(reported & is_saving, planned, 0.0),
        "delivered_to_date": np.where(reported & is_saving, delivered, 0.0),
        "planned_total": np.where(is_saving, planned, 0.0),
        "income_rows": (reported & ~is_saving).astype(int),
        "income_to_date": np.where(reported & ~is_saving, delivered, 0.0),
    }).groupby("programme_id").sum()
    out = {}
    for pid, on in as_at.items():
        row = parts.loc[pid] if pid in parts.index else None
        has = row is not None
        out[pid] = SavingFacts(
            as_at=on, financial_year=financial_year(on), rows=int(row["rows"]) if has else 0,
            planned_to_date=float(row["planned_to_date"]) if has and row["reported"] else None,
            delivered_to_date=float(row["delivered_to_date"]) if has and row["reported"] else None,
            planned_total=float(row["planned_total"]) if has and row["rows"] else None,
            income_to_date=float(row["income_to_date"]) if has and row["income_rows"] else None)
    return out
