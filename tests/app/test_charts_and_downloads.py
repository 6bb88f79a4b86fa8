"""Every chart and every download on every page, for every demo programme, as a person gets them:
each figure's text readable (4.5:1 or more against what it sits on, in the product's template, with
a toolbar of one "download as PNG" button), and each download opening cleanly in pandas as tidy data
(its source line first, numbers numeric, dates ISO, human column names, no two files one name)."""
from __future__ import annotations

import io
import json
import re
from collections import Counter

import pandas as pd
import pytest

from monitor import chart_style
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
_FORMATTED_NUMBER = re.compile(r"[−-]?£?\d{1,3}(,\d{3})+(\.\d+)?[km]?%?|[−–]?£\d[\d.]*[km]?|[−–]?\d[\d.]*%|−\d[\d.]*")
_PEOPLE_DATE = re.compile(r"\d{1,2} [A-Z][a-z]{2} \d{4}( \d{2}:\d{2})?")
# The Data page's import templates are files to fill in and import, in the tables' own column names.
TEMPLATES = {f"{table}.{kind}" for table in IMPORT_TABLES for kind in ("csv", "xlsx")}


def csv_problems(name: str, data: bytes) -> list[str]:
    """What keeps a downloaded CSV from being tidy data, in words."""
    problems = []
    if not (source_line(data).startswith("# Source: ") and "As at: " in source_line(data)):
        problems.append(f"{name}: no source and as-at line")
    frame = read_tidy_csv(data)
    for column in frame.columns:
        if _RAW_NAME.fullmatch(str(column)):
            problems.append(f"{name}: database column name {column!r}")
        values = frame[column].dropna()
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            text = values.astype(str).str.strip()
            if len(text) and text.map(lambda v: bool(_FORMATTED_NUMBER.fullmatch(v))).all():
                problems.append(f"{name}: {column!r} holds numbers as text ({text.iloc[0]!r})")
            if text.map(lambda v: bool(_PEOPLE_DATE.fullmatch(v))).any():
                problems.append(f"{name}: {column!r} holds dates that are not ISO "
                                f"({text[text.str.fullmatch(_PEOPLE_DATE)].iloc[0]!r})")
            iso = text[text.str.fullmatch(r"\d{4}-\d{2}-\d{2}(T[\d:]+)?")]
            pd.to_datetime(iso, format="ISO8601")  # parses
    return problems


@pytest.mark.parametrize("programme_id", DEMO)
def test_every_download_opens_as_tidy_data(demo_db, downloads, programme_id):
    names = Counter()
    csvs, problems = 0, []
    for page, _specs, _configs, files in walk(programme_id, downloads):
        page_names = Counter(name for name, _mime, _data in files)
        problems += [f"{page}: two files named {n}" for n, k in page_names.items() if k > 1]
        names.update(page_names)
        for name, mime, data in files:
            if mime == "text/csv" and name not in TEMPLATES:
                csvs += 1
                problems += csv_problems(name, data)
            elif name.endswith(".xlsx") and name not in TEMPLATES:
                sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
                if not {"About", "Sources"} & set(sheets):  # where the figures come from, beside them
                    problems.append(f"{name}: no sheet naming the source")
    problems += [f"two files named {n}" for n, k in names.items() if k > 1]
    assert problems == [], "\n".join(problems)
    assert csvs >= 10, csvs
