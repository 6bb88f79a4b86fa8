"""Savings and cost shares: what a scrutiny panel asks of a partnership's money.

The savings ledger (query ``savings_by_programme``) has one row per programme × work stream ×
council × financial year × category with planned, forecast and delivered pounds and the source of
every figure. This module labels and filters it, aggregates it by year / work stream / category /
council (each aggregate carrying the sources it rests on), builds the cumulative series and the
planned-to-delivered waterfall, and proves the aggregates reconcile with the ledger. Pure: no Streamlit.

Missing delivered figures (years not yet reported) stay missing: a sum over rows none of which has
a delivered figure is NaN ("not yet reported"), never £0.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from monitor.formatting import counted, format_date, format_money, format_pounds, is_illustrative
from monitor.text import plain
from monitor.values import text_column

MEASURES = ("planned_gbp", "forecast_gbp", "delivered_gbp")
MEASURE_LABELS = {"planned_gbp": "Planned", "forecast_gbp": "Forecast", "delivered_gbp": "Delivered"}
NO_WORKSTREAM = "No work stream"
CASHABLE = ("Cashable", "Non-cashable")
RECURRING = ("Recurring", "One-off")


# Dimensions the page filters and groups by: label column → heading.
DIMENSIONS = {
    "financial_year": "Financial year",
    "workstream": "Work stream",
    "category": "Category",
    "council": "Council",
    "cashable": "Cashable",
    "recurring": "Recurring",
}


TOLERANCE_GBP = 0.005  # half a penny: sums of DECIMAL(14, 2) amounts in floating point


def label_ledger(ledger: pd.DataFrame) -> pd.DataFrame:
    """The ledger with readable label columns: ``workstream`` (name, or "No work stream" — the
    Hampshire commission's savings belong to no work stream), ``council``, ``cashable``
    ("Cashable"/"Non-cashable") and ``recurring`` ("Recurring"/"One-off")."""
    frame = ledger.copy()
    names = text_column(frame["workstream_name"]) if "workstream_name" in frame else pd.Series(None, index=frame.index)
    frame["workstream"] = names.map(lambda v: v if isinstance(v, str) and v.strip() else NO_WORKSTREAM)
    frame["council"] = text_column(frame["council_name"] if "council_name" in frame else frame["ons_code"]).astype(str)
    frame["cashable"] = frame["is_cashable"].map(lambda v: CASHABLE[0] if bool(v) else CASHABLE[1])
    frame["recurring"] = frame["is_recurring"].map(lambda v: RECURRING[0] if bool(v) else RECURRING[1])
    for column in MEASURES:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame["source"] = text_column(frame["source"]).map(lambda v: "" if v is None else str(v))
    return frame


def options(labelled: pd.DataFrame, column: str) -> list[str]:
    """The values a filter offers, in a sensible order (years ascending, "No work stream" last)."""
    return _ordered(labelled[column].dropna()) if len(labelled) else []


def _ordered(values) -> list[str]:
    """Distinct values as text, sorted, "No work stream" last: the order `options` gives."""
    values = sorted({str(v) for v in values})
    if NO_WORKSTREAM in values:
        values = [v for v in values if v != NO_WORKSTREAM] + [NO_WORKSTREAM]
    return values


def filter_ledger(labelled: pd.DataFrame, **chosen: Sequence[str] | None) -> pd.DataFrame:
    """Rows matching every non-empty choice, e.g. ``filter_ledger(f, financial_year=["2020/21"])``;
    an empty or missing choice means all."""
    mask = pd.Series(True, index=labelled.index)
    for column, values in chosen.items():
        if column not in DIMENSIONS:
            raise ValueError(f"cannot filter savings by {column!r}")
        if values:
            mask &= labelled[column].astype(str).isin(list(values))
    return labelled.loc[mask]


def _total(figures: np.ndarray) -> float:
    """Missing figures as 0, then numpy's sum: what pandas' Series.sum does, to the last bit, without
    a Series (about 50 µs each, and the page sums tens of rows some hundred times)."""
    return float(np.where(np.isnan(figures), 0.0, figures).sum())


def _sum(values) -> float:
    """Sum that stays NaN when no row has a figure (not yet reported ≠ £0); `values` a Series or an array."""
    figures = np.asarray(values, dtype=float)
    return _total(figures) if (~np.isnan(figures)).any() else float("nan")


def totals(labelled: pd.DataFrame) -> dict[str, float]:
    """Planned, forecast and delivered over the rows; ``planned_to_date_gbp`` is planned over the
    rows with a delivered figure, so delivered compares with it like for like."""
    reported = labelled["delivered_gbp"].notna()
    result = {m: _sum(labelled[m]) for m in MEASURES}
    result["planned_to_date_gbp"] = _sum(labelled.loc[reported, "planned_gbp"])
    result["rows"] = int(len(labelled))
    result["rows_reported"] = int(reported.sum())
    planned = result["planned_to_date_gbp"]
    result["delivered_pct"] = (result["delivered_gbp"] / planned * 100
                               if planned and not math.isnan(planned) and not math.isnan(result["delivered_gbp"])
                               else float("nan"))
    return result


def _join_sources(sources) -> str:
    return "; ".join(sorted({str(s) for s in sources if str(s)}))


def _illustrative(labelled: pd.DataFrame) -> np.ndarray:
    """True for each row whose source is illustrative."""
    return np.array([bool(is_illustrative(s)) for s in labelled["source"].tolist()], dtype=bool)


def _groups(values: list) -> dict:
    """The positions of each value, in order of first appearance; missing values (None, NaN) make one
    group keyed NaN, as pandas' groupby(sort=False, dropna=False) makes them."""
    groups: dict = {}
    for i, value in enumerate(values):
        groups.setdefault(np.nan if pd.isna(value) else value, []).append(i)
    return groups


def _aggregate_rows(labelled: pd.DataFrame, by: str) -> list[dict]:
    """`aggregate`'s rows, in the order `options` gives (values it does not offer last). Plain arrays
    and lists, not a groupby: tens of rows aggregated seven ways on every view, and a pandas group
    costs about 0.1 ms."""
    figures = {m: labelled[m].to_numpy(dtype=float, na_value=np.nan) for m in MEASURES}
    sources = labelled["source"].tolist()
    illustrative = _illustrative(labelled)
    rows = []
    for value, at in _groups(labelled[by].tolist()).items():
        at = np.array(at)
        rows.append({
            by: value,
            **{m: _sum(figures[m][at]) for m in MEASURES},
            "rows": len(at),
            "illustrative_planned_gbp": _total(figures["planned_gbp"][at[illustrative[at]]]),
            "sources": _join_sources(sources[i] for i in at),
        })
    order = {v: i for i, v in enumerate(options(labelled, by))}
    return sorted(rows, key=lambda row: order.get(row[by], math.inf))  # stable: values not offered keep their order


def aggregate(labelled: pd.DataFrame, by: str) -> pd.DataFrame:
    """Planned, forecast and delivered per value of ``by`` (a DIMENSIONS column), with the number
    of ledger rows, the pounds planned on illustrative rows and the sources each figure rests on."""
    columns = [by, *MEASURES, "rows", "illustrative_planned_gbp", "sources"]
    if labelled.empty:
        return pd.DataFrame({c: pd.Series(dtype=float if c in MEASURES or c.endswith("_gbp") else object)
                             for c in columns})
    return pd.DataFrame(_aggregate_rows(labelled, by), columns=columns)


def by_year(labelled: pd.DataFrame, years: Sequence[str] | None = None) -> pd.DataFrame:
    """Per financial year, with cumulative planned and delivered since the programme began.

    The cumulative columns run over every year in ``labelled`` (filter it by everything but the
    year), and only then are the rows cut to ``years``: filtering to 2020/21 still shows what had
    accumulated by 2020/21. Cumulative delivered stops at the last year with a delivered figure."""
    frame = aggregate(labelled, "financial_year")
    # On the arrays: numpy's cumsum adds in order, as pandas' does, without a Series a step.
    planned, delivered = frame["planned_gbp"].to_numpy(), frame["delivered_gbp"].to_numpy()
    frame["cumulative_planned_gbp"] = np.cumsum(np.where(np.isnan(planned), 0.0, planned))
    cumulative = np.cumsum(np.where(np.isnan(delivered), 0.0, delivered))
    reported = np.flatnonzero(~np.isnan(delivered))
    cumulative[reported[-1] + 1 if len(reported) else 0:] = np.nan
    frame["cumulative_delivered_gbp"] = cumulative
    if years:
        frame = frame[frame["financial_year"].isin(list(years))].reset_index(drop=True)
    return frame


def illustrative_share(labelled: pd.DataFrame, measure: str = "planned_gbp") -> tuple[float, float]:
    """(pounds on illustrative rows, all pounds) of ``measure``: "how much of the total is
    illustrative"."""
    figures = labelled[measure].to_numpy(dtype=float, na_value=np.nan)
    return _total(figures[_illustrative(labelled)]), _total(figures)


def illustrative_sentence(illustrative: float, total: float) -> str:
    """How much of the planned total rests on illustrative figures, in words."""
    if not total:
        return "No pounds are planned in this view."
    if illustrative <= TOLERANCE_GBP:
        return (f"**None of the {format_money(total)} planned is illustrative:** every figure comes from the "
                "council paper or official file named in the ledger's Source column.")
    share = illustrative / total * 100
    rest = ("" if illustrative >= total - TOLERANCE_GBP else
            f" The other {format_money(total - illustrative)} comes from the council papers named in the ledger's Source column.")
    return (f"**{format_money(illustrative)} of the {format_money(total)} planned ({share:.0f}%) rests on "
            f"illustrative figures.**{rest}")


def reconcile(labelled: pd.DataFrame, *aggregates: pd.DataFrame) -> list[str]:
    """Problems, if any, where an aggregate's totals differ from the ledger's (half a penny
    tolerance) or its row counts do not add up to the ledger's. Empty list = they reconcile."""
    expected = totals(labelled)
    problems = []
    for frame in aggregates:
        name = frame.columns[0]
        for measure in MEASURES:
            got = _sum(frame[measure]) if len(frame) else float("nan")
            want = expected[measure]
            both_missing = math.isnan(got) and math.isnan(want)
            if not both_missing and (math.isnan(got) != math.isnan(want) or abs(got - want) > TOLERANCE_GBP):
                problems.append(f"{MEASURE_LABELS[measure]} by {DIMENSIONS.get(name, name).lower()}: "
                                f"{format_pounds(got)} against {format_pounds(want)} in the ledger")
        if "rows" in frame and int(frame["rows"].sum()) != expected["rows"]:
            problems.append(f"Rows by {DIMENSIONS.get(name, name).lower()}: {int(frame['rows'].sum())} "
                            f"against {expected['rows']} in the ledger")
    return problems


def waterfall_steps(labelled: pd.DataFrame, year: str) -> pd.DataFrame:
    """From planned to delivered in one financial year, one step per work stream.

    Only rows with a delivered figure take part (planned and delivered compared like for like);
    when no row of the year has one yet, the steps go from planned to *forecast* instead. Columns:
    ``step``, ``measure`` (absolute / relative / total, as plotly's Waterfall wants), ``amount_gbp``,
    ``sources``; ``attrs['target']`` is "Delivered" or "Forecast" and ``attrs['left_out']`` the
    rows without the target figure."""
    # Arrays and lists of the year's rows: a frame and Series per work stream cost ~0.1 ms apiece.
    in_year = (labelled["financial_year"] == year).to_numpy(dtype=bool, na_value=False)
    figures = {m: labelled[m].to_numpy(dtype=float, na_value=np.nan)[in_year] for m in MEASURES}
    target = "delivered_gbp" if (~np.isnan(figures["delivered_gbp"])).any() else "forecast_gbp"
    used = ~np.isnan(figures[target])
    planned, reached = figures["planned_gbp"][used], figures[target][used]
    workstreams = labelled["workstream"].to_numpy()[in_year][used]
    sources = labelled["source"].to_numpy()[in_year][used].tolist()
    label = MEASURE_LABELS[target]
    steps = [{"step": "Planned", "measure": "absolute", "amount_gbp": _total(planned),
              "sources": _join_sources(sources)}]
    for workstream in _ordered(w for w in workstreams if not pd.isna(w)):
        mine = workstreams == workstream
        steps.append({"step": workstream, "measure": "relative",
                      "amount_gbp": _total(reached[mine]) - _total(planned[mine]),
                      "sources": _join_sources(s for s, m in zip(sources, mine) if m)})
    steps.append({"step": label, "measure": "total", "amount_gbp": _total(reached),
                  "sources": _join_sources(sources)})
    frame = pd.DataFrame(steps, columns=["step", "measure", "amount_gbp", "sources"])
    frame.attrs["target"] = label
    frame.attrs["left_out"] = int(in_year.sum() - used.sum())
    return frame


def breakdown(labelled: pd.DataFrame) -> pd.DataFrame:
    """One table of the aggregates by category, by cashable or not and by one-off or recurring:
    columns ``by`` (which split), ``group`` and the aggregate columns."""
    splits = (("category", "Category"), ("cashable", "Cashable"), ("recurring", "Recurring"))
    if labelled.empty:
        parts = []
        for column, label in splits:
            part = aggregate(labelled, column).rename(columns={column: "group"})
            part.insert(0, "by", label)
            parts.append(part)
        return pd.concat(parts, ignore_index=True)
    # One frame from the three splits' rows, not three frames renamed and concatenated.
    return pd.DataFrame([{"by": label, "group": row.pop(column), **row}
                         for column, label in splits for row in _aggregate_rows(labelled, column)],
                        columns=["by", "group", *MEASURES, "rows", "illustrative_planned_gbp", "sources"])


def waterfall_sentence(steps: pd.DataFrame, year: str) -> str:
    """'In 2020/21, delivered £0.75m against £0.75m planned: no shortfall.'"""
    target = steps.attrs.get("target", "Delivered").lower()
    start, end = float(steps["amount_gbp"].iloc[0]), float(steps["amount_gbp"].iloc[-1])
    gap = end - start
    if abs(gap) < TOLERANCE_GBP:
        verdict = "no shortfall"
    elif gap < 0:
        verdict = f"a shortfall of {format_money(-gap)}"
    else:
        verdict = f"{format_money(gap)} more than planned"
    worst = steps[steps["measure"] == "relative"].sort_values("amount_gbp").head(1)
    detail = (f"; the largest shortfall is in {worst['step'].iloc[0]} ({format_money(-worst['amount_gbp'].iloc[0])})"
              if len(worst) and worst["amount_gbp"].iloc[0] < -TOLERANCE_GBP and len(steps) > 3 else "")
    left_out = steps.attrs.get("left_out", 0)
    note = (f" {counted(left_out, 'row')} without a {target} figure {'is' if left_out == 1 else 'are'} left out."
            if left_out else "")
    return f"In {year}, {target} {format_money(end)} against {format_money(start)} planned: {verdict}{detail}.{note}"


def cost_share_summary(shares: pd.DataFrame) -> pd.DataFrame:
    """Who pays what of each shared post or cost: one row per cost item × council with the share
    (a range where it changed), the pounds over all years, the years covered and the sources."""
    columns = ["cost_item", "council", "share", "amount_gbp", "years", "sources"]
    if shares.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for (item, council), part in shares.groupby(["cost_item", "council_name"], sort=True):
        low, high = float(part["share_pct"].min()), float(part["share_pct"].max())
        share = f"{low:g}%" if low == high else f"{low:g}–{high:g}%"
        years = sorted(part["financial_year"].astype(str))
        rows.append({"cost_item": item, "council": council, "share": share,
                     "amount_gbp": float(part["amount_gbp"].sum()),
                     "years": years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}",
                     "sources": _join_sources(part["source"])})
    return pd.DataFrame(rows, columns=columns)


def cost_share_sentences(shares: pd.DataFrame) -> list[str]:
    """One sentence per cost item (markdown, its names escaped), e.g. "Shared Chief Executive salary: East Sussex 50%,
    West Sussex 50% — £1.2m over 2019/20 to 2026/27 (source: 000 para 4.1 ...)"."""
    sentences = []
    summary = cost_share_summary(shares)
    for item, part in summary.groupby("cost_item", sort=True):
        parts = ", ".join(f"{c} {s}" for c, s in zip(part["council"], part["share"]))
        total = format_money(part["amount_gbp"].sum())
        years = part["years"].iloc[0]
        sentences.append(f"**{plain(item)}:** {plain(parts)} — {total} in all, {plain(years)}.")
    return sentences


_PAPER = re.compile(r"^(\d{3})\b")


def describe_source(source: str, papers: pd.DataFrame | None = None) -> str:
    """A source as a reader follows it: 'illustrative' explained, a seed paper named by its title
    and date (from the data_sources query), an official file named as such."""
    text = str(source or "").strip()
    if not text:
        return "no source recorded"
    if text.lower() == "illustrative":
        return "illustrative — made up for the demonstration; no council paper or official file gives this figure"
    match = _PAPER.match(text)
    if match and papers is not None and len(papers):
        hits = papers[papers["source_file"].astype(str).str.startswith(match.group(1) + "_")]
        if len(hits):
            paper = hits.iloc[0]
            date = format_date(paper.get("published_date"))
            where = text[len(match.group(1)):].strip()
            described = f"seed paper {match.group(1)}, “{paper['title']}”{' (' + date + ')' if date else ''}"
            return described + (f", {where}" if where else "")
    if text.startswith(("dfe_", "ofsted_")):
        return f"official file {text}"
    return text


def trace_label(row) -> str:
    """How one ledger row reads in the 'trace a figure' picker."""
    delivered = row["delivered_gbp"]
    figure = (f"delivered {format_pounds(delivered)}" if not pd.isna(delivered)
              else f"planned {format_pounds(row['planned_gbp'])} (not yet delivered)")
    return f"{row['financial_year']} · {row['council']} · {row['workstream']} · {row['category']} — {figure}"
