"""Savings: labelling, filters, aggregates that reconcile with the ledger, cumulative, the
waterfall, cost shares, the Excel ledger and the charts — on hand-made ledgers."""
import io
import math

import numpy as np
import datetime as dt

import pandas as pd
import pytest
from openpyxl import load_workbook
from monitor.savings.charts import breakdown_figure, cost_share_figure, money_ticks, waterfall_figure, year_figure
from monitor.savings.export import LEDGER_COLUMNS, ledger_table, ledger_xlsx, readable
from monitor.tidy import Origin

ORIGIN = Origin("the savings ledger", dt.date(2026, 12, 4))
from monitor.savings.ledger import DIMENSIONS, MEASURES, NO_WORKSTREAM, aggregate, by_year, cost_share_sentences, cost_share_summary, describe_source, filter_ledger, illustrative_sentence, illustrative_share, label_ledger, options, reconcile, totals, trace_label, waterfall_sentence, waterfall_steps


def ledger(rows) -> pd.DataFrame:
    """Rows: (id, year, workstream name or None, council, category, cashable, recurring, planned,
    forecast, delivered, source)."""
    frame = pd.DataFrame(rows, columns=["saving_id", "financial_year", "workstream_name", "council_name",
                                        "category", "is_cashable", "is_recurring", "planned_gbp",
                                        "forecast_gbp", "delivered_gbp", "source"])
    frame["ons_code"] = frame["council_name"].map({"Breckland": "E07000143", "South Holland": "E07000140"})
    return label_ledger(frame)


HAND = ledger([
    ("s1", "2019/20", "Management", "Breckland", "staffing", True, True, 100_000, 95_000, 90_000, "illustrative"),
    ("s2", "2019/20", "Services", "South Holland", "procurement", True, False, 50_000.25, 50_000, 55_000.50, "003 minutes"),
    ("s3", "2020/21", "Management", "South Holland", "staffing", False, True, 80_000, 82_000, 81_000, "003 table 6 (values illustrative)"),
    ("s4", "2020/21", None, "Breckland", "income", True, True, 20_000, 20_000, None, "illustrative"),
    ("s5", "2021/22", "Services", "Breckland", "procurement", True, True, 30_000, 28_000, None, "003 minutes"),
])


def test_labels_for_missing_workstream_cashable_and_recurring():
    assert HAND.set_index("saving_id").loc["s4", "workstream"] == NO_WORKSTREAM
    assert HAND["cashable"].tolist() == ["Cashable", "Cashable", "Non-cashable", "Cashable", "Cashable"]
    assert HAND["recurring"].tolist() == ["Recurring", "One-off", "Recurring", "Recurring", "Recurring"]
    assert options(HAND, "workstream") == ["Management", "Services", NO_WORKSTREAM]
    assert options(HAND, "financial_year") == ["2019/20", "2020/21", "2021/22"]


def test_filters_combine_and_empty_means_all():
    assert len(filter_ledger(HAND)) == 5
    assert len(filter_ledger(HAND, financial_year=[], council=None)) == 5
    one = filter_ledger(HAND, financial_year=["2020/21"], council=["South Holland"])
    assert one["saving_id"].tolist() == ["s3"]
    assert filter_ledger(HAND, cashable=["Non-cashable"])["saving_id"].tolist() == ["s3"]
    assert filter_ledger(HAND, recurring=["One-off"])["saving_id"].tolist() == ["s2"]
    with pytest.raises(ValueError):
        filter_ledger(HAND, source=["x"])


def test_totals_keep_not_reported_apart_from_zero():
    total = totals(HAND)
    assert total["planned_gbp"] == pytest.approx(280_000.25)
    assert total["delivered_gbp"] == pytest.approx(226_000.50)
    # Like for like: planned over the three rows with a delivered figure.
    assert total["planned_to_date_gbp"] == pytest.approx(230_000.25)
    assert total["delivered_pct"] == pytest.approx(226_000.50 / 230_000.25 * 100)
    future = totals(filter_ledger(HAND, financial_year=["2021/22"]))
    assert math.isnan(future["delivered_gbp"]) and future["rows_reported"] == 0
    assert math.isnan(future["delivered_pct"])


def test_every_aggregate_reconciles_with_the_ledger():
    aggregates = [aggregate(HAND, d) for d in DIMENSIONS]
    assert reconcile(HAND, *aggregates, by_year(HAND)) == []
    for frame in aggregates:
        assert frame["rows"].sum() == len(HAND)
        for measure in MEASURES:
            assert frame[measure].sum() == pytest.approx(HAND[measure].sum())
    # A wrong aggregate is caught, by amount and by row count.
    broken = aggregates[0].copy()
    broken.loc[0, "planned_gbp"] += 1
    broken.loc[0, "rows"] += 1
    problems = reconcile(HAND, broken)
    assert any("Planned by financial year" in p for p in problems)
    assert any("Rows by financial year" in p for p in problems)


def test_aggregate_carries_sources_and_illustrative_pounds():
    by_ws = aggregate(HAND, "workstream").set_index("workstream")
    assert by_ws.loc["Management", "sources"] == "003 table 6 (values illustrative); illustrative"
    assert by_ws.loc["Management", "illustrative_planned_gbp"] == 180_000
    assert by_ws.loc["Services", "illustrative_planned_gbp"] == 0
    assert list(by_ws.index) == ["Management", "Services", NO_WORKSTREAM]
    # A group with no delivered figure at all stays NaN, not £0.
    assert math.isnan(by_ws.loc[NO_WORKSTREAM, "delivered_gbp"])
    assert illustrative_share(HAND) == (200_000, pytest.approx(280_000.25))


def test_cumulative_runs_from_the_start_even_when_years_are_filtered():
    yearly = by_year(HAND)
    assert yearly["cumulative_planned_gbp"].tolist() == pytest.approx([150_000.25, 250_000.25, 280_000.25])
    assert yearly["cumulative_delivered_gbp"].iloc[:2].tolist() == pytest.approx([145_000.50, 226_000.50])
    assert math.isnan(yearly["cumulative_delivered_gbp"].iloc[2])  # nothing delivered yet in 2021/22
    only = by_year(HAND, ["2020/21"])
    assert only["financial_year"].tolist() == ["2020/21"]
    assert only["planned_gbp"].iloc[0] == 100_000
    assert only["cumulative_planned_gbp"].iloc[0] == pytest.approx(250_000.25)
    # And the one-year view still reconciles with the one-year ledger.
    assert reconcile(filter_ledger(HAND, financial_year=["2020/21"]), only) == []


def test_waterfall_from_planned_to_delivered_adds_up():
    steps = waterfall_steps(HAND, "2020/21")
    # s4 has no delivered figure: left out, so planned and delivered compare like for like.
    assert steps.attrs == {"target": "Delivered", "left_out": 1}
    assert steps["step"].tolist() == ["Planned", "Management", "Delivered"]
    assert steps["measure"].tolist() == ["absolute", "relative", "total"]
    assert steps["amount_gbp"].tolist() == [80_000, 1_000, 81_000]
    steps = waterfall_steps(HAND, "2019/20")
    relative = steps.loc[steps["measure"] == "relative", "amount_gbp"].sum()
    assert steps["amount_gbp"].iloc[0] + relative == pytest.approx(steps["amount_gbp"].iloc[-1])
    assert waterfall_sentence(steps, "2019/20") == (
        "In 2019/20, delivered £0.15m against £0.15m planned: a shortfall of £5k; "
        "the largest shortfall is in Management (£10k).")
    # No delivered figure in the year yet: planned to forecast.
    future = waterfall_steps(HAND, "2021/22")
    assert future.attrs["target"] == "Forecast" and future["amount_gbp"].tolist() == [30_000, -2_000, 28_000]
    assert "a shortfall of £2k" in waterfall_sentence(future, "2021/22")


def test_cost_share_summary_and_sentences():
    shares = pd.DataFrame({
        "cost_item": ["Shared Chief Executive salary"] * 4 + ["Additional improvement support"] * 2,
        "council_name": ["East Sussex", "West Sussex"] * 3,
        "financial_year": ["2020/21", "2020/21", "2021/22", "2021/22", "2020/21", "2020/21"],
        "share_pct": [50.0, 50.0, 50.0, 50.0, 0.0, 100.0],
        "amount_gbp": [95_000.0, 95_000.0, 96_000.0, 96_000.0, 0.0, 260_000.0],
        "source": ["000 para 4.1"] * 6,
    })
    summary = cost_share_summary(shares).set_index(["cost_item", "council"])
    assert summary.loc[("Shared Chief Executive salary", "East Sussex"), "share"] == "50%"
    assert summary.loc[("Shared Chief Executive salary", "West Sussex"), "amount_gbp"] == 191_000
    assert summary.loc[("Shared Chief Executive salary", "West Sussex"), "years"] == "2020/21 to 2021/22"
    assert summary.loc[("Additional improvement support", "West Sussex"), "share"] == "100%"
    sentences = cost_share_sentences(shares)
    assert "**Shared Chief Executive salary:** East Sussex 50%, West Sussex 50% — £0.38m in all" in sentences[1]
    assert "West Sussex 100%" in sentences[0]
    fig = cost_share_figure(shares, "Shared costs")
    assert fig.layout.title.text == "Shared costs" and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert fig.layout.barmode == "stack"
    assert "000 para 4.1" in fig.data[0].customdata[0][1]
    assert cost_share_summary(shares.iloc[:0]).empty


def test_excel_ledger_numbers_totals_and_no_formula_injection():
    hostile = ledger([
        ("s1", "2019/20", "=HYPERLINK(\"http://x\")", "Breckland", "+cmd", True, True, 1_000, 900, 800,
         "@SUM(A1)\x07"),
        ("s2", "2020/21", "Services", "South Holland", "-2+3", False, False, 2_000.5, 2_000, None, "003 minutes"),
    ])
    data = ledger_xlsx(hostile, title="Savings ledger: test", origin=ORIGIN)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Savings ledger", "Sources", "About"]
    assert list(book["About"].iter_rows(values_only=True))[1:] == [("Source", "the savings ledger"),
                                                                   ("As at", "2026-12-04")]
    sheet = book["Savings ledger"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Savings ledger: test"
    header = list(rows[2])
    # Pounds as numbers, each measure's unit in the column beside it; each source's link beside it
    assert header == ["Saving", "Financial year", "Work stream", "Council", "Category", "Cashable", "Recurring",
                      "Planned", "Planned unit", "Forecast", "Forecast unit", "Delivered", "Delivered unit", "Source",
                      "Source link"]
    body = rows[3:5]
    assert {r[header.index("Planned unit")] for r in body} == {"GBP"}
    cells = [c for row in body for c in row if isinstance(c, str)]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells), cells
    assert "'=HYPERLINK(\"http://x\")" in body[0] and "'+cmd" in body[0] and "'-2+3" in body[1]
    assert "'@SUM(A1)" in body[0]  # the control character is dropped too
    planned = header.index("Planned")
    delivered = header.index("Delivered")
    assert body[1][planned] == 2_000.5 and body[1][delivered] is None  # numbers, and missing stays empty
    totals = rows[5]
    assert totals[0] == "Total" and totals[planned] == 3_000.5 and totals[delivered] == 800
    assert sheet.cell(row=4, column=planned + 1).number_format == "£#,##0.00"
    assert sheet.freeze_panes == "A4"
    # No formulas anywhere: every cell is a value.
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    sources = list(book["Sources"].iter_rows(values_only=True))
    assert sources[0] == ("Source", "Source link", "Rows", "Planned", "Planned unit", "Delivered", "Delivered unit",
                          "Illustrative")
    assert len(sources) == 3
    # Text the citation grammar does not read is no link, in a cell or in the link column.
    assert not any(c.hyperlink for ws in book for row in ws.iter_rows() for c in row)
    assert {r[1] for r in sources[1:]} == {None} and {r[header.index("Source link")] for r in body} == {None}


def test_every_source_in_the_ledger_workbook_is_a_link_to_its_passage_or_publisher(monkeypatch):
    """Each source cell that leads somewhere is a hyperlink, styled as one, to source_target's
    address outside the app (the reader's passage at MONITOR_BASE_URL, or the publisher's page),
    with its address in words beside it — on the ledger and on the Sources sheet."""
    from monitor.sources.links import References, absolute_url, source_target

    monkeypatch.setenv("MONITOR_BASE_URL", "https://monitor.example.gov.uk")
    pages = {"dfe_x.csv": "https://explore-education-statistics.service.gov.uk/find-statistics/x"}
    sources = ["003 §15 (derived: r)", "dfe_x.csv", "illustrative", "[Sign in](https://evil.example)", "000 para 3.2"]
    frame = ledger([(f"s{i}", "2020/21", "Services", "Breckland", "staffing", True, True, 10, 10, 10, source)
                    for i, source in enumerate(sources)])
    book = load_workbook(io.BytesIO(ledger_xlsx(frame, title="t", origin=ORIGIN, references=References(pages, {}, {}))))
    expected = {s: absolute_url(source_target(s, pages).url) for s in sources}
    assert expected["003 §15 (derived: r)"] == "https://monitor.example.gov.uk/sources?paper=003&passage=%C2%A715"
    assert expected["dfe_x.csv"] == pages["dfe_x.csv"] and expected["illustrative"] is None
    for sheet, header_row in ((book["Savings ledger"], 3), (book["Sources"], 1)):
        header = [c.value for c in sheet[header_row]]
        column = header.index("Source") + 1
        assert header[column] == "Source link"
        seen = 0
        for row in sheet.iter_rows(min_row=header_row + 1):
            cell, words = row[column - 1], row[column].value
            if cell.value not in expected:
                continue
            seen += 1
            url = expected[cell.value]
            assert (cell.hyperlink.target if cell.hyperlink else None) == url == words, cell.value
            assert cell.style == ("Hyperlink" if url else "Normal")
        assert seen == len(sources)
    assert "evil" not in "".join(str(c.hyperlink.target) for ws in book for row in ws.iter_rows() for c in row
                                 if c.hyperlink)


def test_ledger_xlsx_of_the_hand_ledger_reconciles():
    book = load_workbook(io.BytesIO(ledger_xlsx(HAND, title="t", origin=ORIGIN)))
    rows = list(book["Savings ledger"].iter_rows(values_only=True))
    header = list(rows[2])
    body, total = rows[3:-1], rows[-1]
    for column, measure in (("Planned", "planned_gbp"), ("Delivered", "delivered_gbp")):
        i = header.index(column)
        assert sum(r[i] or 0 for r in body) == pytest.approx(total[i]) == pytest.approx(HAND[measure].sum())


def test_describe_source():
    papers = pd.DataFrame({"source_file": ["003_3a53.txt", "000_8b94.txt"],
                           "title": ["Shared Management Review", "Partnership Working Proposal"],
                           "published_date": [pd.NaT, pd.Timestamp("2019-12-18")]})
    assert describe_source("illustrative", papers).startswith("illustrative — made up")
    assert describe_source("000 para 4.1", papers) == \
        "seed paper 000, “Partnership Working Proposal” (18 Dec 2019), para 4.1"
    assert "00:00" not in describe_source("000 para 4.1", papers)
    assert describe_source("003 minutes", papers) == "seed paper 003, “Shared Management Review”, minutes"
    assert describe_source("dfe_csww.csv") == "official file dfe_csww.csv"
    assert describe_source("") == "no source recorded"


def test_readable_tables_show_full_pounds_and_not_yet_reported():
    table = readable(aggregate(HAND, "workstream"))
    assert "Planned (£)" in table.columns and "planned_gbp" not in table.columns
    row = table.set_index("Work stream").loc[NO_WORKSTREAM]
    assert row["Planned (£)"] == "£20,000" and row["Delivered (£)"] == "not yet reported"
    assert trace_label(HAND.iloc[3]).endswith("planned £20,000 (not yet delivered)")
    assert ledger_table(HAND).columns.tolist() == list(LEDGER_COLUMNS.values())


def test_illustrative_sentence():
    assert "(100%)" in illustrative_sentence(10, 10) and "other" not in illustrative_sentence(10, 10)
    assert "The other £6 comes" in illustrative_sentence(4, 10)
    assert illustrative_sentence(0, 10).startswith("**None of the £10 planned")


def test_money_ticks_read_as_money():
    values, labels = money_ticks(1_200_000)
    assert values[0] == 0 and values[-1] >= 1_200_000
    assert labels[:3] == ["£0", "£0.25m", "£0.5m"]


def test_charts_have_titles_axes_money_ticks_and_sources_on_hover():
    yearly = by_year(HAND)
    fig = year_figure(yearly, "By year")
    assert fig.layout.title.text == "By year"
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text and fig.layout.yaxis2.title.text
    assert all(t.startswith("£") for t in fig.layout.yaxis.ticktext)
    bars = [t for t in fig.data if t.type == "bar"]
    lines = [t for t in fig.data if t.type == "scatter"]
    assert [b.name for b in bars] == ["Planned", "Forecast", "Delivered"] and len(lines) == 2
    delivered = bars[2]
    assert delivered.y[2] is None  # 2021/22 not reported: no bar, not a zero bar
    assert "Source" in delivered.hovertemplate and "illustrative" in delivered.customdata[0][1]
    assert delivered.customdata[2][0] == "not yet reported"
    assert all(t.yaxis == "y2" for t in lines)

    breakdown = breakdown_figure(aggregate(HAND, "council"), "council", "By council")
    assert breakdown.layout.title.text == "By council" and breakdown.layout.yaxis.title.text == "Council"
    assert breakdown.layout.xaxis.title.text == "Savings (£)"
    assert list(breakdown.data[0].text) == ["£0.15m", "£0.13m"]

    water = waterfall_figure(waterfall_steps(HAND, "2019/20"), "Waterfall")
    assert water.layout.title.text == "Waterfall" and water.layout.xaxis.title.text and water.layout.yaxis.title.text
    assert list(water.data[0].text) == ["£0.15m", "−£10k", "+£5k", "£0.15m"]
    assert water.layout.yaxis.range[0] == 0  # running levels never go below zero here

    empty = year_figure(by_year(HAND.iloc[:0]), "Empty")
    assert empty.layout.title.text == "Empty" and empty.layout.annotations[0].text == "No savings to show"
    assert np.isfinite(empty.layout.yaxis.range).all()


def test_income_is_one_rule_and_never_a_saving():
    from monitor.savings.facts import INCOME, SAVING, kind_of, saving_facts

    rows = pd.DataFrame({"programme_id": ["p"] * 3, "financial_year": ["2020/21"] * 3,
                         "category": ["staffing", "income (cost recovery)", "Income"],
                         "planned_gbp": [100.0, 400.0, 50.0], "delivered_gbp": [80.0, 400.0, 50.0]})
    assert kind_of(rows).tolist() == [SAVING, INCOME, INCOME]
    facts = saving_facts(rows, {"p": dt.date(2021, 3, 31)})["p"]
    assert (facts.planned_to_date, facts.delivered_to_date, facts.income_to_date) == (100.0, 80.0, 450.0)


def test_sums_are_pandas_sums_to_the_last_bit():
    """The aggregates sum plain arrays (monitor.savings.ledger._sum): the same figures pandas gives, bit
    for bit, and NaN when no row has a figure."""
    from monitor.savings.ledger import _sum
    rng = np.random.default_rng(7)
    for n in (0, 1, 7, 8, 9, 17, 130, 300):
        values = rng.normal(1e5, 3e5, n).round(2)
        values[rng.random(n) < 0.3] = np.nan
        want = float(pd.Series(values, dtype=float).sum(min_count=1))
        got = _sum(values)
        assert (math.isnan(got) and math.isnan(want)) or got == want
        assert (math.isnan(_sum(pd.Series(values, dtype=float))) and math.isnan(want)) or _sum(pd.Series(values, dtype=float)) == want


def test_aggregate_keeps_a_missing_value_as_one_group_last():
    rows = HAND.assign(council=pd.Series(["Breckland", None, "South Holland", np.nan, "Breckland"], dtype=object))
    by_council = aggregate(rows, "council")
    assert by_council["council"].tolist()[:2] == ["Breckland", "South Holland"]
    assert pd.isna(by_council["council"].iloc[2]) and by_council["rows"].tolist() == [2, 1, 2]
    assert reconcile(rows, by_council) == []
