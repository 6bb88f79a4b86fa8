"""One indicator judged for the No-detriment page: the XmR frame with each point's part (baseline,
judged, after the programme closed) and whether an officer left it out of the limits, the verdict of
`monitor.no_detriment.verdicts` (the one rule), the Making Data Count icons and the verdict sentence."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from monitor.formatting import format_date
from monitor.no_detriment.sentences import sentence
from monitor.no_detriment.spc import xmr_frame
from monitor.no_detriment.spc_icons import assurance_icon, variation_icon
from monitor.no_detriment.verdicts import (AFTER, AFTER_CLOSE, BASELINE, CONCERN_NOW, JUDGED, NO_DATA, SINCE, VERDICTS,
                                           Judgement, in_order, judge_rows)
from monitor.no_detriment.wording import _list, list_labels, period_word
from monitor.values import number


@dataclass
class Assessment:
    """One indicator judged against its pre-partnership baseline."""

    indicator_id: str
    name: str
    council: str
    unit: str
    improvement: str
    baseline_label: str
    frame: pd.DataFrame  # xmr columns + part, excluded, excluded_reason, period_label, period_end_date, note, source
    n_baseline: int
    judgement: Judgement
    sentence: str = ""
    variation: str | None = None
    assurance: str | None = None
    tolerance: float | None = None
    provisional: bool = False
    gaps: list[str] = field(default_factory=list)
    periods: str = "points"
    closed_on: object = None  # the programme's closing date: points after it are not judged
    as_at: object = None  # the date the figures are judged as at, while the programme runs

    @property
    def after_words(self) -> tuple[str, str]:
        """(what the points beyond the window are, its date): after the programme closed, or after the
        date the figures are as at (a published point dated later than that)."""
        if self.closed_on is not None:
            return AFTER_CLOSE, format_date(self.closed_on)
        return "after the date the figures are as at", format_date(self.as_at)

    @property
    def verdict(self) -> str:
        return self.judgement.verdict

    @property
    def verdict_word(self) -> str:
        return VERDICTS[self.verdict][0]

    @property
    def verdict_label(self) -> str:
        return self.judgement.label

    @property
    def threshold(self) -> float | None:
        return self.judgement.threshold

    @property
    def threshold_kind(self) -> str | None:
        return self.judgement.threshold_kind

    @cached_property
    def monitoring(self) -> pd.DataFrame:
        """The points judged: since the partnership began, to the programme's end."""
        return self.frame[self.frame["part"] == JUDGED]

    @property
    def latest(self) -> pd.Series | None:
        """The latest judged point (None when there is none)."""
        i = self.judgement.latest
        return None if i is None else self.frame.iloc[i]

    @property
    def n_baseline_values(self) -> int:
        """Published values in the baseline that set its limits (ghosted points left out)."""
        f = self.frame
        return int((f["in_baseline"] & f["value"].notna() & ~f["excluded"]).sum()) if len(f) else 0

    @property
    def baseline_mean(self) -> float | None:
        return number(self.frame["mean"].iloc[0]) if len(self.frame) else None

    @property
    def beyond_threshold(self) -> bool | None:
        """Latest judged value worse than the no-detriment line (None without a line or a value)."""
        return self.judgement.beyond_line

    @cached_property
    def ghosted(self) -> pd.DataFrame:
        """Points left out of the limits, with their reason."""
        return self.frame[self.frame["excluded"]]

    @cached_property
    def after(self) -> pd.DataFrame:
        """Points after the programme closed: drawn apart, never judged."""
        return self.frame[self.frame["part"] == AFTER]


def _last_counted(frame: pd.DataFrame) -> pd.DataFrame:
    """The variation icon's point: the last published one that counts (neither left out of the limits
    nor after the window), as a one-row frame (none when no point counts)."""
    value = frame["value"].to_numpy(dtype=float)
    last = np.flatnonzero(~frame["excluded"].to_numpy() & (frame["part"].to_numpy() != AFTER) & ~np.isnan(value))[-1:]
    point = pd.DataFrame({"value": value[last], "point_type": frame["point_type"].to_numpy()[last]})
    point.attrs.update(frame.attrs)
    return point


def assess(values: pd.DataFrame, *, closed_on=None, as_at=None, shift_points: int = 7,
           trend_points: int = 7) -> Assessment:
    """Judge one indicator against its pre-partnership baseline.

    ``values``: one indicator's rows (any order) with at least ``value``, ``period_end_date``,
    ``baseline_end_date`` and ``improvement``; optionally ``indicator_id``, ``indicator_name``,
    ``authority_name``, ``unit``, ``baseline_period``, ``period_label``, ``note``, ``source``,
    ``target_value``, ``tolerance_value``, ``excluded_reason`` (a ghosted point's reason) and
    ``programme_start``. ``closed_on``: the programme's closing date (points after it are drawn,
    never judged); ``as_at``: while it runs, the date the figures are judged as at (as the headline
    facts are: monitor.no_detriment.facts). Rows without a period (an indicator with no observation, from a LEFT JOIN) are
    ignored.
    """
    rows = in_order(values)
    columns, n_base, part, judgement = judge_rows(rows, end=closed_on if closed_on is not None else as_at,
                                                  shift_points=shift_points,
                                                  trend_points=trend_points)
    improvement = str(_first(values, "improvement", "neutral"))
    name = str(_first(values, "indicator_name", _first(values, "indicator_id", "Indicator")))
    period = _first(values, "baseline_period")
    labels = (rows["period_label"].astype(str).tolist() if "period_label" in rows
              else [format_date(d) for d in rows["period_end_date"]])
    reasons = rows["excluded_reason"].tolist() if "excluded_reason" in rows else [None] * len(rows)
    frame = xmr_frame(columns, extra=dict(
        part=columns["part"], excluded=columns["excluded"],
        excluded_reason=[r if isinstance(r, str) and columns["excluded"][i] else "" for i, r in enumerate(reasons)],
        period_label=labels, period_end_date=pd.to_datetime(rows["period_end_date"]).to_numpy(),
        note=rows["note"].tolist() if "note" in rows else [None] * len(rows),
        source=rows["source"].tolist() if "source" in rows else [None] * len(rows),
        in_baseline=np.asarray(columns["part"]) == BASELINE,
    ))
    judged = judgement.verdict != NO_DATA
    a = Assessment(
        indicator_id=str(_first(values, "indicator_id", name)), name=name,
        council=str(_first(values, "authority_name", "")), unit=str(_first(values, "unit", "")),
        improvement=improvement, baseline_label=f"{period} baseline" if period else "baseline",
        frame=frame, n_baseline=n_base, judgement=judgement,
        variation=variation_icon(_last_counted(frame), improvement) if judged else None,
        assurance=assurance_icon(frame, improvement, judgement.threshold) if judged else None,
        tolerance=number(_first(values, "tolerance_value")),
        provisional=bool(frame["provisional"].iloc[0]) if len(frame) else True,
        gaps=[label for label, v in zip(labels, columns["value"]) if math.isnan(v)],
        periods=period_word(rows["period_end_date"]) if len(rows) else "points",
        closed_on=closed_on, as_at=as_at,
    )
    a.sentence = sentence(a)
    return a


def _first(values: pd.DataFrame, column: str, default=None):
    if column not in values or values.empty:
        return default
    v = values[column].iloc[0]
    return default if v is None or (not isinstance(v, str) and pd.isna(v)) else v


def assess_all(values: pd.DataFrame, *, closed_on=None, as_at=None) -> list[Assessment]:
    """One assessment per indicator of a values frame, in indicator_id order."""
    if values.empty:
        return []
    return [assess(rows, closed_on=closed_on, as_at=as_at) for _, rows in values.groupby("indicator_id", sort=True)]


def headline(assessments: list[Assessment], council: str) -> str:
    """'1 of 5 indicators of Hampshire is of concern now: Re-referrals …' and the earlier concerns
    by name with their periods, or 'No indicator of East Sussex is of concern now …'."""
    if not assessments:
        return f"{council} has no no-detriment indicators in this programme."
    n = len(assessments)
    now = [a.name for a in assessments if a.verdict == CONCERN_NOW]
    earlier = [f"{a.name} ({list_labels(a.judgement.concern_labels)})" for a in assessments
               if a.verdict != CONCERN_NOW and a.judgement.concern_rows]
    if now:
        verb = "is" if len(now) == 1 else "are"
        text = f"{len(now)} of {n} indicators of {council} {verb} of concern now: {_list(now)}."
    else:
        text = f"No indicator of {council} is of concern now ({n} judged since {SINCE})."
    if earlier:
        text += f" Earlier concern, since recovered: {'; '.join(earlier)}."
    missing = sum(a.verdict == NO_DATA for a in assessments)
    if missing:
        text += f" {missing} without data since {SINCE} to judge."
    return text
