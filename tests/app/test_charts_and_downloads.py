"""Every chart and every download on every page, for every demo programme, as a person gets them:
each figure's text readable (4.5:1 or more against what it sits on, in the product's template, with
a toolbar of one "download as PNG" button), and each download opening cleanly in pandas as tidy data
an analyst can total without cleaning: its first line naming its real source and the page's as-at
date, every number a number, each unit in a column beside its measure (never in the heading), dates
ISO, human column names, no two files one name."""
from __future__ import annotations

import io
import json
import re
from collections import Counter

import pandas as pd
import pytest

from monitor import chart_style, clock
from monitor.periods import quarter_bounds
from monitor.imports.spec import IMPORT_TABLES
from monitor.tidy import read_tidy_csv, source_line
from tests.apptest import open_app
from ui.pages import PAGES

DEMO = ["east-west-sussex", "hampshire-west-sussex", "essex-braintree-brentwood", "breckland-south-holland",
        "south-somerset-sedgemoor"]
ADMIN = "admin@example.gov.uk"  # sees every page
SKIP = {"pages/users.py"}  # no programme's figures; its table is checked by tests/app/test_users.py

_walks: dict[str, list] = {}


def walk(programme_id: str, downloads) -> list[tuple[str, list[dict], list[dict], list[tuple[str, str, bytes]]]]:
    """Each page of the programme: (page, figure specs, chart configs, downloads offered)."""
    if programme_id in _walks:
        return _walks[programme_id]
    out = []
    for spec in PAGES:
        if spec.path in SKIP:
            continue
        at = open_app(query={"programme": programme_id}, email=ADMIN)
        downloads.clear()  # only what the page itself offers
        at.switch_page(spec.path)
        at.run()
        assert not at.exception, (spec.path, at.exception)
        charts = at.get("plotly_chart")
        out.append((spec.path, [json.loads(c.proto.spec) for c in charts],
                    [dict(json.loads(c.proto.config or "{}"), theme=c.proto.theme) for c in charts],
                    list(downloads)))
    _walks[programme_id] = out
    return out


@pytest.mark.parametrize("programme_id", DEMO)
def test_every_chart_text_reads_at_4_5_to_1(demo_db, downloads, programme_id):
    drawn = 0
    for page, specs, configs, _files in walk(programme_id, downloads):
        for spec, config in zip(specs, configs):
            drawn += 1
            title = spec.get("layout", {}).get("title", {}).get("text", "")
            assert chart_style.contrast_problems(spec) == [], (page, title)
            assert spec["layout"]["template"]["layout"]["font"]["color"] == chart_style.TEXT, (page, title)
            assert config["theme"] == "", (page, title)  # Streamlit's theme would recolour the text
            assert config["modeBarButtons"] == [["toImage"]], (page, title)
            for line in title.split("<br>"):
                assert len(line) <= chart_style.TITLE_WIDTH + 12, (page, title)  # a word may run over
    assert drawn >= 8, drawn


_RAW_NAME = re.compile(r"[a-z0-9]+(_[a-z0-9]+)+")
# A number written for a reader rather than a spreadsheet: "£1,200", "45%", "1,234", "−3", "▲ +2".
_FORMATTED_NUMBER = re.compile(r"[−-]?£?\d{1,3}(,\d{3})+(\.\d+)?[km]?%?|[−–]?£\d[\d.]*[km]?|[−–]?\d[\d.]*%|−\d[\d.]*"
                               r"|[▲▼] *[+−-]?£?[\d,.]+[km]?%?")
_PEOPLE_DATE = re.compile(r"\d{1,2} [A-Z][a-z]{2} \d{4}( \d{2}:\d{2})?")
_UNIT_IN_HEADING = re.compile(r"\((£|GBP|%|days|per cent)\)\s*$")
_FIRST_LINE = re.compile(r"# Source: (?P<source>.+)\. As at: (?P<as_at>\d{4}-\d{2}-\d{2})\.")
OLD_DEFAULT = "the figures on screen, from its database"
# Measures in pounds wherever a table shows them: a file must give their unit beside them.
MONEY = {"Planned", "Forecast", "Delivered", "Amount", "Net cost", "Recovered", "Cost borne", "Savings planned to date",
         "Savings delivered to date", "Income to date", "Its share of shared posts", "Its share of support costs",
         "Cumulative planned", "Cumulative delivered", "Planned on illustrative rows"}
# The Data page's import templates are files to fill in and import, in the tables' own column names.
TEMPLATES = {f"{table}.{kind}" for table in IMPORT_TABLES for kind in ("csv", "xlsx")}


def csv_problems(name: str, data: bytes, as_at: str | None = None) -> list[str]:
    """What keeps a downloaded CSV from being tidy data, in words; `as_at` the page's as-at date."""
    problems = []
    first = _FIRST_LINE.fullmatch(source_line(data).strip())
    if not first:
        problems.append(f"{name}: no source and as-at line ({source_line(data)!r})")
    elif OLD_DEFAULT in first["source"] or len(first["source"]) < 20:
        problems.append(f"{name}: no real source ({first['source']!r})")
    elif as_at is not None and first["as_at"] != as_at:
        problems.append(f"{name}: as at {first['as_at']}, the page is as at {as_at}")
    frame = read_tidy_csv(data)
    columns = [str(c).strip() for c in frame.columns]
    if name.endswith(("_xmr.csv", "_neighbours.csv")) and not ("Unit" in columns and frame["Unit"].notna().all()):
        problems.append(f"{name}: an indicator's values without its unit beside them")
    for i, column in enumerate(columns):
        if _RAW_NAME.fullmatch(column):
            problems.append(f"{name}: database column name {column!r}")
        if _UNIT_IN_HEADING.search(column):
            problems.append(f"{name}: the unit is in the heading {column!r}, not a column of its own")
        if column.endswith(" unit") and (i == 0 or columns[i - 1] != column.removesuffix(" unit")):
            problems.append(f"{name}: {column!r} is not beside its measure")
        if column == "Unit" and frame.iloc[:, i].isna().all():
            problems.append(f"{name}: an empty Unit column")
        if column in MONEY and pd.api.types.is_numeric_dtype(frame.iloc[:, i]) and not (
                f"{column} unit" in columns or "Unit" in columns):
            problems.append(f"{name}: {column!r} is in pounds but has no unit column")
        values = frame.iloc[:, i].dropna()
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            text = values.astype(str).str.strip()
            formatted = text[text.map(lambda v: bool(_FORMATTED_NUMBER.fullmatch(v)))]
            if len(formatted):
                problems.append(f"{name}: {column!r} holds numbers as text ({formatted.iloc[0]!r})")
            if text.map(lambda v: bool(_PEOPLE_DATE.fullmatch(v))).any():
                problems.append(f"{name}: {column!r} holds dates that are not ISO "
                                f"({text[text.str.fullmatch(_PEOPLE_DATE)].iloc[0]!r})")
            iso = text[text.str.fullmatch(r"\d{4}-\d{2}-\d{2}(T[\d:]+)?")]
            pd.to_datetime(iso, format="ISO8601")  # parses
    body = data.decode("utf-8-sig").split("\n", 1)[-1]
    cells = pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False) if body.strip() else pd.DataFrame()
    for column in cells.columns:
        whole = cells[column][cells[column].str.fullmatch(r"-?\d+\.0")]
        if len(whole):
            problems.append(f"{name}: {column!r} writes a whole number as {whole.iloc[0]!r}")
    return problems


def page_as_at(page: str, name: str, programme_as_at: str) -> str:
    """The date a page's figures are as at: the programme's (today, or its closing date) on its domain
    pages; the reporting date on the action plan (today for today's overdue list); the report's on
    the quarterly report; today on the pages about every programme or the data itself."""
    today = clock.today()
    if page == "pages/action_plan.py":
        return today.isoformat() if "-overdue_today-" in name else name[-14:-4]
    if page == "pages/quarterly_report.py":
        quarter = re.search(r"_(\d{4}-Q[1-4])_", name)[1]
        return min(quarter_bounds(quarter)[1].isoformat(), programme_as_at)
    if page in ("pages/no_detriment.py", "pages/savings.py", "pages/risks.py", "pages/options_appraisal.py"):
        return programme_as_at
    return today.isoformat()


@pytest.mark.parametrize("programme_id", DEMO)
def test_every_download_opens_as_tidy_data(demo_db, downloads, programme_id):
    names = Counter()
    csvs, problems = 0, []
    pages = walk(programme_id, downloads)
    headline = next(data for page, _s, _c, files in pages for name, _m, data in files
                    if name.startswith("headline-figures"))
    programme_as_at = read_tidy_csv(headline).set_index("Programme ID").at[programme_id, "As at"]
    for page, _specs, _configs, files in pages:
        page_names = Counter(name for name, _mime, _data in files)
        problems += [f"{page}: two files named {n}" for n, k in page_names.items() if k > 1]
        names.update(page_names)
        for name, mime, data in files:
            if mime == "text/csv" and name not in TEMPLATES:
                csvs += 1
                problems += csv_problems(name, data, page_as_at(page, name, programme_as_at))
            elif name.endswith(".xlsx") and name not in TEMPLATES:
                sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
                if "About" not in sheets:  # where the figures come from and when, beside them
                    problems.append(f"{name}: no sheet naming the source and the as-at date")
                else:
                    about = dict(sheets["About"].itertuples(index=False, name=None))
                    if about.get("As at") != page_as_at(page, name, programme_as_at):
                        problems.append(f"{name}: as at {about.get('As at')}, the page is as at "
                                        f"{page_as_at(page, name, programme_as_at)}")
                    if OLD_DEFAULT in str(about.get("Source")):
                        problems.append(f"{name}: no real source")
                for sheet, frame in sheets.items():
                    problems += [f"{name} ({sheet}): the unit is in the heading {c!r}" for c in frame.columns
                                 if _UNIT_IN_HEADING.search(str(c))]
    problems += [f"two files named {n}" for n, k in names.items() if k > 1]
    assert problems == [], "\n".join(problems)
    assert csvs >= 10, csvs
