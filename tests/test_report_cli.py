"""`make report` and `make annual-report`: the Quarterly report page's Word files from the command
line, for councils that assemble committee papers by script — the same file the page gives for the
same data, and `file:-:-: message` with a non-zero exit (nothing written) on refusal."""
import hashlib
import subprocess
import sys

import pytest

from queries.db import ROOT
from queries.db import close as close_db
from tests import docx_checks
from tests.apptest import open_app
from tests.dbutil import scalar


def make(*args) -> subprocess.CompletedProcess:
    # -o: the virtualenv counts as made (these tests must not install anything).
    return subprocess.run(["make", "-s", "-o", ".venv/.runtime", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def page_download(downloads, programme: str, quarter: str, starts: str, year: str | None = None) -> bytes:
    downloads.clear()
    at = open_app("pages/quarterly_report.py", query={"programme": programme, "quarter": quarter},
                  email="admin@example.gov.uk")
    if year:
        at.selectbox(key="annual_year").set_value(year).run()
    assert not at.exception
    return next(data for name, _mime, data in downloads if name and name.startswith(starts))


def test_make_report_writes_the_pages_file_for_a_submitted_and_a_draft_report(demo_db, downloads, tmp_path):
    submitted = page_download(downloads, "hampshire-west-sussex", "2023-Q2", "quarterly-report_")
    draft = page_download(downloads, "essex-braintree-brentwood", "2023-Q2", "quarterly-report_")
    close_db(demo_db)  # the page's process lets go of the file, as the dashboard is stopped for a scheduler
    out = tmp_path / "hws.docx"
    done = make("report", "PROGRAMME=hampshire-west-sussex", "QUARTER=2023-Q2", f"OUT={out}", f"DB={demo_db}")
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == submitted
    assert hashlib.sha256(out.read_bytes()).hexdigest() == scalar(
        demo_db, "SELECT docx_sha256 FROM commissioner_report WHERE report_id = 'hws-2023-Q2-v1'")
    close_db(demo_db)
    board = tmp_path / "essex.docx"
    done = make("report", "PROGRAMME=essex-braintree-brentwood", "QUARTER=2023-Q2", f"OUT={board}", f"DB={demo_db}")
    assert done.returncode == 0, done.stderr
    assert board.read_bytes() == draft  # a draft, assembled from the same data on the same day
    assert docx_checks.problems(board.read_bytes(), draft=True) == []
    assert "DfE" not in docx_checks.body_text(docx_checks.open_docx(board.read_bytes()))


def test_make_annual_report_writes_the_annual_report_by_financial_year(demo_db, downloads, tmp_path):
    from_page = page_download(downloads, "hampshire-west-sussex", "2023-Q1", "annual-report_", year="2022/23")
    close_db(demo_db)
    out = tmp_path / "annual.docx"
    done = make("annual-report", "PROGRAMME=hampshire-west-sussex", "YEAR=2022/23", f"OUT={out}", f"DB={demo_db}")
    assert done.returncode == 0, done.stderr
    page_doc, cli_doc = docx_checks.open_docx(from_page), docx_checks.open_docx(out.read_bytes())
    assert docx_checks.body_text(cli_doc) == docx_checks.body_text(page_doc)
    assert docx_checks.header_block(cli_doc)["Report to"] == "Hampshire County Council Cabinet"


@pytest.mark.parametrize("args, words", [
    (["report", "PROGRAMME=nope", "QUARTER=2023-Q2"], "there is no programme 'nope'"),
    (["report", "PROGRAMME=hampshire-west-sussex", "QUARTER=Q2 2023/24"], "QUARTER must be a quarter like 2023-Q3"),
    (["report", "PROGRAMME=hampshire-west-sussex", "QUARTER=2025-Q2"], "has no quarter 2025-Q2"),
    (["annual-report", "PROGRAMME=essex-braintree-brentwood", "YEAR=2022/23"], "no annual report to a partner council"),
    (["annual-report", "PROGRAMME=hampshire-west-sussex", "YEAR=2030/31"], "did not run in the financial year 2030/31"),
])
def test_a_refusal_says_why_as_file_dash_dash_and_writes_nothing(demo_db, tmp_path, args, words):
    out = tmp_path / "out.docx"
    done = make(*args, f"OUT={out}", f"DB={demo_db}")
    assert done.returncode != 0
    first = done.stderr.splitlines()[0]
    assert first.startswith(f"{out}:-:-: ") and words in first, done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


def test_an_unwritable_out_is_refused_in_one_line(demo_db, tmp_path):
    out = tmp_path / "no such folder" / "report.docx"
    done = subprocess.run([sys.executable, "-m", "queries.report_cli", "quarterly", "hampshire-west-sussex", "2023-Q2",
                           str(out), "--db", str(demo_db)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and done.stderr.startswith(f"{out}:-:-: the document could not be written")
    assert "nothing was written" in done.stderr and "Traceback" not in done.stderr


def test_quarters_of_one_programme_share_its_rows_read_once(demo_db):
    """The report page reads a programme's rows once (side by side) for the quarter shown and the one
    it is compared with: assembly only reads them, and gives what reading afresh gives."""
    import datetime as dt

    import pandas as pd

    import queries
    from monitor.periods import programme_quarters
    from queries.report import assemble, programme_meta, report_inputs

    at = dt.datetime(2026, 12, 4, 9, 0)
    for row in queries.run("programmes/all").to_dict("records"):
        meta = programme_meta(row)
        inputs = report_inputs(meta["programme_id"])
        kept = {name: frame.copy(deep=True) for name, frame in inputs.items()}
        for quarter in programme_quarters(row["start_date"], row["end_date"], dt.date(2026, 12, 4))[:2]:
            assert assemble(meta, quarter, inputs=inputs, assembled_at=at) == assemble(meta, quarter, assembled_at=at)
        for name, frame in inputs.items():
            pd.testing.assert_frame_equal(frame, kept[name], obj=f"{meta['programme_id']} {name}")
