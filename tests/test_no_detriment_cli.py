"""`make no-detriment-report`: the No-detriment page's Cabinet paper from the command line — the same
file the page's download gives for the same data on the same day, opened by LibreOffice, and
`file:-:-: message` with a non-zero exit (nothing written) on refusal."""
import subprocess
import sys

import pytest

from monitor import clock
from queries.db import ROOT
from queries.db import close as close_db
from tests import docx_checks
from tests.apptest import open_app
from tests.test_report_cli import make

PROGRAMME, COUNCIL = "east-west-sussex", "E10000011"  # East Sussex lends leadership to West Sussex


def page_download(downloads, programme: str) -> bytes:
    downloads.clear()
    at = open_app("pages/no_detriment.py", query={"programme": programme})
    assert not at.exception
    return next(data for name, _mime, data in downloads if name and name.startswith("no-detriment-paper_"))


def test_make_no_detriment_report_writes_the_pages_cabinet_paper(demo_db, downloads, tmp_path, artifacts):
    from_page = page_download(downloads, PROGRAMME)
    close_db(demo_db)  # the page's process lets go of the file, as the dashboard is stopped for a scheduler
    out = tmp_path / "east-sussex.docx"
    done = make("no-detriment-report", f"PROGRAMME={PROGRAMME}", f"COUNCIL={COUNCIL}", f"OUT={out}", f"DB={demo_db}")
    assert done.returncode == 0, done.stderr
    assert f"no-detriment-paper_{PROGRAMME}_{COUNCIL}_{clock.today().isoformat()}.docx" in done.stdout
    data = out.read_bytes()
    assert data == from_page
    assert docx_checks.problems(data, draft=False) == []
    doc = docx_checks.open_docx(data)
    block = docx_checks.header_block(doc)
    assert block["Report to"] == "East Sussex Cabinet and scrutiny committee"
    assert block["Report by"] == "Programme lead"
    text = docx_checks.body_text(doc)
    assert "No indicator of East Sussex is of concern now" in text
    assert "Financial no detriment" in text and "published (dfe_" in text
    pdf = docx_checks.libreoffice_pdf(data, tmp_path / "pdf", out.name)
    pages = docx_checks.pdf_pages_text(pdf)
    for n, page in enumerate(pages, 1):
        assert "OFFICIAL" in page and f"Page {n} of {len(pages)}" in page, n
    assert docx_checks.render_pages(pdf, artifacts / "docx", "no-detriment-east-sussex")


@pytest.mark.parametrize("args, words", [
    (["PROGRAMME=nope", f"COUNCIL={COUNCIL}"], "there is no programme 'nope'"),
    ([f"PROGRAMME={PROGRAMME}", "COUNCIL=E10000032"], "'E10000032' is not a lending council with no-detriment "
                                                      "indicators in east-west-sussex (its lending councils are: "
                                                      "E10000011 (East Sussex))"),
    (["PROGRAMME=essex-braintree-brentwood", "COUNCIL=E10000012"], "(its lending councils are: none)"),
])
def test_a_refusal_says_why_as_file_dash_dash_and_writes_nothing(demo_db, tmp_path, args, words):
    out = tmp_path / "out.docx"
    done = make("no-detriment-report", *args, f"OUT={out}", f"DB={demo_db}")
    assert done.returncode != 0
    first = done.stderr.splitlines()[0]
    assert first.startswith(f"{out}:-:-: ") and words in first, done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


def test_without_its_arguments_make_says_how_to_call_it(tmp_path):
    done = make("no-detriment-report", f"OUT={tmp_path / 'x.docx'}")
    assert done.returncode != 0 and "usage: make no-detriment-report PROGRAMME=id COUNCIL=ons_code" in done.stderr


def test_an_unwritable_out_is_refused_in_one_line(demo_db, tmp_path):
    out = tmp_path / "no such folder" / "paper.docx"
    done = subprocess.run([sys.executable, "-m", "queries.no_detriment_cli", PROGRAMME, COUNCIL, str(out),
                           "--db", str(demo_db)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and done.stderr.startswith(f"{out}:-:-: the document could not be written")
    assert "nothing was written" in done.stderr and "Traceback" not in done.stderr
