"""No-detriment under AppTest: each lending council on the real DfE series, every programme, the
pickers in the URL, the summary table first (CSV and Excel), the charts of indicators of concern now
open and the others one click away, East Sussex's verdicts (average caseload no longer a concern now,
2017 turnover left out of the limits), Hampshire judged only to its close, the financial promise, and
the Overview and this page agreeing on which indicators are of concern now."""
import base64
import datetime as dt
import io
import json

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from monitor import clock
from monitor.periods import financial_year
from monitor.sources.links import reference_maps, source_target
from tests.apptest import open_app, texts
from tests.dbutil import fetch

PAGE = "pages/no_detriment.py"
PROGRAMMES = ["east-west-sussex", "hampshire-west-sussex", "essex-braintree-brentwood",
              "breckland-south-holland", "south-somerset-sedgemoor"]


def charts(at):
    """The figures drawn, their titles as one line (the screen wraps them with <br>)."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    for spec in specs:
        title = spec["layout"].get("title", {})
        if "text" in title:
            title["text"] = title["text"].replace("<br>", " ")
    return specs


def numbers(array):
    """Plotly's JSON arrays: plain lists or base64 {"dtype", "bdata"}."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).astype(float)
    return np.array([np.nan if v is None else v for v in array], dtype=float)


def bullets(at) -> dict[str, str]:
    """Each indicator's verdict line of the summary, by indicator name."""
    lines = [m.value for m in at.markdown if m.value.startswith("- **") and " · " in m.value]
    return {line.split(" · ", 1)[1].split(":", 1)[0].replace("\\", ""): line.replace("\\", "") for line in lines}


def summary(at):
    return next(d.value for d in at.dataframe if "Verdict" in d.value.columns and "In words" in d.value.columns)


# The last figures of the demo are DfE's for September 2025 (workforce) and 2024-25 (re-referrals).
EVERY_FIGURE_PUBLISHED = dt.date(2025, 10, 1)


@pytest.fixture
def latest_figures(monkeypatch):
    """Tests of what the page says once every demo figure is published: at the suite's own date when
    that is so, else on the suite's default day (the page judges as at its day, as the Overview does)."""
    if clock.today() < EVERY_FIGURE_PUBLISHED:
        monkeypatch.setenv(clock.TODAY_ENV, "2026-12-04")


def open_charts(at, *indicator_ids):
    for iid in indicator_ids:
        at.toggle(key=f"nd_xmr_{iid}").set_value(True)
    at.run()
    assert not at.exception
    return at


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_every_programme_renders(demo_db, programme):
    at = open_app(PAGE, query={"programme": programme})
    assert not at.exception
    if programme in ("east-west-sussex", "hampshire-west-sussex"):
        assert len(at.get("plotly_chart")) <= 3  # the first paint: only the charts of concern now
        assert len(summary(at)) == 5
    else:
        assert "has no lending council with no-detriment indicators" in texts(at)


def test_the_summary_table_comes_first_with_words_and_symbols(demo_db, downloads, latest_figures):
    at = open_app(PAGE, query={"programme": "east-west-sussex"})
    table = summary(at)
    assert list(table.columns)[:10] == ["Council", "Indicator", "Unit", "Latest value", "Latest period",
                                        "Baseline mean", "Variation", "Assurance", "Verdict", "In words"]
    assert set(table["Council"]) == {"East Sussex"}
    caseload = table.set_index("Indicator").loc["Average caseload per case-holding social worker (FTE)"]
    assert caseload["Latest value"] == 13.5 and caseload["Latest period"] == "Sep 2025"
    assert caseload["Baseline mean"] == pytest.approx(16.37)
    assert caseload["Variation"] == "▼ Special cause of improvement — lower than expected"
    assert caseload["Assurance"].startswith("✓ Will consistently meet the target")
    assert caseload["Verdict"] == "◇ Earlier concern, since recovered"
    # The summary is drawn before any indicator's own section
    headers = [h.value for h in at.header]
    assert headers.index("Summary") < headers.index("Financial no detriment") < headers.index("Indicators")
    # Downloadable as CSV and as Excel, with the words
    names = [name for name, _mime, _data in downloads]
    assert "no_detriment_east-west-sussex_E10000011.csv" in names
    xlsx = next(data for name, _mime, data in downloads if name == "no_detriment_east-west-sussex_E10000011.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx))["Summary"].iter_rows(values_only=True))
    assert "◇ Earlier concern, since recovered" in [r[8] for r in rows[3:]]
    assert "Legend" in load_workbook(io.BytesIO(xlsx)).sheetnames
    # The source of each indicator's latest value: a hyperlink to the publisher's page, and beside it.
    header = list(rows[2])
    column = header.index("Source")
    assert header[column + 1] == "Source link"
    sheet = load_workbook(io.BytesIO(xlsx))["Summary"]
    publishers = reference_maps(fetch(demo_db, "SELECT source_file, title, source_url FROM data_source")).pages
    for row in sheet.iter_rows(min_row=4):
        url = source_target(row[column].value, publishers).url
        assert url and url.startswith("https://explore-education-statistics.service.gov.uk/")
        assert row[column].hyperlink.target == url == row[column + 1].value


def test_east_sussex_average_caseload_is_no_longer_a_concern_now(demo_db, latest_figures):
    at = open_app(PAGE, query={"programme": "east-west-sussex"})
    text = texts(at)
    assert at.query_params["council"] == "E10000011"
    assert "**East Sussex** lends leadership" in text and "1 Jan 2020" in text
    assert "No indicator of East Sussex is of concern now" in text
    line = bullets(at)["Average caseload per case-holding social worker (FTE)"]
    assert line.startswith("- **◇ Earlier concern, since recovered**")
    assert ("above the upper process limit (17.3 cases per FTE) in Sep 2020, back within limits since Sep 2021; "
            "latest Sep 2025 13.5 cases per FTE, a special cause of improvement") in line
    assert len(bullets(at)) == 5
    for line in bullets(at).values():
        assert "against the 2013–2019 baseline" in line or "against the 2017–2019 baseline" in line
        assert "statistical neighbours" in line and "England's" in line
    assert "limits provisional: the baseline has only 3 published years" in text
    assert "No-detriment concerns: 0 of 5" in text  # the headline row: concern now only
    assert "illustrative" in text.lower()


def test_east_sussex_2017_turnover_is_left_out_of_the_limits_with_its_reason(demo_db, latest_figures):
    at = open_app(PAGE, query={"programme": "east-west-sussex"})
    line = bullets(at)["Children's social worker turnover rate (FTE)"]
    assert "Sep 2017 left out of the limits (ghosted): DfE's 2017 FTE turnover rate for East Sussex is 0.0%" in line
    open_charts(at, "esx-nd-turnover")
    spec = next(s for s in charts(at) if "turnover" in s["layout"]["title"]["text"].lower())
    ghost = next(t for t in spec["data"] if t.get("name") == "Left out of the limits (ghosted)")
    assert ghost["x"] == ["Sep 2017"] and ghost["marker"]["symbol"] == "circle-open"
    assert "27 leavers by headcount" in ghost["customdata"][0][0]
    lower = next(t for t in spec["data"] if t.get("name", "").startswith("Lower process limit"))
    assert numbers(lower["y"]).min() >= 0  # no −6.5% on a percentage axis any more
    table = next(d.value for d in at.dataframe if "Left out of the limits because" in d.value.columns)
    assert table.set_index("Period").loc["Sep 2017", "Left out of the limits because"].startswith("DfE's 2017 FTE")


def test_a_percentage_limit_below_zero_is_drawn_at_zero(demo_db, latest_figures):
    at = open_charts(open_app(PAGE, query={"programme": "east-west-sussex"}), "esx-nd-agency")
    spec = next(s for s in charts(at) if "Agency" in s["layout"]["title"]["text"])
    lower = next(t for t in spec["data"] if t.get("name", "").startswith("Lower process limit"))
    assert lower["name"] == "Lower process limit (provisional): −0.2%, drawn at 0"
    assert set(numbers(lower["y"])) == {0.0}
    assert spec["layout"]["yaxis"]["rangemode"] == "nonnegative"
    assert any("is below 0: drawn at 0" in a["text"] for a in spec["layout"]["annotations"])


def test_hampshire_is_judged_only_to_the_close_of_the_commission(demo_db):
    at = open_app(PAGE, query={"programme": "hampshire-west-sussex"})
    text = texts(at)
    assert "1 of 5 indicators of Hampshire is of concern now: Re-referrals to children's social care" in text
    assert "to its close on 30 Sep 2023" in text
    for name, line in bullets(at).items():
        assert "2024-25 " not in line.split("(limits")[0] and "Sep 2025 " not in line.split("(limits")[0], name
    line = bullets(at)["Re-referrals to children's social care within 12 months"]
    assert line.startswith("- **◆ Concern now**")
    assert "latest 2022-23 38.7%" in line and "beyond the no-detriment tolerance line" in line
    assert "2023-24 and 2024-25 after the programme closed (30 Sep 2023): not judged" in line
    assert "Hampshire moved differently from its neighbours: worse than all 10" in line
    # The chart of the indicator of concern now is open; the points after the close greyed apart
    assert len(at.get("plotly_chart")) == 1
    spec = charts(at)[0]
    after = next(t for t in spec["data"] if t.get("name") == "After the programme closed (not judged)")
    assert after["x"] == ["2023-24", "2024-25"]
    assert not any(t.get("name") == "Special cause of concern" and "2024-25" in t["x"] for t in spec["data"])
    assert any(a["text"] == "after the programme closed<br>(30 Sep 2023)" for a in spec["layout"]["annotations"])
    assert at.toggle(key="nd_xmr_hants-nd-rereferral").value is True
    assert at.toggle(key="nd_xmr_hants-nd-turnover").value is False


def test_suppressed_year_is_a_gap_in_the_chart_not_zero(demo_db):
    at = open_app(PAGE, query={"programme": "hampshire-west-sussex"})
    spec = next(s for s in charts(at) if "Re-referrals" in s["layout"]["title"]["text"])
    line = next(t for t in spec["data"] if t.get("name") == "Value")
    x, y = line["x"], numbers(line["y"])
    assert np.isnan(y[x.index("2023-24")])
    assert any(t.get("name") == "Not published (gap)" for t in spec["data"])


def test_every_chart_one_click_away_has_titles_and_provisional_limits(demo_db, latest_figures):
    at = open_app(PAGE, query={"programme": "east-west-sussex"})
    assert len(at.get("plotly_chart")) == 0  # nothing of concern now: no chart drawn until asked for
    ids = ["esx-nd-agency", "esx-nd-caseload", "esx-nd-rereferral", "esx-nd-turnover", "esx-nd-vacancy"]
    open_charts(at, *ids)
    at.toggle(key="nd_context_esx-nd-caseload").set_value(True).run()
    specs = charts(at)
    assert len(specs) == 6
    for spec in specs:
        layout = spec["layout"]
        assert layout["title"]["text"] and layout["xaxis"]["title"]["text"] and layout["yaxis"]["title"]["text"]
    for spec in (s for s in specs if "XmR" in s["layout"]["title"]["text"]):
        limit = next(t for t in spec["data"] if t.get("name", "").startswith("Upper process limit"))
        assert limit["name"] == "Upper process limit (provisional)" and limit["line"]["dash"] == "dash"


def test_the_legend_explains_every_symbol(demo_db):
    at = open_app(PAGE, query={"programme": "east-west-sussex"})
    legend = next(d.value for d in at.dataframe if list(d.value.columns) == ["What", "Symbol", "Meaning"])
    shown = set(summary(at)["Verdict"].str[0]) | {v[0] for v in summary(at)["Variation"]}
    assert shown <= set(legend["Symbol"])


def test_east_sussex_financial_promise_against_the_demo_cost_shares(demo_db, latest_figures):
    at = open_app(PAGE, query={"programme": "east-west-sussex"})
    table = next(d.value for d in at.dataframe if "Net cost (£)" in d.value.columns).set_index("Financial year")
    # By hand from data/demo/cost_share.csv: 2020/21 East Sussex pays £95,000 of the £190,000 salary (an
    # equal split) and £0 of the £260,000 support (West Sussex: 100%); it recovers nothing; net cost £0.
    row = table.loc["2020/21"]
    assert (row["Its share of shared posts (£)"], row["Of which above an equal split (£)"]) == (95000, 0)
    assert (row["Its share of support costs (£)"], row["Support costs borne by partners (£)"]) == (0, 260000)
    assert row["Net cost (£)"] == 0
    expected = fetch(demo_db, "SELECT sum(amount_gbp) FROM cost_share WHERE ons_code = 'E10000011' "
                              "AND cost_item LIKE 'Shared Chief%'").iloc[0, 0]
    assert table["Its share of shared posts (£)"].sum() == pytest.approx(float(expected))
    assert table["Net cost (£)"].eq(0).all()
    text = texts(at)
    assert "No significant change — East Sussex" in text
    latest = table.index[-1]
    assert latest <= financial_year(clock.today())
    assert f"East Sussex: no significant change — no net cost to East Sussex in any of the {len(table)} financial years" in text
    assert "[000 para 4.1](sources?paper=000&passage=4.1)" in text


def test_hampshire_recovered_income_but_no_cost_is_recorded(demo_db):
    text = texts(open_app(PAGE, query={"programme": "hampshire-west-sussex"}))
    assert "No data since the partnership began — Hampshire" in text
    assert "it recovered £1,640,000 (income (cost recovery)), but no cost of the partnership to Hampshire" in text


def test_the_programme_picker_switches_council(demo_db):
    at = open_app(PAGE, query={"programme": "east-west-sussex"})
    at.selectbox(key="programme").set_value("hampshire-west-sussex").run()
    assert not at.exception
    assert at.query_params["programme"] == "hampshire-west-sussex"
    assert at.query_params["council"] == "E10000014"
    assert "**Hampshire** lends leadership" in texts(at)


@pytest.mark.parametrize("programme, council", [("east-west-sussex", "East Sussex"), ("hampshire-west-sussex", "Hampshire")])
def test_overview_card_and_page_agree(demo_db, programme, council):
    page = open_app(PAGE, query={"programme": programme})
    now = sum(line.startswith("- **◆ Concern now**") for line in bullets(page).values())
    earlier = [name for name, line in bullets(page).items() if line.startswith("- **◇")]
    overview = open_app("pages/overview.py")
    card = next(m.value for m in overview.markdown if m.value.startswith("**No detriment:**") and council in m.value)
    card = card.replace("\\", "")
    if now:
        assert f"Concern now: {now} of 5 indicators of {council}" in card
    else:
        assert f"No concern now in any of the 5 indicators of {council}" in card
    for name in earlier:
        assert name in card.split("earlier concern, since recovered:")[1]


def test_east_sussex_chief_executive_sees_only_their_programme(demo_db):
    at = open_app(PAGE, email="ceo.eastsussex@example.gov.uk", query={"programme": "hampshire-west-sussex"})
    assert not at.exception
    assert at.selectbox(key="programme").options == ["East Sussex – West Sussex corporate improvement partnership"]
    assert "**East Sussex** lends leadership" in texts(at)


def test_an_officer_ghosts_a_point_through_the_data_page_and_the_verdict_says_so(fresh_db, latest_figures):
    """A programme officer leaves a published point out of the limits with a reason: a change-logged
    row of its own (the published value untouched); the page then draws it hollow and says why."""
    head = "indicator_id,period_end_date,reason,source"
    at = open_app("pages/data.py", email="officer.sussex@example.gov.uk")
    at.get("file_uploader")[0].set_value(("ghost.csv", f"{head}\nesx-nd-caseload,2020-09-30,too short,x\n".encode(),
                                          "text/csv"))
    at.run()
    problems = at.dataframe[0].value
    assert list(problems.iloc[0][["row", "column"]]) == [2, "reason"]  # a reason must be stated
    reason = "Pandemic year: caseload counted on a different basis (test)"
    at.get("file_uploader")[0].set_value(("ghost.csv", f"{head}\nesx-nd-caseload,2020-09-30,{reason},illustrative\n"
                                          .encode(), "text/csv"))
    at.run()
    assert "1 to insert" in texts(at)
    at.button(key="import_go").click().run()
    assert not at.exception, at.exception
    log = fetch(fresh_db, "SELECT table_name, action, changed_by FROM change_log")
    assert list(log.itertuples(index=False, name=None)) == [("indicator_value_exclusion", "insert",
                                                             "officer.sussex@example.gov.uk")]
    assert fetch(fresh_db, "SELECT value FROM indicator_value WHERE indicator_id = 'esx-nd-caseload' "
                           "AND period_end_date = DATE '2020-09-30'").iloc[0, 0] == 17.7  # as published
    page = open_app(PAGE, query={"programme": "east-west-sussex"})
    line = bullets(page)["Average caseload per case-holding social worker (FTE)"]
    assert f"Sep 2020 left out of the limits (ghosted): {reason}" in line
    open_charts(page, "esx-nd-caseload")
    spec = next(s for s in charts(page) if "caseload" in s["layout"]["title"]["text"].lower())
    ghost = next(t for t in spec["data"] if t.get("name") == "Left out of the limits (ghosted)")
    assert ghost["x"] == ["Sep 2020"] and ghost["customdata"][0][0] == reason


def test_a_reader_cannot_ghost_a_point(fresh_db):
    import queries
    from monitor.permissions import Actor
    from queries.write import Change, WriteRefused, write

    ceo = Actor("ceo.eastsussex@example.gov.uk", "CEO", "chief executive", frozenset({"east-west-sussex"}), "E10000011")
    with pytest.raises(WriteRefused, match="can read but not change"):
        write([Change("indicator_value_exclusion", "insert", {"indicator_id": "esx-nd-caseload",
                                                              "period_end_date": "2020-09-30"},
                      {"reason": "I would rather not see this year", "source": "illustrative"},
                      programme_id="east-west-sussex")], actor=ceo, db=fresh_db)
    assert queries.run("no_detriment/values", db=fresh_db)["excluded_reason"].notna().sum() == 1


def test_the_table_editor_adds_and_takes_away_a_ghosted_point(fresh_db):
    officer = "officer.sussex@example.gov.uk"
    key = "editor::indicator_value_exclusion::east-west-sussex"
    at = open_app("pages/data.py", query={"programme": "east-west-sussex"}, email=officer)
    at.selectbox(key="edit_table").set_value("indicator_value_exclusion").run()
    assert "1 row of Indicator values left out of SPC limits (ghosted, with the reason)" in texts(at)
    at.session_state[key] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"indicator_id": "esx-nd-vacancy", "period_end_date": "2021-09-30",
         "reason": "Vacancies counted twice in a restructure (test)", "source": "illustrative"}]}
    at.button(key="edit_save").click().run()
    assert "Saved: 1 added, 0 changed, 0 deleted." in texts(at)
    line = bullets(open_app(PAGE, query={"programme": "east-west-sussex"}))["Children's social worker vacancy rate (FTE)"]
    assert "Sep 2021 left out of the limits (ghosted): Vacancies counted twice in a restructure (test)" in line
    # Taking the row away brings the point back (the East Sussex 2017 turnover row is the first)
    at.button(key="edit_reload").click().run()
    at.session_state[key] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [1]}
    at.run()
    at.checkbox(key=f"confirm::{key}").check().run()
    at.button(key="edit_save").click().run()
    assert "Saved: 0 added, 0 changed, 1 deleted." in texts(at)
    line = bullets(open_app(PAGE, query={"programme": "east-west-sussex"}))["Children's social worker vacancy rate (FTE)"]
    assert "left out of the limits" not in line
    actions = fetch(fresh_db, "SELECT action FROM change_log WHERE table_name = 'indicator_value_exclusion' ORDER BY 1")
    assert sorted(map(str, actions["action"])) == ["delete", "insert"]


def test_the_cabinet_paper_downloads_for_the_chosen_programme_and_council(demo_db, downloads, latest_figures):
    """The page's "Download the Cabinet paper (Word)": a council paper to the lending council's Cabinet
    and scrutiny committee, with the page's own verdicts, for the programme and council chosen."""
    from monitor.no_detriment.paper import MIME
    from tests import docx_checks

    for programme, council, concern in (("east-west-sussex", "East Sussex", 0), ("hampshire-west-sussex", "Hampshire", 1)):
        downloads.clear()
        at = open_app(PAGE, query={"programme": programme})
        assert not at.exception
        button = next(b for b in at.get("download_button") if b.proto.label == "Download the Cabinet paper (Word)")
        assert button.proto.label
        name, mime, data = next(d for d in downloads if d[0] and d[0].startswith("no-detriment-paper_"))
        ons = {"East Sussex": "E10000011", "Hampshire": "E10000014"}[council]
        assert name == f"no-detriment-paper_{programme}_{ons}_{clock.today().isoformat()}.docx" and mime == MIME
        assert docx_checks.problems(data, draft=False) == []
        doc = docx_checks.open_docx(data)
        assert docx_checks.header_block(doc)["Report to"].endswith("Cabinet and scrutiny committee")
        assert doc.paragraphs[0].text == f"No-detriment assessment: {council}"
        text = docx_checks.body_text(doc)
        table = summary(at)
        for verdict, sentence in zip(table["Verdict"], table["In words"]):  # the page's words, not a second reading
            assert verdict in text and sentence in text
        assert len(list(doc.element.body.iter(docx_checks.qn("wp:docPr")))) == concern == \
            sum(table["Verdict"] == "◆ Concern now")


def test_each_indicators_chart_downloads_with_its_unit_beside_its_values(demo_db, downloads, latest_figures):
    """An XmR chart's and a neighbours chart's CSV: the indicator's unit in a Unit column on every row,
    tidy, and the page's source and as-at date first (the summary's)."""
    from monitor.tidy import read_tidy_csv, source_line
    from tests.app.test_charts_and_downloads import csv_problems

    at = open_app(PAGE, query={"programme": "east-west-sussex"})
    units = dict(zip(summary(at)["Indicator"], summary(at)["Unit"]))
    ids = ["esx-nd-agency", "esx-nd-caseload", "esx-nd-rereferral", "esx-nd-turnover", "esx-nd-vacancy"]
    downloads.clear()
    open_charts(at, *ids)
    at.toggle(key="nd_context_esx-nd-caseload").set_value(True).run()
    files = {name: data for name, _mime, data in downloads if name}
    as_at = source_line(files["no_detriment_east-west-sussex_E10000011.csv"]).rsplit("As at: ", 1)[1].rstrip(".")
    shown = {n: f for n, f in files.items() if n.endswith(("_xmr.csv", "_neighbours.csv"))}
    assert sorted(shown) == sorted([f"{i}_xmr.csv" for i in ids] + ["esx-nd-caseload_neighbours.csv"])
    caseload = units[next(name for name in units if "caseload" in name.lower())]
    for name, data in shown.items():
        assert csv_problems(name, data, as_at) == [], name
        table = read_tidy_csv(data)
        assert table["Unit"].nunique() == 1 and table["Unit"].iloc[0] in set(units.values()), name
        assert "Value" not in table or pd.api.types.is_numeric_dtype(table["Value"]), name
    assert set(read_tidy_csv(shown["esx-nd-caseload_xmr.csv"])["Unit"]) == {caseload}
    assert set(read_tidy_csv(shown["esx-nd-caseload_neighbours.csv"])["Unit"]) == {caseload}
