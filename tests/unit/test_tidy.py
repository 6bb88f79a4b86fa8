"""Downloads as tidy data (monitor.tidy): numbers numeric, ISO dates, each unit in a column of its
own beside its measure, human column names, and a first line with the source and the as-at date."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from monitor.tidy import (heading, parse_number, read_tidy_csv, source_line, split_unit, tidy_csv, tidy_frame,
                          with_unit_columns)


def test_database_names_become_headings_with_their_units():
    assert heading("increase_to_flip") == "Increase to flip"
    assert heading("ons_code") == "ONS code"
    assert heading("planned_gbp") == "Planned (GBP)"
    assert heading("programme_id") == "Programme ID"
    assert heading("Savings delivered to date (GBP)") == "Savings delivered to date (GBP)"


def test_numbers_written_for_people_are_read_back():
    assert parse_number("£1.2m") == (1_200_000, "GBP")
    assert parse_number("−£3k") == (-3_000, "GBP")
    assert parse_number("1,234") == (1_234, "")
    assert parse_number("45%") == (45, "%")
    assert parse_number("E10000011") is None and parse_number("2020/21") is None


def test_a_frame_is_made_tidy():
    frame = pd.DataFrame({
        "increase_to_flip": [1.5, None, 2.0], "count": [1.0, 2.0, 3.0],
        "when": pd.to_datetime(["2020-02-03", "2021-01-01", None]),
        "Saving": ["£1.2m", "−£3k", "–"], "rate": ["12%", "3.5%", "0%"], "code": ["007", "008", "010"],
        "Forecast": ["3 Feb 2020", "none", "31 Dec 2021"], "Loaded": ["4 Dec 2026 02:40", None, None],
        "Note": ["Inadequate", "3 Feb 2020", "a −2 swing"], "year": ["2020", "2021", "2022"],
        "mixed": [1, None, 3]}, index=[5, 6, 7])
    out = tidy_frame(frame)
    assert list(out.columns) == ["Increase to flip", "Count", "When", "Saving", "Saving unit", "Rate", "Rate unit",
                                 "Code", "Forecast", "Loaded", "Note", "Year", "Mixed"]
    assert out["Count"].tolist() == [1, 2, 3] and str(out["Count"].dtype) == "Int64"
    assert out["When"].tolist() == ["2020-02-03", "2021-01-01", None]
    assert out["Saving"].tolist()[:2] == [1_200_000, -3_000] and pd.isna(out["Saving"][2])
    assert out["Saving unit"].tolist() == ["GBP"] * 3 and out["Rate unit"].tolist() == ["%"] * 3
    assert out["Rate"].tolist() == [12, 3.5, 0]
    assert out["Code"].tolist() == ["007", "008", "010"]  # codes stay text
    assert out["Forecast"].tolist() == ["2020-02-03", None, "2021-12-31"]
    assert out["Loaded"][0] == "2026-12-04T02:40:00"
    assert out["Note"].tolist() == ["Inadequate", "2020-02-03", "a -2 swing"]
    assert out["Year"].tolist() == ["2020", "2021", "2022"]
    assert out["Mixed"].astype(object).where(out["Mixed"].notna(), None).tolist() == [1, None, 3]


def test_the_csv_names_its_source_and_as_at_date_and_reads_back():
    data = tidy_csv(pd.DataFrame({"count": [1.0, 2.0], "label": ["=cmd", "x"]}), source="Savings ledger",
                    as_at=dt.date(2026, 9, 30))
    assert data.startswith("\ufeff".encode())
    assert source_line(data) == "# Source: Savings ledger. As at: 2026-09-30."
    back = read_tidy_csv(data)
    assert back["Count"].tolist() == [1, 2] and back["Label"].tolist() == ["'=cmd", "x"]  # formulas neutralised
    assert "2.0" not in data.decode("utf-8-sig")


def test_a_unit_is_a_column_of_its_own_beside_its_measure():
    assert split_unit("Planned (£)") == ("Planned", "GBP") and split_unit("planned_gbp") == ("Planned", "GBP")
    assert split_unit("Share (%)") == ("Share", "%") and split_unit("Slippage (days)") == ("Slippage", "days")
    assert split_unit("Per cent of plan") == ("Per cent of plan", None)
    one = tidy_frame(pd.DataFrame({"Financial year": ["2024/25"], "Amount (£)": [1200.0], "Source": ["003 §4"]}))
    assert list(one.columns) == ["Financial year", "Amount", "Unit", "Source"] and one["Unit"].tolist() == ["GBP"]
    several = with_unit_columns(pd.DataFrame({"Planned (£)": [1.5, None], "Share (%)": [40, 60], "Rows": [1, 2]}))
    assert list(several.columns) == ["Planned", "Planned unit", "Share", "Share unit", "Rows"]
    assert several["Planned unit"].tolist() == ["GBP", "GBP"]  # on every row, a missing value's too
    assert several["Planned"].tolist()[0] == 1.5  # values as they were
    # A report's table writes each value with its unit, and gives the unit in a Unit column too
    report = tidy_frame(pd.DataFrame({"Indicator": ["Re-referrals", "Caseload"], "Unit": ["%", "cases per FTE"],
                                      "Value": ["42.0%", "17.5"], "Change since last quarter": ["+1.0", "−0.5"]}))
    assert list(report.columns) == ["Indicator", "Unit", "Value", "Change since last quarter"]
    assert report["Value"].tolist() == [42, 17.5] and report["Change since last quarter"].tolist() == [1, -0.5]
    # ... and a value may carry its row's unit in words, among other words ("no change")
    words = tidy_frame(pd.DataFrame({"Unit": ["cases per FTE", "per 10,000 children"],
                                     "Value": ["16.1 cases per FTE", "1,234.0 per 10,000 children"],
                                     "Change": ["no change", "−0.4"], "Period": ["2023", "2023/24"]}))
    assert words["Value"].tolist() == [16.1, 1234] and words["Change"].tolist() == ["no change", -0.4]
    assert words["Period"].tolist() == ["2023", "2023/24"]  # a plain year among words stays as written
    has_unit = with_unit_columns(pd.DataFrame({"Value": [1], "Unit": ["%"], "Cost (£)": [3]}))
    assert list(has_unit.columns) == ["Value", "Unit", "Cost", "Cost unit"]


def test_a_table_with_a_source_column_says_so_in_its_first_line():
    data = tidy_csv(pd.DataFrame({"amount_gbp": [1.0], "Source": ["003 §4"]}), source="Council papers.",
                    as_at=dt.date(2026, 12, 4))
    assert source_line(data) == ("# Source: Council papers (each row's own source is in its Source column). "
                                 "As at: 2026-12-04.")
    assert read_tidy_csv(data).columns.tolist() == ["Amount", "Unit", "Source"]
