"""One fact, one rule: each programme's headline facts read the same on the Overview card, on the
domain's own page, in the quarterly report on screen and in its Word export, in the Overview's
headline-figures CSV and from `make figures` — for every demo programme and a sample of a generated
national-scale database."""
from __future__ import annotations

import io
import shutil
import subprocess
import sys

import duckdb
import pandas as pd
import pytest
from docx import Document

from monitor import clock
from monitor.tidy import read_tidy_csv
from monitor.national import generate
from monitor.periods import quarter_of
from queries import db as dbmod
from queries.build import insert_frame
from queries.national import ORDER
from tests.apptest import ROOT, open_app
from tests.dbutil import fetch

DEMO = ["east-west-sussex", "hampshire-west-sussex", "essex-braintree-brentwood", "breckland-south-holland",
        "south-somerset-sedgemoor"]
# Each headline fact's label, as every surface words it (monitor.overview.headlines).
CARD = ["Milestones complete", "Due in next 90 days", "Overdue", "Open high risks"]
PAGES = {"pages/action_plan.py": ["Milestones complete", "Overdue", "Due in next 90 days"],
         "pages/risks.py": ["Open high risks"], "pages/savings.py": ["Savings delivered to date"],
         "pages/no_detriment.py": ["No-detriment concerns"]}
REPORT = ["Milestones complete", "Overdue", "Due in next 90 days", "Open high risks", "Savings delivered to date",
          "No-detriment concerns", "Latest Ofsted judgement"]


def card_metrics(at, programme_name: str) -> dict[str, str]:
    """The metrics of one programme's card (cards are drawn in order, four metrics each)."""
    titles = [h.value for h in at.subheader]
    metrics = [m for m in at.metric if m.label in CARD]
    i = titles.index(programme_name)
    return {m.label: m.value for m in metrics[4 * i: 4 * i + 4]}


def page_metrics(page: str, programme_id: str) -> dict[str, str]:
    at = open_app(page, query={"programme": programme_id})
    assert not at.exception
    return {m.label: m.value for m in at.metric}


def report_headline(programme_id: str, quarter: str, downloads) -> tuple[dict[str, str], dict[str, str]]:
    """The report's headline table on screen and in its Word export."""
    downloads.clear()
    at = open_app("pages/quarterly_report.py", query={"programme": programme_id, "quarter": quarter})
    assert not at.exception
    screen = next(df.value for df in at.dataframe if list(df.value.columns) == ["Measure", "Figure"])
    on_screen = dict(zip(screen["Measure"], screen["Figure"]))
    word = next(data for name, _mime, data in downloads if name and name.endswith(".docx") and "annual" not in name)
    doc = Document(io.BytesIO(word))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Measure")
    in_word = {r.cells[0].text: r.cells[1].text for r in table.rows[1:]}
    return on_screen, in_word


def csv_figures(row: pd.Series) -> dict[str, str]:
    """A headline-figures CSV row in the words the metrics use."""
    return {"Milestones complete": f"{int(row['Milestones complete'])} of {int(row['Milestones in plan'])}",
            "Open high risks": f"{int(row['Open high risks']):,}",
            "Due in next 90 days": f"{int(row['Milestones due in next 90 days']):,}",
            "Overdue": int(row["Milestones overdue"]),
            "No-detriment concerns": (f"{int(row['No-detriment concerns'])} of {int(row['No-detriment indicators'])}"
                                      if int(row["No-detriment indicators"]) else "–"),
            "Latest Ofsted judgement": row["Latest Ofsted judgement"] if isinstance(row["Latest Ofsted judgement"], str)
            else "none"}


def overview_csv(downloads) -> pd.DataFrame:
    downloads.clear()
    at = open_app("pages/overview.py")
    assert not at.exception
    data = next(data for name, _mime, data in downloads if name and name.startswith("headline-figures"))
    return read_tidy_csv(data)


def make_figures(db) -> pd.DataFrame:
    """`make figures`' command, as a scheduler runs it (the app's process lets go of the file first:
    DuckDB lets one process hold it)."""
    dbmod.close(db)
    out = subprocess.run([sys.executable, "-m", "queries.figures_cli", "--db", str(db)], cwd=ROOT,
                         capture_output=True, check=True)
    return pd.read_csv(io.BytesIO(out.stdout), encoding="utf-8-sig")


def check_programme(db, programme_id: str, page_no: int, csv_row: pd.Series, cli_row: pd.Series, downloads) -> None:
    name = fetch(db, "SELECT programme_name FROM programme WHERE programme_id = $p", {"p": programme_id}).iloc[0, 0]
    as_at = pd.Timestamp(csv_row["As at"]).date()
    overview = open_app("pages/overview.py", query={"page": str(page_no)} if page_no > 1 else None)
    facts = card_metrics(overview, name)
    # The domain pages' headline rows
    for page, labels in PAGES.items():
        shown = page_metrics(page, programme_id)
        for label in labels:
            if label in shown:
                if label in facts:
                    assert shown[label] == facts[label], (programme_id, page, label)
                facts[label] = shown[label]
    # The quarterly report of the quarter the facts are as at, on screen and in Word
    on_screen, in_word = report_headline(programme_id, quarter_of(as_at), downloads)
    assert on_screen == in_word, programme_id
    for label in REPORT:
        if label in facts:
            assert on_screen[label] == facts[label], (programme_id, "report", label, on_screen[label], facts[label])
    facts.update(on_screen)
    # The headline-figures CSV (the Overview's download) and `make figures`: the same table
    pd.testing.assert_series_equal(csv_row, cli_row, check_names=False)
    for label, value in csv_figures(csv_row).items():
        expected = facts[label]
        if label == "Overdue":
            expected = "0" if expected == "none (closed)" else expected
            value = f"{value:,}"
        assert value == expected, (programme_id, "CSV", label, value, expected)
    delivered = csv_row["Savings delivered to date"]
    assert csv_row["Savings delivered to date unit"] == "GBP", programme_id
    assert (facts["Savings delivered to date"] == "–") == pd.isna(delivered), programme_id


def run_consistency(db, programme_ids, downloads) -> int:
    table = overview_csv(downloads).set_index("Programme ID")
    cli = make_figures(db).set_index("Programme ID")
    assert sorted(table.index) == sorted(cli.index)
    order = list(table.index)  # the cards' order: worst first, five a page
    for pid in programme_ids:
        check_programme(db, pid, order.index(pid) // 5 + 1, table.loc[pid], cli.loc[pid], downloads)
    return len(programme_ids)


def test_every_demo_programme_reads_the_same_everywhere(demo_db, downloads):
    assert run_consistency(demo_db, DEMO, downloads) == 5


@pytest.fixture
def national_sample_db(built_db, tmp_path, monkeypatch):
    """The demo plus 12 generated programmes at national shape: a sample of the national database."""
    path = tmp_path / "national-sample.duckdb"
    shutil.copy(built_db, path)
    con = duckdb.connect(str(path))
    frames = generate(con.execute("SELECT * FROM authority").df(), seed=7, programmes=12, milestones=240,
                      indicators=24, risks=40, key_dates=30, reports=24)
    for table in ORDER:
        insert_frame(con, table, frames[table])
    con.close()
    monkeypatch.setenv(dbmod.DB_ENV, str(path))
    yield path
    dbmod.close(path)


def test_a_sample_of_national_programmes_reads_the_same_everywhere(national_sample_db, downloads):
    ids = fetch(national_sample_db, "SELECT programme_id FROM programme WHERE programme_id NOT IN "
                                    "(SELECT unnest($demo)) ORDER BY programme_id", {"demo": DEMO})["programme_id"]
    sample = list(ids[:4])
    assert run_consistency(national_sample_db, sample, downloads) == 4
    assert clock.today()  # the suite's pinned day
