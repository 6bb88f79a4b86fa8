"""The report's two indicator sections, kept apart: the supported council's improvement indicators
(the evidence delivery confidence is proposed from) and the lending council's no-detriment
indicators (with the no-detriment verdicts of monitor.no_detriment.facts, as on the Overview). Each
table and chart names its council and each figure its unit; "illustrative" marks only the section
whose own figures are illustrative."""
from __future__ import annotations

import pandas as pd

from monitor.formatting import counted, format_date
from monitor.no_detriment.facts import NoDetrimentFacts
from monitor.no_detriment.spc import xmr
from monitor.no_detriment.spc_icons import ICON_LABELS, describe, variation_icon
from monitor.periods import previous_quarter, quarter_bounds
from monitor.report.provenance import source_note
from monitor.report.sections import ReportDate, _empty, _section, _table
from monitor.sources.citation import provenance
from monitor.values import day, day_column, json_number, text

IMPROVEMENT, NO_DETRIMENT = "improvement", "no_detriment"
KEY = {IMPROVEMENT: "indicators", NO_DETRIMENT: "no_detriment"}
NOUN = {IMPROVEMENT: "improvement indicator", NO_DETRIMENT: "no-detriment indicator"}


def value_with_unit(value: float, unit: str) -> str:
    """'42.0%', '17.3 cases per FTE'."""
    return f"{value:,.1f}%" if unit == "%" else f"{value:,.1f} {unit}".rstrip()


def unit_words(unit: str) -> str:
    """An axis title for a unit: 'Per cent (%)', 'Cases per FTE'."""
    if unit == "%":
        return "Per cent (%)"
    return (unit[:1].upper() + unit[1:]) if unit else "Value"


def _baseline_points(rows: pd.DataFrame) -> int | None:
    end = day(rows["baseline_end_date"].iloc[0]) if "baseline_end_date" in rows.columns else pd.NaT
    if pd.isna(end):
        return None
    n = int((rows["_end"] <= end).sum())
    return n if n >= 2 else None


def _publications(values: pd.DataFrame) -> dict[str, str]:
    if "publication" not in values.columns:
        return {}
    pairs = values[["source", "publication"]].dropna().drop_duplicates()
    return dict(zip(pairs["source"].astype(str), pairs["publication"].astype(str)))


def _title(purpose: str, councils: list[str]) -> str:
    base = "Improvement indicators" if purpose == IMPROVEMENT else "No-detriment indicators"
    return f"{base}: {' and '.join(councils)}" if councils else base


def indicator_section(values: pd.DataFrame, quarter: str, when: ReportDate, nd: NoDetrimentFacts,
                      purpose: str = IMPROVEMENT) -> dict:
    """One purpose's indicators by the quarter end, a table and an SPC chart per council: each
    indicator's latest value with its unit, its change since the previous quarter, its SPC position
    (Making Data Count) against its pre-programme baseline and, for no-detriment indicators, the
    verdict the No-detriment page gives; special causes that fell in the quarter."""
    key = KEY[purpose]
    q_start, q_end = quarter_bounds(quarter)
    prev_end = quarter_bounds(previous_quarter(quarter))[1]
    if not _empty(values) and "purpose" in values.columns:
        values = values.loc[values["purpose"].astype(str).eq(purpose)]
    if _empty(values):
        facts = ({"indicators": 0, "indicators_concern": 0, "indicators_improvement": 0, "indicators_new_data": 0,
                  "special_causes_in_quarter": 0} if purpose == IMPROVEMENT else
                 {"no_detriment_indicators": 0, "no_detriment_concerns": 0, "no_detriment_new_data": 0})
        sec = _section(key, f"No {NOUN[purpose]}s recorded for this programme.", facts)
        sec["title"] = _title(purpose, [])
        return sec
    verdict = {i.indicator_id: i.word for i in nd.indicators}
    publications = _publications(values)
    councils = sorted({text(c) for c in values["authority_name"]}) if "authority_name" in values.columns else []
    tables, charts, facts_each, all_sources = [], [], {}, []
    concern = improvement = new_data = special_in_q = 0
    for council in councils or [""]:
        mine = values.loc[values["authority_name"].astype(str).eq(council)] if council else values
        rows_out, chart_rows, units, sources = [], [], {}, []
        for indicator_id, rows in mine.groupby("indicator_id", sort=False):
            rows = rows.assign(_end=day_column(rows, "period_end_date")).sort_values("_end")
            upto = rows.loc[rows["_end"] <= day(q_end)]
            name, unit = str(rows["indicator_name"].iloc[0]), text(rows["unit"].iloc[0])
            direction = str(rows["improvement"].iloc[0])
            units[name] = unit
            row_sources = list(upto["source"]) if "source" in upto.columns else []
            sources += row_sources
            words = sorted({provenance(s) or "illustrative" for s in row_sources}) or ["–"]
            extra = [verdict.get(str(indicator_id), "no data")] if purpose == NO_DETRIMENT else []
            present = upto.loc[upto["value"].notna()]
            if present.empty:
                rows_out.append([name, unit, "no data by the quarter end", "", "", "", *extra, ", ".join(words), ""])
                facts_each[str(indicator_id)] = {"name": name, "council": council, "latest": None, "icon": None}
                continue
            latest = present.iloc[-1]
            earlier = present.loc[present["_end"] <= day(prev_end)]
            change = None if earlier.empty else float(latest["value"]) - float(earlier.iloc[-1]["value"])
            is_new = bool(latest["_end"] > day(q_start) - pd.Timedelta(days=1))
            new_data += is_new
            icon, icon_words, sentence = "", "", ""
            if len(present) >= 2:
                frame = xmr(upto["value"].astype(float).tolist(), direction, baseline_points=_baseline_points(upto))
                icon = variation_icon(frame, direction)
                symbol, label = ICON_LABELS[icon]
                icon_words = f"{symbol} {label}"
                baseline = f"{text(rows['baseline_period'].iloc[0]) or 'baseline'} baseline".replace(
                    "baseline baseline", "baseline")
                sentence = f"{council}: {describe(frame, direction, name, baseline)}" if council else \
                    describe(frame, direction, name, baseline)
                concern += icon.startswith("special_cause_concern")
                improvement += icon.startswith("special_cause_improvement")
                in_q = (upto["_end"] >= day(q_start)).to_numpy() & frame["point_type"].str.startswith("special_cause").to_numpy()
                special_in_q += int(in_q.sum())
                for end, value, mean, lower, upper, point in zip(
                        upto["_end"], frame["value"], frame["mean"], frame["lower_limit"], frame["upper_limit"],
                        frame["point_type"]):
                    chart_rows.append([name, end.date().isoformat(), json_number(value), json_number(mean),
                                       json_number(lower), json_number(upper), point])
            change_text = "" if change is None else (
                "no change" if abs(change) < 1e-9 else f"{'+' if change > 0 else '−'}{abs(change):,.1f}")
            rows_out.append([name, unit, f"{text(latest['period_label'])}{' (new)' if is_new else ''}",
                             value_with_unit(float(latest["value"]), unit), change_text, icon_words, *extra,
                             ", ".join(words), sentence])
            facts_each[str(indicator_id)] = {"name": name, "council": council,
                                             "latest": json_number(latest["value"]), "icon": icon or None}
        all_sources += sources
        who = council or "the programme's councils"
        note = source_note(f"{who}'s {NOUN[purpose]}s in Improvement Monitor, values to {format_date(q_end)}",
                           sources, publications)
        columns = ["Indicator", "Unit", "Latest period", "Value", "Change since last quarter", "Variation (SPC)",
                   *(["No-detriment verdict"] if purpose == NO_DETRIMENT else []), "Provenance", "In words"]
        table = _table(f"{who}: {NOUN[purpose]}s at {format_date(q_end)}", columns, rows_out)
        table["source"] = note
        tables.append(table)
        if chart_rows:
            one_unit = set(units.values()) if len(set(units.values())) == 1 else set()
            charts.append({
                "kind": "spc", "council": council, "units": units, "source": note,
                "heading": f"{who}: {NOUN[purpose]}s",
                "title": f"{who}: {NOUN[purpose]}s to {format_date(q_end)}, with SPC mean and process limits",
                "summary": (f"One panel per indicator of {who}, titled with its unit: its values with the SPC mean "
                            "and process limits; special causes are marked by shape (circle: concern, square: "
                            "improvement)."),
                "x_title": "Period end", "y_title": unit_words(one_unit.pop()) if one_unit else "Value (unit in each title)",
                "columns": ["Indicator", "Period end", "Value", "Mean", "Lower limit", "Upper limit", "Point type"],
                "rows": chart_rows})
    n = len(facts_each)
    of = f" of {' and '.join(councils)}" if councils else ""
    if purpose == IMPROVEMENT:
        facts = {"indicators": n, "indicators_concern": concern, "indicators_improvement": improvement,
                 "indicators_new_data": new_data, "special_causes_in_quarter": special_in_q, "by_indicator": facts_each}
        summary = (f"{counted(n, NOUN[purpose])}{of}; {new_data} with new figures this quarter; latest point a special "
                   f"cause of concern for {concern}, of improvement for {improvement}; "
                   f"{counted(special_in_q, 'special-cause point')} in the quarter.")
    else:
        facts = {"no_detriment_indicators": len(nd.indicators), "no_detriment_concerns": nd.concerns,
                 "no_detriment_new_data": new_data, "special_causes_in_quarter": special_in_q,
                 "no_detriment_verdict": nd.sentence(), "by_indicator": facts_each}
        summary = (f"{nd.sentence()}. {counted(n, NOUN[purpose])}{of}; {new_data} with new figures this quarter; "
                   f"{counted(special_in_q, 'special-cause point')} in the quarter.")
    sec = _section(key, summary, facts, tables, charts, all_sources)
    sec["title"] = _title(purpose, councils)
    sec["councils"] = councils
    return sec
