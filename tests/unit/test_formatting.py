import datetime as dt

import pandas as pd
import pytest

from monitor.periods import financial_year
from monitor.formatting import (counted, describe_days, format_date, format_money, format_pounds,
                                in_sentence)


@pytest.mark.parametrize("value, text", [
    (dt.date(2020, 2, 3), "3 Feb 2020"),
    (pd.Timestamp("2019-12-18 00:00:00"), "18 Dec 2019"),
    ("2023-03-13", "13 Mar 2023"),
    (None, ""),
    (pd.NaT, ""),
])
def test_format_date_never_shows_time(value, text):
    assert format_date(value) == text


@pytest.mark.parametrize("gbp, text", [
    (0, "£0"), (750, "£750"), (12_400, "£12k"), (96_000, "£96k"), (1_234_000, "£1.23m"),
    (745_000, "£0.75m"), (750_000, "£0.75m"), (12_500_000, "£12.5m"), (-5_000, "−£5k"), (None, "–"),
])
def test_format_money(gbp, text):
    assert format_money(gbp) == text


def test_format_pounds_full():
    assert format_pounds(1234567.4) == "£1,234,567"


@pytest.mark.parametrize("day, fy", [
    (dt.date(2020, 3, 31), "2019/20"), (dt.date(2020, 4, 1), "2020/21"), (dt.date(1999, 6, 1), "1999/00"),
])
def test_financial_year_boundaries(day, fy):
    assert financial_year(day) == fy


def test_describe_days():
    assert [describe_days(d) for d in (0, 1, 12, -3)] == ["today", "in 1 day", "in 12 days", "3 days ago"]


def test_counted_says_one_year_and_seven_years_never_year_s():
    assert [counted(n, "year") for n in (0, 1, 7)] == ["0 years", "1 year", "7 years"]
    assert counted(1, "work stream") == "1 work stream" and counted(1200, "row") == "1,200 rows"
    assert counted(2, "child", "children") == "2 children"


def test_in_sentence_keeps_proper_nouns():
    assert in_sentence("Milestones") == "milestones"
    assert in_sentence("Savings against plan") == "savings against plan"
    assert in_sentence("Ofsted and DfE activity") == "Ofsted and DfE activity"
    assert in_sentence("DfE statutory directions") == "DfE statutory directions"
