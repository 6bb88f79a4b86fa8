"""Savings and cost shares: what a scrutiny panel asks of a partnership's money.

The savings ledger (query ``savings_by_programme``) has one row per programme × work stream ×
council × financial year × category with planned, forecast and delivered pounds and the source of
every figure. This module labels and filters it, aggregates it by year / work stream / category /
council (each aggregate carrying the sources it rests on), builds the cumulative series and the
planned-to-delivered waterfall, proves the aggregates reconcile with the ledger, writes the ledger
as an Excel file, and draws the charts. Pure: no Streamlit.

Missing delivered figures (years not yet reported) stay missing: a sum over rows none of which has
a delivered figure is NaN ("not yet reported"), never £0.
"""
from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from monitor.csv_safe import neutralise
from monitor.formatting import counted, format_date, format_money, format_pounds, is_illustrative

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

# GOV.UK palette: blue, orange, green, purple, then greys; the charts also tell series apart by
# pattern and by their legend, never by colour alone.
PALETTE = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#505a5f", "#28a197", "#912b88"]

TOLERANCE_GBP = 0.005  # half a penny: sums of DECIMAL(14, 2) amounts in floating point


# --------------------------------------------------------------------------------------------
# Labelling and filtering


def _text(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), None)


def label_ledger(ledger: pd.DataFrame) -> pd.DataFrame:
    """The ledger with readable label columns: ``workstream`` (name, or "No work stream" — the
    Hampshire commission's savings belong to no work stream), ``council``, ``cashable``
    ("Cashable"/"Non-cashable") and ``recurring`` ("Recurring"/"One-off")."""
    frame = ledger.copy()
    names = _text(frame["workstream_name"]) if "workstream_name" in frame else pd.Series(None, index=frame.index)
    frame["workstream"] = names.map(lambda v: v if isinstance(v, str) and v.strip() else NO_WORKSTREAM)
    frame["council"] = _text(frame["council_name"] if "council_name" in frame else frame["ons_code"]).astype(str)
    frame["cashable"] = frame["is_cashable"].map(lambda v: CASHABLE[0] if bool(v) else CASHABLE[1])
    frame["recurring"] = frame["is_recurring"].map(lambda v: RECURRING[0] if bool(v) else RECURRING[1])
    for column in MEASURES:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame["source"] = _text(frame["source"]).map(lambda v: "" if v is None else str(v))
    return frame


def options(labelled: pd.DataFrame, column: str) -> list[str]:
    """The values a filter offers, in a sensible order (years ascending, "No work stream" last)."""
    values = sorted({str(v) for v in labelled[column].dropna()}) if len(labelled) else []
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


# --------------------------------------------------------------------------------------------
# Totals and aggregates


def _sum(values: pd.Series) -> float:
    """Sum that stays NaN when no row has a figure (not yet reported ≠ £0)."""
    return float(values.sum(min_count=1))


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


def _join_sources(sources: pd.Series) -> str:
    return "; ".join(sorted({str(s) for s in sources if str(s)}))


def aggregate(labelled: pd.DataFrame, by: str) -> pd.DataFrame:
    """Planned, forecast and delivered per value of ``by`` (a DIMENSIONS column), with the number
    of ledger rows, the pounds planned on illustrative rows and the sources each figure rests on."""
    columns = [by, *MEASURES, "rows", "illustrative_planned_gbp", "sources"]
    if labelled.empty:
        return pd.DataFrame({c: pd.Series(dtype=float if c in MEASURES or c.endswith("_gbp") else object)
                             for c in columns})
    frame = labelled.assign(_ill=labelled["source"].map(is_illustrative))
    rows = []
    for value, part in frame.groupby(by, sort=False, dropna=False):
        rows.append({
            by: value,
            **{m: _sum(part[m]) for m in MEASURES},
            "rows": int(len(part)),
            "illustrative_planned_gbp": float(part.loc[part["_ill"], "planned_gbp"].sum()),
            "sources": _join_sources(part["source"]),
        })
    result = pd.DataFrame(rows, columns=columns)
    order = options(labelled, by)
    result["_order"] = result[by].map({v: i for i, v in enumerate(order)})
    return result.sort_values("_order").drop(columns="_order").reset_index(drop=True)


def by_year(labelled: pd.DataFrame, years: Sequence[str] | None = None) -> pd.DataFrame:
    """Per financial year, with cumulative planned and delivered since the programme began.

    The cumulative columns run over every year in ``labelled`` (filter it by everything but the
    year), and only then are the rows cut to ``years``: filtering to 2020/21 still shows what had
    accumulated by 2020/21. Cumulative delivered stops at the last year with a delivered figure."""
    frame = aggregate(labelled, "financial_year")
    frame["cumulative_planned_gbp"] = frame["planned_gbp"].fillna(0).cumsum()
    delivered = frame["delivered_gbp"]
    cumulative = delivered.fillna(0).cumsum()
    last = delivered.last_valid_index()
    frame["cumulative_delivered_gbp"] = cumulative.where(frame.index <= (last if last is not None else -1))
    if years:
        frame = frame[frame["financial_year"].isin(list(years))].reset_index(drop=True)
    return frame


def illustrative_share(labelled: pd.DataFrame, measure: str = "planned_gbp") -> tuple[float, float]:
    """(pounds on illustrative rows, all pounds) of ``measure``: "how much of the total is
    illustrative"."""
    values = labelled[measure].fillna(0)
    flags = labelled["source"].map(is_illustrative).astype(bool)
    return float(values[flags].sum()), float(values.sum())


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
    rows = labelled[labelled["financial_year"] == year]
    target = "delivered_gbp" if rows["delivered_gbp"].notna().any() else "forecast_gbp"
    used = rows[rows[target].notna()]
    label = MEASURE_LABELS[target]
    steps = [{"step": "Planned", "measure": "absolute", "amount_gbp": float(used["planned_gbp"].sum()),
              "sources": _join_sources(used["source"])}]
    for workstream in options(used, "workstream"):
        part = used[used["workstream"] == workstream]
        steps.append({"step": workstream, "measure": "relative",
                      "amount_gbp": float(part[target].sum() - part["planned_gbp"].sum()),
                      "sources": _join_sources(part["source"])})
    steps.append({"step": label, "measure": "total", "amount_gbp": float(used[target].sum()),
                  "sources": _join_sources(used["source"])})
    frame = pd.DataFrame(steps, columns=["step", "measure", "amount_gbp", "sources"])
    frame.attrs["target"] = label
    frame.attrs["left_out"] = int(len(rows) - len(used))
    return frame


def breakdown(labelled: pd.DataFrame) -> pd.DataFrame:
    """One table of the aggregates by category, by cashable or not and by one-off or recurring:
    columns ``by`` (which split), ``group`` and the aggregate columns."""
    parts = []
    for column, label in (("category", "Category"), ("cashable", "Cashable"), ("recurring", "Recurring")):
        part = aggregate(labelled, column).rename(columns={column: "group"})
        part.insert(0, "by", label)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


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


# --------------------------------------------------------------------------------------------
# Cost shares


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
    """One plain sentence per cost item, e.g. "Shared Chief Executive salary: East Sussex 50%,
    West Sussex 50% — £1.2m over 2019/20 to 2026/27 (source: 000 para 4.1 ...)"."""
    sentences = []
    summary = cost_share_summary(shares)
    for item, part in summary.groupby("cost_item", sort=True):
        parts = ", ".join(f"{c} {s}" for c, s in zip(part["council"], part["share"]))
        total = format_money(part["amount_gbp"].sum())
        years = part["years"].iloc[0]
        sentences.append(f"**{item}:** {parts} — {total} in all, {years}.")
    return sentences


# --------------------------------------------------------------------------------------------
# Sources


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


# --------------------------------------------------------------------------------------------
# Tables and the Excel ledger


LEDGER_COLUMNS = {
    "saving_id": "Saving",
    "financial_year": "Financial year",
    "workstream": "Work stream",
    "council": "Council",
    "category": "Category",
    "cashable": "Cashable",
    "recurring": "Recurring",
    "planned_gbp": "Planned (£)",
    "forecast_gbp": "Forecast (£)",
    "delivered_gbp": "Delivered (£)",
    "source": "Source",
}


READABLE = {
    "financial_year": "Financial year", "workstream": "Work stream", "council": "Council",
    "category": "Category", "cashable": "Cashable", "recurring": "Recurring", "by": "Split by",
    "group": "Group", "planned_gbp": "Planned (£)", "forecast_gbp": "Forecast (£)",
    "delivered_gbp": "Delivered (£)", "rows": "Ledger rows", "illustrative_planned_gbp": "Planned on illustrative rows (£)",
    "sources": "Sources", "cumulative_planned_gbp": "Cumulative planned (£)",
    "cumulative_delivered_gbp": "Cumulative delivered (£)", "step": "Step", "measure": "Kind of step",
    "amount_gbp": "Amount (£)", "cost_item": "Cost item", "share": "Share", "years": "Years",
}


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """An aggregate as a chart's 'View as table' shows it: headings in words, pounds in full
    (format_pounds), 'not yet reported' where no delivered figure exists."""
    out = frame.copy()
    for column in out.columns:
        if str(column).endswith("_gbp"):
            out[column] = out[column].map(lambda v: "not yet reported" if pd.isna(v) else format_pounds(v))
    return out.rename(columns=READABLE)


def ledger_table(labelled: pd.DataFrame) -> pd.DataFrame:
    """The ledger as the page and its CSV show it: readable headings, pounds as numbers."""
    return labelled[list(LEDGER_COLUMNS)].rename(columns=LEDGER_COLUMNS).reset_index(drop=True)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (np.floating, np.integer)):
        value = value.item()
    if isinstance(value, np.bool_):
        value = bool(value)
    if isinstance(value, str):
        return neutralise(_CONTROL.sub("", value))
    return value


def ledger_xlsx(labelled: pd.DataFrame, *, title: str) -> bytes:
    """The savings ledger as an Excel workbook: a 'Savings ledger' sheet (one row per saving, pounds
    as numbers formatted £#,##0.00, a totals row, filters and a frozen header) and a 'Sources'
    sheet. Text cells that Excel would run as a formula are neutralised (monitor.csv_safe)."""
    table = ledger_table(labelled)
    book = Workbook()
    sheet = book.active
    sheet.title = "Savings ledger"
    sheet.append([_cell(title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    header_row = 3
    sheet.append(list(table.columns))
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    money_columns = [i for i, c in enumerate(table.columns, start=1) if c.endswith("(£)")]
    for record in table.itertuples(index=False):
        sheet.append([_cell(v) for v in record])
    last = sheet.max_row
    total = totals(labelled)
    totals_row = ["Total"] + [None] * (len(table.columns) - 1)
    for i, measure in zip(money_columns, MEASURES):
        value = total[measure]
        totals_row[i - 1] = None if math.isnan(value) else round(value, 2)
    sheet.append(totals_row)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for i in money_columns:
        for row in range(header_row + 1, sheet.max_row + 1):
            sheet.cell(row=row, column=i).number_format = "£#,##0.00"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    if last > header_row:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(table.columns))}{last}"
    widths = {"Saving": 12, "Financial year": 14, "Work stream": 40, "Council": 18, "Category": 20,
              "Cashable": 14, "Recurring": 12, "Source": 50}
    for i, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = widths.get(column, 16)

    sources = book.create_sheet("Sources")
    sources.append(["Source", "Rows", "Planned (£)", "Delivered (£)", "Illustrative"])
    for cell in sources[1]:
        cell.font = Font(bold=True)
    for source, part in labelled.groupby("source", sort=True):
        delivered = _sum(part["delivered_gbp"])
        sources.append([_cell(source), int(len(part)), round(float(part["planned_gbp"].sum()), 2),
                        None if math.isnan(delivered) else round(delivered, 2),
                        "yes" if is_illustrative(source) else "no"])
    for row in range(2, sources.max_row + 1):
        for column in (3, 4):
            sources.cell(row=row, column=column).number_format = "£#,##0.00"
    sources.column_dimensions["A"].width = 60
    for letter in "BCDE":
        sources.column_dimensions[letter].width = 16
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Charts


def money_ticks(high: float, low: float = 0.0, count: int = 5) -> tuple[list[float], list[str]]:
    """Round tick values between low and high, labelled with format_money (£750k, £1.2m)."""
    span = max(high - low, 1.0)
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    values = []
    v = start
    while v <= high + step * 0.999:
        values.append(round(v, 2))
        v += step
    return values, [format_money(v) if v else "£0" for v in values]


def _money_axis(title: str, values: Sequence[float]) -> dict:
    finite = [float(v) for v in values if v is not None and not pd.isna(v)]
    high = max(finite + [0.0])
    low = min(finite + [0.0])
    ticks, labels = money_ticks(high, low)
    return {"title": {"text": title}, "tickvals": ticks, "ticktext": labels,
            "range": [min(ticks[0], low), max(ticks[-1], high) * 1.02 if high > 0 else 1]}


def _money_labels(values: Sequence[float]) -> list[str]:
    return ["not yet reported" if pd.isna(v) else format_money(v) for v in values]


def _empty(fig: go.Figure, text: str) -> go.Figure:
    fig.add_annotation(text=text, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False)
    return fig


def year_figure(yearly: pd.DataFrame, title: str) -> go.Figure:
    """Planned and delivered by financial year as bars, with cumulative delivered (and planned)
    since the programme began as lines on the same pounds axis. Hover names each figure's source."""
    fig = go.Figure()
    years = yearly["financial_year"].astype(str).tolist()
    for measure, colour, pattern in (("planned_gbp", PALETTE[5], "/"), ("forecast_gbp", PALETTE[1], "."),
                                     ("delivered_gbp", PALETTE[0], "")):
        values = yearly[measure].tolist()
        fig.add_trace(go.Bar(
            x=years, y=[None if pd.isna(v) else v for v in values], name=MEASURE_LABELS[measure],
            marker={"color": colour, "pattern": {"shape": pattern}},
            customdata=np.column_stack([_money_labels(values), yearly["sources"].tolist()]) if len(years) else None,
            hovertemplate=f"{MEASURE_LABELS[measure]} %{{x}}: %{{customdata[0]}}<br>Source: %{{customdata[1]}}<extra></extra>",
        ))
    for column, name, colour, dash in (("cumulative_planned_gbp", "Cumulative planned", PALETTE[5], "dot"),
                                       ("cumulative_delivered_gbp", "Cumulative delivered", PALETTE[3], "solid")):
        values = yearly[column].tolist()
        fig.add_trace(go.Scatter(
            x=years, y=[None if pd.isna(v) else v for v in values], name=name, mode="lines+markers",
            line={"color": colour, "dash": dash, "width": 3}, marker={"symbol": "diamond", "size": 8},
            customdata=_money_labels(values), yaxis="y2",
            hovertemplate=f"{name} by %{{x}}: %{{customdata}}<extra></extra>",
        ))
    annual = pd.concat([yearly[c] for c in MEASURES]).tolist() if len(yearly) else []
    running = pd.concat([yearly[c] for c in ("cumulative_planned_gbp", "cumulative_delivered_gbp")]).tolist() if len(yearly) else []
    fig.update_layout(
        title={"text": title}, barmode="group",
        xaxis={"title": {"text": "Financial year"}, "type": "category"},
        yaxis=_money_axis("Savings in the year (£), bars", annual),
        yaxis2={**_money_axis("Cumulative since the programme began (£), lines", running),
                "overlaying": "y", "side": "right", "showgrid": False},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
        margin={"l": 10, "r": 10, "t": 60, "b": 90}, height=460,
    )
    return fig if len(yearly) else _empty(fig, "No savings to show")


def breakdown_figure(frame: pd.DataFrame, by: str, title: str) -> go.Figure:
    """Planned against delivered (and forecast) per work stream, council or category, as
    horizontal bars labelled in pounds; hover names the sources."""
    names = frame[by].astype(str).tolist() if len(frame) else []
    fig = go.Figure()
    for measure, colour, pattern in (("planned_gbp", PALETTE[5], "/"), ("forecast_gbp", PALETTE[1], "."),
                                     ("delivered_gbp", PALETTE[0], "")):
        values = frame[measure].tolist() if len(frame) else []
        fig.add_trace(go.Bar(
            y=names, x=[None if pd.isna(v) else v for v in values], orientation="h", name=MEASURE_LABELS[measure],
            marker={"color": colour, "pattern": {"shape": pattern}},
            text=_money_labels(values), textposition="outside", cliponaxis=False,
            customdata=frame["sources"].tolist() if len(frame) else None,
            hovertemplate=f"%{{y}} — {MEASURE_LABELS[measure].lower()} %{{text}}<br>Source: %{{customdata}}<extra></extra>",
        ))
    values = pd.concat([frame[m] for m in MEASURES]).tolist() if len(frame) else []
    axis = _money_axis("Savings (£)", values)
    axis["range"] = [axis["range"][0], axis["range"][1] * 1.15]
    fig.update_layout(
        title={"text": title}, barmode="group", xaxis=axis,
        yaxis={"title": {"text": DIMENSIONS.get(by, by)}, "autorange": "reversed", "type": "category",
               "automargin": True},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
        margin={"l": 10, "r": 10, "t": 60, "b": 90}, height=max(320, 170 + 90 * len(names)),
    )
    return fig if len(frame) else _empty(fig, "No savings to show")


def waterfall_figure(steps: pd.DataFrame, title: str) -> go.Figure:
    """Planned → each work stream's shortfall (−) or overdelivery (+) → delivered (or forecast)."""
    amounts = steps["amount_gbp"].tolist()
    labels = [format_money(v) if m != "relative" or abs(v) < TOLERANCE_GBP else ("+" if v > 0 else "") + format_money(v)
              for v, m in zip(amounts, steps["measure"])]
    fig = go.Figure(go.Waterfall(
        x=steps["step"].tolist(), y=amounts, measure=steps["measure"].tolist(), text=labels,
        textposition="outside", cliponaxis=False, name="Savings",
        increasing={"marker": {"color": PALETTE[2]}}, decreasing={"marker": {"color": PALETTE[4]}},
        totals={"marker": {"color": PALETTE[0]}}, connector={"line": {"color": "#505a5f"}},
        customdata=steps["sources"].tolist(),
        hovertemplate="%{x}: %{text}<br>Source: %{customdata}<extra></extra>",
    ))
    running = np.cumsum([a if m != "total" else 0 for a, m in zip(amounts, steps["measure"])]) if amounts else []
    axis = _money_axis("Savings (£)", list(running) + [a for a, m in zip(amounts, steps["measure"]) if m != "relative"])
    axis["range"] = [axis["range"][0], axis["range"][1] * 1.12]
    fig.update_layout(
        title={"text": title}, showlegend=False,
        xaxis={"title": {"text": "Step (shortfall − or overdelivery + by work stream)"}, "type": "category"},
        yaxis=axis, margin={"l": 10, "r": 10, "t": 60, "b": 10}, height=440,
    )
    return fig


def cost_share_figure(shares: pd.DataFrame, title: str) -> go.Figure:
    """Each council's part of the shared costs per financial year, stacked; hover gives the cost
    item, the share and the source."""
    fig = go.Figure()
    years = sorted(shares["financial_year"].astype(str).unique()) if len(shares) else []
    patterns = ["", "/", ".", "x", "-", "+"]
    for i, (council, part) in enumerate(shares.groupby("council_name", sort=True)):
        per_year = part.groupby("financial_year")["amount_gbp"].sum().reindex(years)
        detail = pd.Series({
            year: "<br>".join(f"{item}: {share:g}% = {format_money(amount)} ({source})"
                              for item, share, amount, source in
                              zip(p["cost_item"], p["share_pct"], p["amount_gbp"], p["source"]))
            for year, p in part.groupby("financial_year", sort=True)}).reindex(years).fillna("")
        fig.add_trace(go.Bar(
            x=years, y=per_year.fillna(0).tolist(), name=str(council),
            marker={"color": PALETTE[i % len(PALETTE)], "pattern": {"shape": patterns[i % len(patterns)]}},
            customdata=np.column_stack([_money_labels(per_year.tolist()), detail.tolist()]),
            hovertemplate=f"{council} %{{x}}: %{{customdata[0]}}<br>%{{customdata[1]}}<extra></extra>",
        ))
    stacked = shares.groupby("financial_year")["amount_gbp"].sum().tolist() if len(shares) else []
    fig.update_layout(
        title={"text": title}, barmode="stack",
        xaxis={"title": {"text": "Financial year"}, "type": "category"},
        yaxis=_money_axis("Cost borne (£)", stacked),
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "title": {"text": "Council"}},
        margin={"l": 10, "r": 10, "t": 60, "b": 90}, height=420,
    )
    return fig if len(shares) else _empty(fig, "No cost shares to show")
