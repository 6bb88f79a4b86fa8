"""The product's one chart template (monitor.chart_style): registered as the default, text colours
at 4.5:1 or more, long titles wrapped, statuses told by marker shape, and the contrast check itself."""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from monitor import chart_style
from monitor.milestones.charts import timeline_figure
from monitor.milestones.rules import RAG_AMBER, RAG_GREEN, RAG_RED
from monitor.report.charts import chart_figure


def spec(fig: go.Figure) -> dict:
    return json.loads(fig.to_json())


def test_contrast_ratios_match_wcag():
    assert round(chart_style.contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(chart_style.contrast("#767676", "#ffffff"), 2) == 4.54
    assert round(chart_style.contrast("rgb(128,132,149)", "white"), 2) == 3.72  # Streamlit's old tick grey
    assert chart_style.contrast("rgba(0,0,0,0.5)", "#ffffff") < chart_style.contrast("#000000", "#ffffff")
    assert chart_style.rgb("not a colour") is None


def test_the_template_is_the_default_and_every_text_of_it_passes():
    assert pio.templates.default == chart_style.TEMPLATE_NAME
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="A"))
    fig.update_layout(title="T", xaxis_title="X", yaxis_title="Y", annotations=[{"text": "note", "x": 1, "y": 3}])
    found = dict((where.split(" (")[0], colour) for where, colour, _bg in chart_style.text_colours(spec(fig)))
    assert {"title", "xaxis ticks", "yaxis ticks", "xaxis title", "legend", "annotation 0"} <= set(found)
    assert chart_style.contrast_problems(spec(fig)) == []


def test_contrast_problems_finds_faint_text_and_unreadable_bar_labels():
    fig = go.Figure(go.Bar(x=["a"], y=[1], text=["1"], textposition="inside", marker={"color": "#f47738"},
                           insidetextfont={"color": "#ffffff"}))
    fig.update_layout(xaxis={"tickfont": {"color": "rgb(128,132,149)"}})
    problems = chart_style.contrast_problems(spec(fig))
    assert any(p.startswith("xaxis ticks") and "3.72" in p for p in problems)
    assert any("text inside" in p for p in problems)  # white on orange is 2.9:1


def test_long_titles_wrap_and_date_axes_hover_in_the_products_format():
    fig = go.Figure(go.Scatter(x=["2020-02-03"], y=[1]))
    fig.update_layout(title="Milestone completion against plan (burn-up) for every workstream", xaxis_type="date")
    chart_style.finish(fig)
    lines = fig.layout.title.text.split("<br>")
    assert len(lines) > 1 and all(len(line) <= chart_style.TITLE_WIDTH for line in lines)
    assert fig.layout.xaxis.hoverformat == "%-d %b %Y"  # 3 Feb 2020, never Feb 3, 2020
    assert chart_style.finish(fig).layout.title.text == fig.layout.title.text  # twice is once
    assert chart_style.wrap_title("Short") == "Short"


def test_made_before_the_template_was_the_default_still_gets_it():
    fig = go.Figure(layout={"template": "plotly"})
    chart_style.finish(fig)
    assert fig.layout.template.layout.font.color == chart_style.TEXT


def test_the_toolbar_offers_only_the_png_download():
    assert chart_style.PLOT_CONFIG["modeBarButtons"] == [["toImage"]]
    assert chart_style.PLOT_CONFIG["displaylogo"] is False


def test_red_amber_and_green_milestones_differ_in_shape_and_say_their_status():
    symbols = {chart_style.status_symbol(s) for s in (RAG_RED, RAG_AMBER, RAG_GREEN)}
    assert len(symbols) == 3
    plan = pd.DataFrame({
        "milestone_id": ["m1", "m2", "m3"], "milestone_title": ["Late", "Slipping", "Fine"],
        "workstream_id": ["W1"] * 3, "baseline_due_date": pd.to_datetime(["2020-01-31", "2020-05-31", "2020-12-31"]),
        "forecast_due_date": pd.to_datetime(["2020-03-31", "2020-09-30", "2020-12-31"]),
        "completed_date": pd.NaT, "status": ["in progress", "in progress", "on track"]})
    fig = timeline_figure(plan, dt.date(2020, 6, 30), dt.date(2020, 6, 30))
    due = {t.name: t for t in fig.data if t.name.startswith("Due date")}
    assert len({t.marker.symbol for t in due.values()}) == len(due) >= 2
    for name, trace in due.items():
        status = name.removeprefix("Due date — ").split(" ")[0]
        assert status in trace.hovertemplate and status in name  # the word, in legend and hover
    assert chart_style.contrast_problems(spec(chart_style.finish(fig))) == []


def test_the_reports_concern_marker_is_a_shape_of_its_own():
    rows = [["Indicator", f"2023-0{m}-01", v, 10, 5, 15, kind] for m, v, kind in
            ((1, 10, "common_cause"), (2, 11, "common_cause"), (3, 30, "special_cause_concern"))]
    fig = chart_figure({"kind": "spc", "title": "Indicators", "columns": [], "rows": rows, "x_title": "Month"})
    concern = next(t for t in fig.data if t.name == "Special cause of concern")
    value = next(t for t in fig.data if t.name == "Value")
    assert concern.marker.symbol not in (None, "circle") and value.marker.symbol in (None, "circle")
    assert "concern" in concern.hovertemplate
    assert chart_style.contrast_problems(spec(chart_style.finish(fig))) == []
