"""What the Calendar page draws for one choice of programmes, kinds and window, computed at once by
`build_view` so the page can keep it per data version and a rerun only draws."""
from __future__ import annotations
from monitor.calendar.charts import timeline_figure
from monitor.calendar.rules import (calendar_table, earlier_than_window, filter_key_dates, is_past, notice_deadlines,
                                   vesting_note)

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from monitor.formatting import counted, format_date

PAST_STYLE = "color: #505a5f; background-color: #f3f2f1"  # GOV.UK secondary text on light grey: 6.4:1
GREY_UP_TO = 400  # rows: Styler costs about 1 ms a row on every rerun; beyond this, words only


@dataclass(frozen=True)
class CalendarView:
    shown: pd.DataFrame            # the key dates after the filters, earliest first
    past: pd.Series                # True for a date before today
    upcoming: pd.DataFrame
    deadlines: list[str]           # notice deadlines ahead, in words (of the chosen programmes, every kind)
    table: pd.DataFrame            # the calendar as a table (what the CSV holds)
    figure: go.Figure | None       # the timeline (None: no date matches)
    summary: str
    # The table's CSS, past rows greyed (past_row_styles), made once with the view rather than on
    # every rerun; None when no date matches or more than GREY_UP_TO do (greyed in words only).
    row_styles: pd.DataFrame | None = None


def build_view(key_dates: pd.DataFrame, programme_ids: tuple, kinds: tuple, upcoming_only: bool,
               today: dt.date, scope: str) -> CalendarView:
    of_programmes = filter_key_dates(key_dates, list(programme_ids))
    shown = filter_key_dates(of_programmes, kinds=list(kinds), upcoming_only=upcoming_only, today=today)
    past = is_past(shown, today)
    upcoming = shown[~past]
    figure, summary = None, ""
    if not shown.empty:
        earlier = earlier_than_window(shown, today)
        figure = timeline_figure(shown, today, f"Key dates of {scope}", past=past.to_numpy())
        summary = (f"{counted(len(shown), 'key date')} of {scope}: {int(past.sum()):,} past (hollow grey circles), "
                   f"{len(upcoming):,} today or after (filled blue diamonds); the dashed line is today, "
                   f"{format_date(today)}."
                   + (f" The chart opens on the past year and the dates ahead: zoom out for the "
                      f"{counted(earlier, 'earlier date')}." if earlier else ""))
        note = vesting_note(shown)
        summary += f" {note[:1].upper()}{note[1:]}" if note else ""
    table = calendar_table(shown, today)
    styled = not shown.empty and len(table) <= GREY_UP_TO
    return CalendarView(shown=shown, past=past, upcoming=upcoming, deadlines=notice_deadlines(of_programmes, today),
                        table=table, figure=figure, summary=summary,
                        row_styles=past_row_styles(table, past.to_numpy(), PAST_STYLE) if styled else None)


def past_row_styles(table: pd.DataFrame, past, style: str) -> pd.DataFrame:
    """CSS for `Styler.apply(..., axis=None)`: `style` on every cell of a past date's row."""
    cells = [style if p else "" for p in past]
    return pd.DataFrame({c: cells for c in table.columns}, index=table.index, columns=table.columns, dtype=str)


def given_styles(table: pd.DataFrame, styles: pd.DataFrame) -> pd.DataFrame:
    """For `Styler.apply(given_styles, axis=None, styles=view.row_styles)`: the styles made with the
    view (read, never changed: they are shared). A named function, not a lambda, so the styled table
    can be copied and kept like any other value."""
    return styles
