"""Financial no detriment (monitor.no_detriment.finance) against figures worked out by hand from the
demo's cost shares (000 para 4.1: the shared Chief Executive's salary split 50/50, West Sussex bearing
all additional support), and the summary workbook people download."""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from monitor.no_detriment.export import summary_xlsx
from monitor.no_detriment.finance import COLUMNS, financial_check, year_lines
from monitor.no_detriment.wording import legend
from monitor.tidy import Origin

ESX, WSX = "E10000011", "E10000032"
SALARY, SUPPORT = "Shared Chief Executive salary", "Additional improvement support"
PARA = "000 para 4.1 (amounts illustrative)"


def share(item, kind, council, year, pct, amount, source=PARA):
    return {"cost_share_id": f"{item[:3]}-{council}-{year}", "cost_item": item, "cost_kind": kind, "ons_code": council,
            "authority_name": {ESX: "East Sussex", WSX: "West Sussex"}[council], "financial_year": year,
            "share_pct": pct, "amount_gbp": amount, "source": source}


# The demo's rows for East Sussex and West Sussex, 2019/20 to 2021/22 (data/demo/cost_share.csv).
DEMO = pd.DataFrame([
    share(SALARY, "shared post", ESX, "2019/20", 50, 23750), share(SALARY, "shared post", WSX, "2019/20", 50, 23750),
    share(SALARY, "shared post", ESX, "2020/21", 50, 95000), share(SALARY, "shared post", WSX, "2020/21", 50, 95000),
    share(SALARY, "shared post", ESX, "2021/22", 50, 96000), share(SALARY, "shared post", WSX, "2021/22", 50, 96000),
    share(SUPPORT, "support cost", WSX, "2020/21", 100, 260000), share(SUPPORT, "support cost", ESX, "2020/21", 0, 0, "000 para 4.1"),
    share(SUPPORT, "support cost", WSX, "2021/22", 100, 240000), share(SUPPORT, "support cost", ESX, "2021/22", 0, 0, "000 para 4.1"),
])
NO_SAVINGS = pd.DataFrame(columns=["saving_id", "financial_year", "category", "planned_gbp", "forecast_gbp",
                                   "delivered_gbp", "source"])
START = dt.date(2020, 1, 1)


def test_east_sussex_pays_half_the_salary_and_none_of_the_support_so_no_net_cost():
    table = year_lines(DEMO, NO_SAVINGS, ESX, start=START, as_at=dt.date(2022, 1, 1)).set_index("Financial year")
    assert list(table.reset_index().columns) == COLUMNS
    # 2020/21 by hand: its share of the salary £95,000 of £190,000 = an equal split, so nothing above it;
    # its share of the support £0 of £260,000; recovered nothing; net cost 95,000 − 95,000 + 0 − 0 = £0.
    row = table.loc["2020/21"]
    assert row["Its share of shared posts (£)"] == 95000 and row["Of which above an equal split (£)"] == 0
    assert row["Its share of support costs (£)"] == 0 and row["Support costs borne by partners (£)"] == 260000
    assert row["Recovered (£)"] == 0 and row["Net cost (£)"] == 0 and row["Net cost above zero"] == "no"
    assert list(table.index) == ["2019/20", "2020/21", "2021/22"] and set(table["Part"]) == {"Judged"}
    check = financial_check(DEMO, NO_SAVINGS, ESX, "East Sussex", start=START, as_at=dt.date(2022, 1, 1))
    assert check.verdict == "no_change" and check.label == "● No significant change"
    assert check.sentence == (
        "East Sussex: no significant change — no net cost to East Sussex in any of the 3 financial years 2019/20 to "
        "2021/22; latest, 2021/22: its share of shared posts £96,000 (an equal split), of support costs £0 (its "
        "partners bore £240,000), recovered £0; net cost £0.")
    assert check.sources == ["000 para 4.1", PARA]


def test_a_share_above_an_equal_split_or_of_the_support_is_a_net_cost():
    # 2021/22 changed: East Sussex pays 60% of the salary (£115,200 of £192,000: £19,200 above half)
    # and 10% of the support (£24,000 of £240,000): net cost 19,200 + 24,000 = £43,200.
    worse = DEMO.copy()
    worse.loc[(worse["financial_year"] == "2021/22") & (worse["cost_item"] == SALARY), "amount_gbp"] = [115200, 76800]
    worse.loc[(worse["financial_year"] == "2021/22") & (worse["cost_item"] == SUPPORT), "amount_gbp"] = [216000, 24000]
    check = financial_check(worse, NO_SAVINGS, ESX, "East Sussex", start=START, as_at=dt.date(2022, 1, 1))
    row = check.table.set_index("Financial year").loc["2021/22"]
    assert row["Of which above an equal split (£)"] == 19200 and row["Its share of support costs (£)"] == 24000
    assert row["Net cost (£)"] == 43200
    assert check.verdict == "concern_now"
    assert check.sentence.startswith("East Sussex: concern now — in 2021/22 the partnership cost East Sussex £43,200 "
                                     "more than it recovered")
    # an earlier year's net cost, none now: earlier concern, since recovered
    earlier = worse.assign(financial_year=worse["financial_year"].replace({"2021/22": "2019/20", "2019/20": "2021/22"}))
    assert financial_check(earlier, NO_SAVINGS, ESX, "East Sussex", start=START,
                           as_at=dt.date(2022, 1, 1)).verdict == "earlier_concern"


def test_income_recovering_costs_is_set_against_them():
    costs = pd.DataFrame([share(SUPPORT, "support cost", ESX, "2020/21", 100, 50000)])
    income = pd.DataFrame([{"saving_id": "s1", "financial_year": "2020/21", "category": "income (cost recovery)",
                            "planned_gbp": 60000.0, "forecast_gbp": 55000.0, "delivered_gbp": None, "source": "x"},
                           {"saving_id": "s2", "financial_year": "2020/21", "category": "procurement",
                            "planned_gbp": 9e9, "forecast_gbp": 9e9, "delivered_gbp": 9e9, "source": "y"}])
    row = year_lines(costs, income, ESX, as_at=dt.date(2021, 1, 1)).iloc[0]
    assert row["Recovered (£)"] == 55000 and row["Recovered as"] == "forecast"  # a saving is not a recovery
    assert row["Net cost (£)"] == -5000


def test_years_after_the_close_are_apart_and_without_costs_there_is_no_verdict():
    income = pd.DataFrame([{"saving_id": f"h{y}", "financial_year": y, "category": "income (cost recovery)",
                            "planned_gbp": 1.0, "forecast_gbp": 1.0, "delivered_gbp": 310000.0, "source": "001 para 3"}
                           for y in ("2019/20", "2023/24", "2024/25")])
    check = financial_check(pd.DataFrame(columns=DEMO.columns), income, "E10000014", "Hampshire",
                            start=dt.date(2019, 5, 1), end=dt.date(2023, 9, 30), as_at=dt.date(2023, 9, 30))
    assert list(check.table["Part"]) == ["Judged", "Judged", "After the programme closed (not judged)"]
    assert check.verdict == "no_data"
    assert "it recovered £620,000 (income (cost recovery)), but no cost of the partnership to Hampshire" in check.sentence
    assert "2024/25 after the programme closed on 30 Sep 2023: not judged" in check.sentence
    assert check.table["Net cost (£)"].isna().all()  # no cost recorded: no net cost to show


def test_the_summary_workbook_holds_the_words_the_legend_and_the_money():
    summary = pd.DataFrame([{"Council": "East Sussex", "Indicator": "=HYPERLINK(\"x\")", "Unit": "%",
                             "Latest value": 8.0, "Latest period": "Sep 2025", "Baseline mean": 9.6,
                             "Variation": "▼ Special cause of improvement — lower than expected",
                             "Assurance": "– no target or tolerance", "Verdict": "◇ Earlier concern, since recovered",
                             "In words": "Turnover: earlier concern, since recovered — …"}])
    finance = year_lines(DEMO, NO_SAVINGS, ESX, start=START, as_at=dt.date(2022, 1, 1))
    book = load_workbook(io.BytesIO(summary_xlsx(summary, legend(), title="No detriment: East Sussex",
                                                 finance=finance,
                                                 origin=Origin("DfE's indicators", dt.date(2022, 1, 1)))))
    assert book.sheetnames == ["Summary", "Legend", "Financial", "About"]
    about = list(book["About"].iter_rows(values_only=True))
    assert ("As at", "2022-01-01") in about and ("Source", "DfE's indicators") in about  # where and when, ISO
    rows = list(book["Summary"].iter_rows(values_only=True))
    assert rows[0][0] == "No detriment: East Sussex" and list(rows[2]) == list(summary.columns)
    assert rows[3][8] == "◇ Earlier concern, since recovered" and rows[3][3] == 8.0
    assert rows[3][1] == "'=HYPERLINK(\"x\")"  # never a formula
    legend_rows = list(book["Legend"].iter_rows(values_only=True))
    assert ("Verdict", "◆") == legend_rows[1][:2]
    money = list(book["Financial"].iter_rows(values_only=True))
    assert money[0][0] == "Financial year" and money[2][:3] == ("2020/21", "Judged", 95000)
    # each sum's unit beside it, never in the heading
    assert not any("(£)" in str(c) for c in money[0]) and money[0][3] == "Its share of shared posts unit"
    assert money[2][3] == "GBP"


def test_the_summary_workbooks_sources_are_links_to_their_passage_or_publisher(monkeypatch):
    """Every source cell that leads somewhere is a hyperlink to source_target's address outside the
    app, with each source's own address beside it ('; '-separated where a cell names several: the
    hyperlink then opens the reader listing them all)."""
    from urllib.parse import parse_qs, urlsplit

    from monitor.sources.links import References, absolute_url, cell_links, cell_url, source_target

    monkeypatch.setenv("MONITOR_BASE_URL", "https://monitor.example.gov.uk")
    file = "dfe_csww_indicators_2017_to_2025.csv"
    pages = {file: "https://explore-education-statistics.service.gov.uk/find-statistics/children-s-social-work-workforce"}
    summary = pd.DataFrame([{"Council": "East Sussex", "Indicator": "Turnover", "Source": file},
                            {"Council": "East Sussex", "Indicator": "Agency", "Source": "illustrative"}])
    finance = year_lines(DEMO, NO_SAVINGS, ESX, start=START, as_at=dt.date(2022, 1, 1))
    finance.loc[finance.index[-1], "Sources"] = f"{PARA}; 001 para 3; {file}"
    book = load_workbook(io.BytesIO(summary_xlsx(summary, legend(), title="No detriment: East Sussex", finance=finance,
                                                 origin=Origin("DfE's indicators", dt.date(2022, 1, 1)),
                                                 references=References(pages, {}, {}))))
    rows = list(book["Summary"].iter_rows(min_row=3))
    assert [c.value for c in rows[0]] == ["Council", "Indicator", "Source", "Source link"]
    assert rows[1][2].hyperlink.target == absolute_url(source_target(file, pages).url) == pages[file] == rows[1][3].value
    assert rows[2][2].hyperlink is None and rows[2][3].value is None  # 'illustrative' leads nowhere
    money = list(book["Financial"].iter_rows())
    column = [c.value for c in money[0]].index("Sources")
    assert money[0][column + 1].value == "Sources link"
    linked = 0
    for row in money[1:]:
        cell = row[column]
        url = absolute_url(cell_url(cell.value, pages))
        assert (cell.hyperlink.target if cell.hyperlink else None) == url
        assert row[column + 1].value == cell_links(cell.value, pages)
        linked += bool(url)
    assert linked == len(money) - 1
    several = money[-1][column]
    asked = parse_qs(urlsplit(several.hyperlink.target).query)
    assert asked == {"paper": ["000"], "cite": ["000 4.1", "001 3", file]}
    assert money[-1][column + 1].value == "; ".join([
        "https://monitor.example.gov.uk/sources?paper=000&passage=4.1",
        "https://monitor.example.gov.uk/sources?paper=001&passage=3", pages[file]])


@pytest.mark.parametrize("year, part", [("2018/19", "Before the programme began (not judged)"),
                                        ("2030/31", "Not yet begun (not judged)")])
def test_years_outside_the_programme_are_not_judged(year, part):
    costs = pd.DataFrame([share(SUPPORT, "support cost", ESX, year, 100, 5000)])
    check = financial_check(costs, NO_SAVINGS, ESX, "East Sussex", start=START, as_at=dt.date(2026, 1, 1))
    assert list(check.table["Part"]) == [part] and check.verdict == "no_data"
