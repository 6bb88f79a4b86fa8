"""Savings under AppTest: every programme, totals that reconcile with the ledger (checked against
independent SQL), filters in the URL, the source of a figure, cost shares, the Excel ledger, a
programme with no savings, and a scrutiny member who can read but not edit."""
import io

import pytest
from openpyxl import load_workbook

from monitor.formatting import format_money
from tests.apptest import cited, open_app, texts
from tests.dbutil import fetch

PAGE = "pages/savings.py"
PROGRAMMES = ["east-west-sussex", "hampshire-west-sussex", "essex-braintree-brentwood", "breckland-south-holland",
              "south-somerset-sedgemoor"]
SCRUTINY = "cllr.southholland@example.gov.uk"


def sums(db, programme_id, year=None, *, income=False):
    """Totals of the savings rows (or, with `income`, the income rows: never added to savings)."""
    where = ("programme_id = $p" + (" AND financial_year = $y" if year else "")
             + (" AND" if income else " AND NOT") + " lower(category) LIKE 'income%'")
    params = {"p": programme_id, **({"y": year} if year else {})}
    return fetch(db, "SELECT sum(planned_gbp)::DOUBLE AS planned, sum(forecast_gbp)::DOUBLE AS forecast, "
                     "sum(delivered_gbp)::DOUBLE AS delivered, count(*) AS n FROM saving WHERE " + where,
                 params).iloc[0]


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def ledger_frame(at):
    return next(d.value for d in at.dataframe if "Saving" in d.value.columns)


def test_every_programme_renders_and_reconciles(demo_db):
    programmes = fetch(demo_db, "SELECT programme_id FROM programme")["programme_id"].tolist()
    assert sorted(programmes) == sorted(PROGRAMMES)
    for programme_id in programmes:
        at = open_app(PAGE, query={"programme": programme_id})
        assert not at.exception, (programme_id, at.exception)
        expected, income = sums(demo_db, programme_id), sums(demo_db, programme_id, income=True)
        text = texts(at)
        frame = ledger_frame(at)  # the ledger lists every row, savings and income
        assert len(frame) == expected["n"] + income["n"]
        if income["n"]:
            assert f"{int(income['n'])} income row" in text and "is not a saving" in text, programme_id
        if expected["n"]:
            assert metric(at, "Planned") == format_money(expected["planned"]), programme_id
            assert metric(at, "Delivered") == format_money(expected["delivered"]), programme_id
            assert (f"Totals reconcile: every chart and table below adds up to the {int(expected['n'])} ledger rows"
                    in text)
            savings_rows = frame[~frame["Category"].str.lower().str.startswith("income")]
            assert savings_rows["Planned (£)"].sum() == pytest.approx(expected["planned"])
            assert savings_rows["Delivered (£)"].sum() == pytest.approx(expected["delivered"])
        else:  # Hampshire's cost-recovery income: no savings, so no savings total at all
            assert not [m for m in at.metric if m.label == "Planned"], programme_id
        assert "do not reconcile" not in text
        assert at.query_params["programme"] == programme_id
        assert "00:00:00" not in text


def test_one_year_from_the_url_and_from_the_filter(demo_db):
    programme = "breckland-south-holland"
    at = open_app(PAGE, query={"programme": programme, "year": "2020/21"})
    expected = sums(demo_db, programme, "2020/21")
    assert metric(at, "Planned") == format_money(expected["planned"])
    # 2020/21 is one of the years derived from the minutes: about £750k, half to each council.
    assert len(ledger_frame(at)) == expected["n"] == 2
    assert "2 of 34 savings rows" in texts(at)
    # Cumulative since the programme began, not since the filter's year.
    total = sums(demo_db, programme)
    assert f"by 2020/21, {format_money(total['delivered'])} delivered since the programme began" in texts(at)

    at = open_app(PAGE, query={"programme": programme})
    at.multiselect(key="url_year").set_value(["2019/20"]).run()
    assert not at.exception
    assert at.query_params["year"] == "2019/20"
    assert metric(at, "Planned") == format_money(sums(demo_db, programme, "2019/20")["planned"])
    at.multiselect(key="url_council").set_value(["South Holland"]).run()
    assert at.query_params["council"] == "South Holland"
    assert len(ledger_frame(at)) == 1
    assert set(ledger_frame(at)["Council"]) == {"South Holland"}


def test_filters_that_match_nothing_say_so(demo_db):
    # Essex's first year had procurement savings only.
    at = open_app(PAGE, query={"programme": "essex-braintree-brentwood", "year": "2012/13",
                               "workstream": "Asset management"})
    assert not at.exception
    assert "No savings match these filters" in texts(at)


def test_hampshire_savings_have_no_work_stream(demo_db):
    at = open_app(PAGE, query={"programme": "hampshire-west-sussex"})
    assert set(ledger_frame(at)["Work stream"]) == {"No work stream"}


def test_source_of_a_figure(demo_db):
    at = open_app(PAGE, query={"programme": "breckland-south-holland", "year": "2020/21"})
    trace = at.selectbox(key="trace")
    assert trace.value is None and trace.label
    row = fetch(demo_db, "SELECT saving_id, source FROM saving WHERE programme_id = 'breckland-south-holland' "
                         "AND financial_year = '2020/21' ORDER BY saving_id LIMIT 1").iloc[0]
    trace.set_value(row["saving_id"]).run()
    text = texts(at)
    assert "seed paper 003" in text and f"As recorded in the ledger: [{row['source']}](sources?paper=003&passage=%C2%A715)" in text
    # The sources also stand beside every figure in the ledger (each a link to its passage).
    assert {cited(c) for c in ledger_frame(at)["Source"]} == {row["source"]}


def test_illustrative_share_is_stated(demo_db):
    at = open_app(PAGE, query={"programme": "east-west-sussex"})
    text = texts(at)
    assert "rests on illustrative figures" in text or "None of the" in text
    assert "Illustrative data:" in text


def test_cost_shares(demo_db):
    at = open_app(PAGE, query={"programme": "east-west-sussex"})
    text = texts(at)
    assert "**Shared Chief Executive salary:** East Sussex 50%, West Sussex 50%" in text
    assert "**Additional improvement support:** East Sussex 0%, West Sussex 100%" in text
    at = open_app(PAGE, query={"programme": "east-west-sussex", "year": "2020/21"})
    rows = next(d.value for d in at.dataframe if "Cost item" in d.value.columns and "Financial year" in d.value.columns)
    assert set(rows["Financial year"]) == {"2020/21"} and len(rows) == 4
    assert "Who pays what of the shared posts and costs in 2020/21:" in texts(at)
    at = open_app(PAGE, query={"programme": "east-west-sussex", "year": "2027/28"})
    assert "No cost shares are recorded in 2027/28." in texts(at)
    at = open_app(PAGE, query={"programme": "hampshire-west-sussex"})
    assert "No shared posts or costs are recorded for" in texts(at)


def test_excel_ledger_download_reconciles(demo_db, downloads):
    programme = "essex-braintree-brentwood"
    at = open_app(PAGE, query={"programme": programme})
    assert not at.exception
    files = [(name, data) for name, mime, data in downloads if name and name.endswith(".xlsx")]
    assert files, "no Excel download on the page"
    name, data = files[-1]
    assert name == f"savings_ledger_{programme}.xlsx"
    rows = list(load_workbook(io.BytesIO(data))["Savings ledger"].iter_rows(values_only=True))
    header = list(rows[2])
    body, total = rows[3:-1], rows[-1]
    expected = sums(demo_db, programme)
    assert len(body) == expected["n"]
    planned = header.index("Planned")
    assert header[planned + 1] == "Planned unit" and {r[planned + 1] for r in body} == {"GBP"}
    assert total[planned] == pytest.approx(expected["planned"])
    assert sum(r[planned] for r in body) == pytest.approx(expected["planned"])
    csvs = [name for name, mime, _ in downloads if mime == "text/csv"]
    assert f"savings_ledger_{programme}.csv" in csvs


def test_excel_ledger_sources_are_links_to_the_minutes(demo_db, downloads, monkeypatch):
    """Each source cell of the ledger and of its Sources sheet that leads somewhere is a hyperlink to
    the passage in the reader at MONITOR_BASE_URL (source_target), with the address beside it."""
    from monitor.sources.links import absolute_url, source_target

    monkeypatch.setenv("MONITOR_BASE_URL", "https://monitor.example.gov.uk")
    at = open_app(PAGE, query={"programme": "breckland-south-holland"})
    assert not at.exception
    data = next(data for name, mime, data in downloads if name == "savings_ledger_breckland-south-holland.xlsx")
    book = load_workbook(io.BytesIO(data() if callable(data) else data))
    reader = "https://monitor.example.gov.uk/sources?paper=003&passage=%C2%A715"
    for sheet, header_row in ((book["Savings ledger"], 3), (book["Sources"], 1)):
        header = [c.value for c in sheet[header_row]]
        column = header.index("Source")
        assert header[column + 1] == "Source link"
        linked = 0
        for row in sheet.iter_rows(min_row=header_row + 1):
            source = row[column].value
            if not source or row[0].value == "Total":
                continue
            url = absolute_url(source_target(source).url)
            assert (row[column].hyperlink.target if row[column].hyperlink else None) == url
            assert row[column + 1].value == url
            linked += url == reader
        assert linked, sheet.title


def test_a_programme_with_no_savings_renders_plainly(fresh_db):
    fetch(fresh_db, "DELETE FROM saving WHERE programme_id = 'hampshire-west-sussex'")
    at = open_app(PAGE, query={"programme": "hampshire-west-sussex"})
    assert not at.exception
    text = texts(at)
    assert "No savings are recorded for Hampshire – West Sussex children's services commission (DfE)." in text
    assert not at.metric and not at.get("plotly_chart")
    assert "No shared posts or costs are recorded" in text


def test_scrutiny_member_sees_their_programme_and_nothing_to_edit(demo_db):
    at = open_app(PAGE, email=SCRUTINY)
    assert not at.exception
    assert at.query_params["programme"] == "breckland-south-holland"
    assert at.selectbox(key="programme").options == ["Breckland – South Holland integrated shared management"]
    assert not at.get("data_editor") and not at.get("text_input") and not at.get("text_area")
    assert not at.get("file_uploader") and not at.get("form")
    labels = [b.label for b in at.button]
    assert not [label for label in labels if any(w in label.lower() for w in ("save", "edit", "delete", "import"))]
