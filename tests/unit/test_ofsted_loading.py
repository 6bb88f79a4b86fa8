"""Ofsted's files as published, for the Ofsted page (issue 5): row counts, the facts the page must
show, nothing suppressed or made up, and bad input — one cell broken in a real file — refused with
file, row and column for every layout."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from monitor.loaders import official
from monitor.loaders.ofsted import ILACS_JUDGEMENTS
from monitor.loaders.reading import count_data_rows
from tests.unit.test_loaders_official import broken_copy, problems_of, record_row

ROOT = Path(__file__).resolve().parents[2]
OFFICIAL = ROOT / "data" / "official"
HISTORY = OFFICIAL / "ofsted_ilacs_inspection_history_2018_2025.csv"
IN_YEAR = OFFICIAL / "ofsted_la_in_year_inspections_2024_25.csv"
WIDE = OFFICIAL / "ofsted_la_inspections_2009_2023_wide.csv"
WIDE_FORMER = OFFICIAL / "ofsted_la_inspections_2009_2023_wide_former_las.csv"
WS_2023 = "E10000032,West Sussex,Current,South East,2023-03-13"
HANTS_2024 = "E10000014,Hampshire,South East,2024-06-10,2024-07-23,ILACS Short Inspection,Outstanding"


@pytest.fixture(scope="module")
def authorities():
    return official.load_official(OFFICIAL)["authority"]


@pytest.fixture(scope="module")
def loaded():
    return official.load_official(OFFICIAL)


def test_row_counts_of_the_real_files(authorities):
    assert [count_data_rows(p) for p in (HISTORY, IN_YEAR, WIDE, WIDE_FORMER)] == [271, 112, 152, 4]
    history, _ = official.load_ofsted_ilacs_history(HISTORY, authorities)
    assert len(history) == 271  # every row one inspection: nothing dropped
    assert history["kind"].value_counts().to_dict() == {"full inspection": 171, "short inspection": 100}
    visits, _ = official.load_ofsted_in_year(IN_YEAR, authorities)
    everything, _ = official.load_ofsted_in_year(IN_YEAR, authorities, include_inspections=True)
    assert len(everything) == 112 and len(visits) == 60
    assert visits["kind"].value_counts().to_dict() == {"focused visit": 36, "monitoring visit": 24}


def test_frameworks_and_totals_in_the_database_frames(loaded):
    i = loaded["ofsted_inspection"]
    assert len(i) == 721 and i["inspection_id"].is_unique
    assert i["framework"].value_counts().to_dict() == {
        "ILACS": 331, "SLAC": 152, "SIF": 152, "CPI": 50, "SIF re-inspection": 21, "SLAC re-inspection": 9,
        "TLAC": 5, "CPRI": 1}
    assert len(loaded["ofsted_judgement"]) == 2743
    # Councils matched on codes: every inspection belongs to a council in `authority`.
    assert set(i["ons_code"]) <= set(loaded["authority"]["ons_code"])


def test_nothing_suppressed_every_published_grade_is_a_judgement(authorities):
    everything, graded = official.load_ofsted_in_year(IN_YEAR, authorities, include_inspections=True)
    raw = pd.read_csv(IN_YEAR, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(graded) == int(sum((raw[a] != "").sum() for a in ILACS_JUDGEMENTS))
    # Visits carry their theme as published (focused visits), and no grade.
    focused = everything[everything["kind"] == "focused visit"]
    assert focused["visit_theme"].notna().all()
    assert not graded["inspection_id"].isin(everything.loc[everything["kind"].isin(["focused visit", "monitoring visit"]),
                                                           "inspection_id"]).any()


def test_west_sussex_and_isle_of_wight_as_the_page_shows_them(loaded):
    i, j = loaded["ofsted_inspection"], loaded["ofsted_judgement"]
    ws = i[(i["ons_code"] == "E10000032") & (i["framework"] == "ILACS") & (i["kind"] == "full inspection")]
    assert sorted(ws["inspection_date"].dt.date.astype(str)) == ["2019-02-25", "2023-03-13"]
    grades = j[j["inspection_id"] == "e10000032-ilacs-full-inspection-2019-02-25"].set_index("judgement_area")["grade"]
    assert len(grades) == 4 and set(grades) == {"Inadequate"}  # all four judgements made in 2019
    iow = i[i["ons_code"] == "E06000046"].merge(j[j["judgement_area"] == "Overall effectiveness"], on="inspection_id")
    iow = iow.assign(when=iow["inspection_date"].fillna(iow["published_date"])).sort_values("when")
    assert list(zip(iow["framework"], iow["grade"])) == [("CPI", "Inadequate"), ("SIF", "Requires improvement to be good"),
                                                         ("ILACS", "Good"), ("ILACS", "Good")]


def test_somerset_inspections_sit_under_the_unitary_code(loaded):
    i = loaded["ofsted_inspection"]
    assert (i["ons_code"] == "E06000066").sum() >= 5 and (i["ons_code"] == "E10000027").sum() == 0


def drop_column(src: Path, tmp_path: Path, header: str) -> Path:
    text = src.read_bytes().decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline="")))
    index = [" ".join(h.split()) for h in records[0]].index(header)
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows([r[:index] + r[index + 1:] for r in records])
    path = tmp_path / src.name
    path.write_bytes(out.getvalue().encode("utf-8-sig"))
    return path


BROKEN_CELLS = [  # (file, record to find, old bytes, new bytes, loader, column named, value named)
    (HISTORY, WS_2023, b"E10000032,West Sussex,Current,South East,2023-03-13",
     b"E10000099,West Sussex,Current,South East,2023-03-13", "history", "Local authority area code", "E10000099"),
    (HISTORY, WS_2023, b"South East,2023-03-13,2023-05-11", b"South East,2023-02-30,2023-05-11", "history",
     "Inspection date", "2023-02-30"),
    (HISTORY, WS_2023, b"West Sussex,Current,South East,2023-03-13,2023-05-11,ILACS Standard Inspection,",
     b"West Sussex,Current,South East,2023-03-13,2023-05-11,ILACS Standard Inspectoin,", "history",
     "Inspection type", "ILACS Standard Inspectoin"),
    (IN_YEAR, HANTS_2024, b"Hampshire,South East,2024-06-10,2024-07-23,ILACS Short Inspection,Outstanding",
     b"Hampshire,South East,2024-06-10,2024-07-23,ILACS Short Inspection,Excellent",
     "in_year", "Overall effectiveness", "Excellent"),
    (IN_YEAR, HANTS_2024, b"E10000014,Hampshire,South East,2024-06-10,2024-07-23",
     b"E10000014,Hampshire,South East,2024-06-10,23 July 2024", "in_year", "Publication date", "23 July 2024"),
    (WIDE, "provider/44/80578,West Sussex", b"2010-12-17,Inadequate,Requires improvement to be good",
     b"2010-12-17,Inadequate,Adequate", "wide", "SLAC Looked After Children Overall Effectiveness (OE)", "Adequate"),
]
LOADERS = {"history": official.load_ofsted_ilacs_history, "in_year": official.load_ofsted_in_year,
           "wide": official.load_ofsted_wide_2009_2023}


@pytest.mark.parametrize("src, needle, old, new, loader, column, value", BROKEN_CELLS,
                         ids=[f"{c[4]}-{c[5]}" for c in BROKEN_CELLS])
def test_one_broken_cell_is_refused_with_file_row_and_column(tmp_path, authorities, src, needle, old, new, loader,
                                                             column, value):
    row = record_row(src, needle)
    path = broken_copy(src, tmp_path, old, new)
    problems = problems_of(lambda: LOADERS[loader](path, authorities))
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [(src.name, row, column, value)]
    assert problems[0].message


@pytest.mark.parametrize("src, header, loader", [
    (IN_YEAR, "Inspection/Visit date", "in_year"),
    (WIDE, "CPI Overall Effectiveness (OE)", "wide"),
    (WIDE_FORMER, "LA region", "wide"),
])
def test_missing_column_is_refused_naming_it(tmp_path, authorities, src, header, loader):
    path = drop_column(src, tmp_path, header)
    problems = problems_of(lambda: LOADERS[loader](path, authorities))
    assert [(p.file, p.row, p.column) for p in problems] == [(src.name, None, header)]
    assert "missing" in problems[0].message
