"""Hostile text under AppTest: with markdown, HTML, a bare web address and a file-name payload stored
in every free-text column (tests/hostile.py), every page of every demo programme, opened by an
administrator, shows it as text — no link, image, heading, HTML, colour or formula comes from it in
any markdown the page renders (texts, captions, titles, notices, metric, expander, tab and button
labels, help tooltips, radio options). And the Data page names an uploaded file of a hostile name
as text."""
from __future__ import annotations

import json

import pytest
from google.protobuf.message import Message

from ui.setup import FOCUS_CSS

from queries import db as dbmod
from tests.apptest import open_app, texts
from tests.conftest import use_database
from tests.hostile import FILE_NAMES, MUST_SET, PAYLOAD, make_hostile, markup_from_payload
from ui.pages import PAGES

ADMIN = "admin@example.gov.uk"
PROGRAMMES = ("east-west-sussex", "hampshire-west-sussex", "essex-braintree-brentwood",
              "breckland-south-holland", "south-somerset-sedgemoor")
PROGRAMME_PAGES = [p.path for p in PAGES if p.url_path not in ("about", "sources", "users", "data")]
OTHER_PAGES = [p.path for p in PAGES if p.url_path in ("about", "sources", "users", "data")]
# The proto fields Streamlit renders as markdown: an element's body (markdown, captions, titles,
# notices, badges), a label (metrics, expanders, tabs, buttons, widgets), a tooltip, radio options.
MARKDOWN_FIELDS = {"body", "label", "help"}
MARKDOWN_OPTIONS = {"radio"}


@pytest.fixture(scope="module")
def hostile_file(built_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "monitor.duckdb"
    done = make_hostile(built_db, path)
    assert MUST_SET <= done, MUST_SET - done
    yield path
    dbmod.close(path)


@pytest.fixture
def hostile_db(hostile_file, monkeypatch):
    use_database(monkeypatch, hostile_file)
    return hostile_file


def _strings(message: Message, kind: str):
    """(where, value) of every markdown-bearing string in an element's proto."""
    for field, value in message.ListFields():
        if field.message_type is None and field.type != field.TYPE_STRING:
            continue
        items = [value] if isinstance(value, (str, Message)) else list(value)
        if field.message_type is not None:
            for item in items:
                yield from _strings(item, field.name)
        elif field.type == field.TYPE_STRING:
            if field.name in MARKDOWN_FIELDS or (field.name == "options" and kind in MARKDOWN_OPTIONS):
                for item in items:
                    yield f"{kind}.{field.name}", item


def _nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def rendered_markdown(at) -> list[tuple[str, str]]:
    """Every markdown-bearing value on the page (main area and sidebar)."""
    out = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            out += [(where, value) for where, value in _strings(proto, proto.DESCRIPTOR.name)
                    if value != FOCUS_CSS]  # the app's own style sheet, from no data
    return out


def _json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def chart_markup(at) -> tuple[list[str], int]:
    """Plotly reads some HTML in every text of a chart (titles, labels, legend, hover): <a href> makes a
    link (it has no image or heading). The payload's must reach it escaped. Also: how many chart
    texts carry the payload."""
    found, carried = [], 0
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message) and proto.DESCRIPTOR.name == "PlotlyChart" and proto.spec:
            texts = [t for t in _json_strings(json.loads(proto.spec)) if "evil" in t]
            carried += len(texts)
            found += [f"chart text {text[:120]!r}" for text in texts if "<a href" in text]
    return found, carried


def escapes(at) -> tuple[list[str], int]:
    """Markup made from the payload, and how many values carry the payload."""
    problems, checked = [], 0
    for where, value in rendered_markdown(at):
        checked += "evil" in value or "Hacked" in value
        problems += [f"{where}: {found} in {value[:160]!r}" for found in markup_from_payload(value)]
    return problems, checked


def check(page: str, **query) -> tuple:
    at = open_app(page, query=query, email=ADMIN, timeout=120)
    assert not at.exception, at.exception
    problems, checked = escapes(at)
    assert not problems, "\n".join(problems)
    return at, checked


def test_the_payload_is_what_the_checker_catches():
    """The checker itself: the raw payload is caught on every count; escaped, it reads clean."""
    from monitor.text import plain

    found = " ".join(markup_from_payload(PAYLOAD))
    for what in ("link_open", "image", "heading", "html_inline", "autolinked 'https://evil",
                 "autolinked 'www.evil", "@evil", "red", "x\\\\^2"):
        assert what in found, what
    assert markup_from_payload(plain(PAYLOAD)) == []
    assert markup_from_payload(plain(PAYLOAD, one_line=True)) == []


@pytest.mark.parametrize("programme", PROGRAMMES)
@pytest.mark.parametrize("page", PROGRAMME_PAGES)
def test_programme_pages_show_hostile_text_as_text(hostile_db, page, programme):
    _, checked = check(page, programme=programme)
    if page in ("pages/overview.py", "pages/action_plan.py", "pages/risks.py"):
        assert checked, "the payload is on the page (else this test checks nothing)"


# Each page with charts, for a programme whose charts have data (the options appraisal: Breckland's).
CHART_PAGES = [(p, "breckland-south-holland" if p == "pages/options_appraisal.py" else "hampshire-west-sussex")
               for p in PROGRAMME_PAGES]


@pytest.mark.parametrize("page,programme", CHART_PAGES)
def test_charts_show_hostile_text_as_text(hostile_db, page, programme):
    at = open_app(page, query={"programme": programme}, email=ADMIN, timeout=120)
    assert not at.exception, at.exception
    found, carried = chart_markup(at)
    assert not found, "\n".join(found)
    if page in ("pages/no_detriment.py", "pages/savings.py", "pages/ofsted.py", "pages/calendar.py",
                "pages/options_appraisal.py"):
        assert carried, "the payload is in the charts (else this test checks nothing)"


@pytest.mark.parametrize("page", OTHER_PAGES)
def test_other_pages_show_hostile_text_as_text(hostile_db, page):
    check(page)


HEAD = ("milestone_id,programme_id,workstream_id,milestone_title,owner,baseline_due_date,forecast_due_date,"
        "completed_date,status,evidence,source")
GOOD = ("ews-m90,east-west-sussex,ews-governance,Quarterly return loaded,Head of Policy,2026-06-30,2026-07-31,,"
        "on track,,illustrative")


@pytest.mark.parametrize("name", FILE_NAMES)
@pytest.mark.parametrize("row", [GOOD, GOOD.replace("on track", "in progress")], ids=["clean", "with a problem"])
def test_data_page_names_a_hostile_file_as_text(hostile_db, row, name):
    at = open_app("pages/data.py", email=ADMIN, timeout=120)
    at.get("file_uploader")[0].set_value((name, f"{HEAD}\n{row}\n".encode(), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    problems, _ = escapes(at)
    assert not problems, "\n".join(problems)
    assert name.rsplit("/", 1)[-1] in texts(at), "the message names the file, as text"
