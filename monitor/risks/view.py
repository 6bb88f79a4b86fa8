"""Everything the Risks page draws for one programme and one set of filters, computed at once by
`build_view` so the page can keep it (per data version) and a rerun only draws."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from monitor.risks.charts import heat_map_figure
from monitor.risks.register import (
    cell_options,
    filter_register,
    heat_map_summary,
    heat_map_table,
    movement_counts,
    register_table,
)
from monitor.risks.rules import HIGH_SCORE, heat_map_counts, movement_since, overdue_reviews, positions, score


@dataclass(frozen=True)
class RiskView:
    shown: pd.DataFrame            # the register after the filters
    moved: pd.DataFrame | None     # movement since the reporting date (None: no date chosen)
    open_count: int
    high_scoring: int              # open risks scoring 10 or more
    overdue: pd.DataFrame          # open risks whose review is late, longest first
    movement_counts: dict[str, int]
    mapped: pd.DataFrame           # the filtered risks at the chosen scores (current, inherent or target)
    counts: pd.DataFrame           # risks per heat-map cell
    cells: list[str]               # cells that hold a risk, as "likelihood-impact"
    figure: go.Figure
    summary: str
    heat_table: pd.DataFrame
    register: pd.DataFrame


def build_view(risks: pd.DataFrame, snapshots: pd.DataFrame, categories: tuple, owners: tuple, statuses: tuple,
               which: str, since: str | None, today, cell: tuple[int, int] | None) -> RiskView:
    """The page for these filters; `cell` is the heat-map cell to highlight (None: none)."""
    shown = filter_register(risks, categories, owners, statuses)
    moved = movement_since(snapshots, shown, since) if since else None
    include_closed = "closed" in statuses
    open_now = shown[shown["status"] == "open"]
    mapped = positions(shown, which)
    counts = heat_map_counts(mapped, include_closed=include_closed)
    what = "risks" if include_closed else "open risks"
    return RiskView(
        shown=shown, moved=moved, open_count=len(open_now),
        high_scoring=int((score(open_now["likelihood"], open_now["impact"]) >= HIGH_SCORE).sum()),
        overdue=overdue_reviews(shown, today), movement_counts=movement_counts(moved),
        mapped=mapped, counts=counts, cells=cell_options(counts),
        figure=heat_map_figure(mapped, f"{which.capitalize()} likelihood × impact of the {what}", include_closed,
                                  clickable=True, highlight=cell),
        summary=heat_map_summary(mapped, include_closed, which),
        heat_table=heat_map_table(mapped, include_closed),
        register=register_table(shown, moved, today))
