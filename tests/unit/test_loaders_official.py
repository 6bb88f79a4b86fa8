"""The official-file loaders, on the real files in data/official and on broken copies of them."""
from __future__ import annotations

import csv
import io
import math
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from monitor.loaders import official, tables
from monitor.loaders.ofsted import ILACS_JUDGEMENTS, WIDE_BLOCKS
from monitor.loaders.problems import LoadError, Problem

ROOT = Path(__file__).resolve().parents[2]
OFFICIAL = ROOT / "data" / "official"
D2I = OFFICIAL / "d2i_Provider_data_lookup.csv"
LTLA = OFFICIAL / "dfe_LTLA-UTLA_Apr23_Lookup_England-Wales.csv"
SN = OFFICIAL / "dfe_sn_model_2025_wide.csv"
HISTORY = OFFICIAL / "ofsted_ilacs_inspection_history_2018_2025.csv"
IN_YEAR = OFFICIAL / "ofsted_la_in_year_inspections_2024_25.csv"
WIDE = OFFICIAL / "ofsted_la_inspections_2009_2023_wide.csv"
WIDE_FORMER = OFFICIAL / "ofsted_la_inspections_2009_2023_wide_former_las.csv"
CIN = OFFICIAL / "dfe_c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
CSWW = OFFICIAL / "dfe_csww_indicators_2017_to_2025.csv"

CARE_LEAVERS = "The experiences and progress of care leavers"


@pytest.fixture(scope="module")
def loaded() -> dict[str, pd.DataFrame]:
    return official.load_official(OFFICIAL)


@pytest.fixture(scope="module")
def authorities(loaded) -> pd.DataFrame:
    return loaded["authority"]


@pytest.fixture(scope="module")
def history(authorities):
    return official.load_ofsted_ilacs_history(HISTORY, authorities)


def judgements_of(loaded, inspection_id: str) -> dict[str, str]:
    j = loaded["ofsted_judgement"]
    rows = j[j["inspection_id"] == inspection_id]
    return dict(zip(rows["judgement_area"], rows["grade"]))


# ---- shapes ----------------------------------------------------------------------------------

def schema_columns() -> dict[str, list[str]]:
    """Column names per table, read from data/schema.sql (constraint lines skipped)."""
    text = (ROOT / "data" / "schema.sql").read_text(encoding="utf-8")
    out = {}
    for name, body in re.findall(r"CREATE TABLE (\w+) \((.*?)\n\);", text, flags=re.S):
        cols = [m.group(1) for line in body.splitlines()
                if (m := re.match(r"\s{4}(\w+) ", line)) and m.group(1) not in ("PRIMARY", "CHECK", "UNIQUE", "FOREIGN")]
        out[name] = [c for c in cols if c != "row_version"]
    return out


def test_frames_have_exactly_the_tables_columns(loaded):
    schema = schema_columns()
    for table, frame in loaded.items():
        assert list(frame.columns) == schema[table], table
    assert list(tables.DATA_SOURCE) == [c for c in schema["data_source"] if c not in ("row_count", "loaded_at")]
    assert all(list(s) == list(tables.DATA_SOURCE) for s in official.SOURCES)


def test_sources_name_every_official_file_once():
    names = [s["source_file"] for s in official.SOURCES]
    assert sorted(names) == sorted(p.name for p in OFFICIAL.glob("*.csv"))
    assert all(s["licence"] == "Open Government Licence v3.0" for s in official.SOURCES)


def test_loading_twice_gives_identical_frames(loaded):
    again = official.load_official(OFFICIAL)
    for table, frame in loaded.items():
        pd.testing.assert_frame_equal(frame, again[table], obj=table)


def test_frames_satisfy_the_schema_in_duckdb(loaded):
    """What the builder does: DuckDB enforces every ENUM, CHECK, key and foreign key."""
    con = duckdb.connect()
    try:
        def run(sql: str) -> None:
            con.execute(sql)
            con.complete()  # DuckDB 2: finish the statement's result before the next call

        run((ROOT / "data" / "schema.sql").read_text(encoding="utf-8"))
        for table in ("authority", "statistical_neighbour", "reorganisation", "ofsted_framework_version",
                      "ofsted_framework_area", "ofsted_inspection", "ofsted_judgement", "dfe_statistic"):
            con.register("_frame", loaded[table])
            run(f"INSERT INTO {table} BY NAME SELECT * FROM _frame")
            con.unregister("_frame")
            assert con.execute(f"SELECT count(*) FROM {table}").fetchall() == [(len(loaded[table]),)]
    finally:
        con.close()


def test_loaders_import_neither_streamlit_nor_duckdb():
    for path in (ROOT / "monitor" / "loaders").glob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+(streamlit|duckdb)\b", path.read_text(), flags=re.M), path.name


# ---- authorities and neighbours --------------------------------------------------------------

def test_authorities_are_current_former_and_districts_without_duplicates(authorities):
    a = authorities
    current = a[a["is_childrens_services"] & a["abolished_date"].isna()]
    assert len(current) == 153
    former = a[a["abolished_date"].notna()].set_index("ons_code")
    assert sorted(former.index) == ["E06000028", "E06000029", "E07000188", "E07000189",
                                    "E10000006", "E10000009", "E10000021", "E10000027"]
    assert former.loc["E10000006", "abolished_date"] == pd.Timestamp("2023-04-01")
    assert former.loc["E10000021", "abolished_date"] == pd.Timestamp("2021-04-01")
    assert former.loc["E06000029", "successor_ons_code"] == "E06000058"
    assert former.loc["E07000188", "upper_tier_ons_code"] == "E10000027"
    districts = a[a["tier"] == "district"]
    assert len(districts) == 164 + 2 and districts["ons_code"].str.startswith("E07").all()
    assert len(a) == 153 + 6 + 166
    assert not a["ons_code"].duplicated().any()
    assert not a["dfe_code"].dropna().duplicated().any()
    assert set(districts["upper_tier_ons_code"]) <= set(a["ons_code"])


def test_seed_councils_have_their_codes_and_tiers(authorities):
    a = authorities.set_index("ons_code")
    assert a.loc["E10000032", ["dfe_code", "tier", "region_name"]].tolist() == ["938", "county", "South East"]
    assert a.loc["E06000046", ["dfe_code", "tier"]].tolist() == ["921", "unitary"]
    assert a.loc["E06000066", ["dfe_code", "tier"]].tolist() == ["933", "unitary"]
    assert pd.isna(a.loc["E06000066", "abolished_date"])
    assert a.loc["E07000067", ["authority_name", "tier", "upper_tier_ons_code", "is_childrens_services"]].tolist() \
        == ["Braintree", "district", "E10000012", False]
    # d2i calls the 2023 unitaries "County"; the ONS code says unitary.
    assert a.loc[["E06000063", "E06000064", "E06000065"], "tier"].tolist() == ["unitary"] * 3
    assert a.loc["E10000006", "source"] == "data/reference/former_authorities.csv"


def test_every_council_has_ten_statistical_neighbours(loaded, authorities):
    sn = loaded["statistical_neighbour"]
    per_council = sn.groupby("ons_code")["neighbour_rank"].apply(sorted)
    assert len(per_council) == 153
    assert all(ranks == list(range(1, 11)) for ranks in per_council)
    assert (sn["ons_code"] != sn["neighbour_ons_code"]).all()
    assert set(sn["neighbour_ons_code"]) <= set(authorities["ons_code"])
    west_sussex = sn[sn["ons_code"] == "E10000032"].set_index("neighbour_rank")
    assert west_sussex.loc[1, "closeness"] in {"Extremely close", "Very close", "Close", "Somewhat close", "Not close"}
    assert not sn["closeness"].str.endswith(" ").any()


# ---- Ofsted ----------------------------------------------------------------------------------

def test_west_sussex_ilacs_inspections(loaded):
    i = loaded["ofsted_inspection"].set_index("inspection_id")
    first = "e10000032-ilacs-full-inspection-2019-02-25"
    assert i.loc[first, ["ons_code", "framework", "kind"]].tolist() == ["E10000032", "ILACS", "full inspection"]
    assert i.loc[first, "published_date"] == pd.Timestamp("2019-05-08")
    grades = judgements_of(loaded, first)
    assert grades == {area: "Inadequate" for area in ILACS_JUDGEMENTS if area != CARE_LEAVERS}
    second = judgements_of(loaded, "e10000032-ilacs-full-inspection-2023-03-13")
    assert second["Overall effectiveness"] == "Requires improvement to be good"
    assert second[CARE_LEAVERS] == "Requires improvement to be good"


def test_isle_of_wight_cpi_inadequate_then_ilacs_good(loaded):
    i = loaded["ofsted_inspection"]
    iow = i[i["ons_code"] == "E06000046"].set_index("inspection_id")
    cpi = iow[iow["framework"] == "CPI"]
    assert len(cpi) == 1
    assert cpi["published_date"].iloc[0] == pd.Timestamp("2013-01-15") and pd.isna(cpi["inspection_date"].iloc[0])
    assert judgements_of(loaded, cpi.index[0]) == {"Overall effectiveness": "Inadequate"}
    ilacs = "e06000046-ilacs-full-inspection-2018-11-19"
    assert ilacs in iow.index
    assert judgements_of(loaded, ilacs)["Overall effectiveness"] == "Good"


def test_blank_grades_give_no_judgement_rows(history):
    inspections, judgements = history
    raw = pd.read_csv(HISTORY, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    blank_care_leavers = int((raw[CARE_LEAVERS] == "").sum())
    assert blank_care_leavers > 100
    with_care_leavers = judgements.loc[judgements["judgement_area"] == CARE_LEAVERS, "inspection_id"]
    assert len(inspections) - with_care_leavers.nunique() == blank_care_leavers
    graded_cells = sum(int((raw[area] != "").sum()) for area in ILACS_JUDGEMENTS)
    assert len(judgements) == graded_cells
    assert set(judgements["grade"]) <= set(tables.OFSTED_GRADES)


def test_wide_file_gives_pre_ilacs_frameworks_with_publication_dates_only(loaded):
    i = loaded["ofsted_inspection"]
    wide = i[i["source"].str.startswith("ofsted_la_inspections_2009_2023_wide")]
    assert set(wide["framework"]) == {"SLAC", "SLAC re-inspection", "CPI", "CPRI", "TLAC", "SIF", "SIF re-inspection"}
    assert wide["inspection_date"].isna().all() and wide["published_date"].notna().all()
    # Every graded cell of the earlier frameworks is one judgement; "-" and blanks are none.
    headers = {" ".join(h.split()) for b in WIDE_BLOCKS for h, _ in b.judgements}
    cells = 0
    for path in (WIDE, WIDE_FORMER):
        raw = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        raw.columns = [" ".join(c.split()) for c in raw.columns]
        cells += int(raw[sorted(headers)].isin(tables.OFSTED_GRADES).sum().sum())
    j = loaded["ofsted_judgement"]
    assert j["inspection_id"].isin(wide["inspection_id"]).sum() == cells


def test_former_councils_keep_their_own_history(loaded):
    i = loaded["ofsted_inspection"]
    by_code = i.groupby("ons_code")["framework"].apply(set)
    assert {"SLAC", "CPI", "SIF", "SIF re-inspection", "ILACS"} <= by_code["E10000006"]  # Cumbria
    assert {"SLAC", "CPI", "TLAC", "SIF", "ILACS"} <= by_code["E10000021"]  # Northamptonshire
    assert {"SLAC", "SIF", "ILACS"} <= by_code["E06000028"]  # Bournemouth
    assert {"SLAC", "SIF"} <= by_code["E06000029"] and {"SLAC", "SIF"} <= by_code["E10000009"]
    assert {"SLAC", "CPI", "SIF", "SIF re-inspection", "ILACS"} <= by_code["E06000066"]  # Somerset
    assert "E10000027" not in by_code.index


def test_in_year_file_adds_visits_and_its_inspections_repeat_the_history(loaded, authorities, history):
    visits, visit_grades = official.load_ofsted_in_year(IN_YEAR, authorities)
    assert set(visits["kind"]) == {"focused visit", "monitoring visit"} and visit_grades.empty
    focused = visits[visits["kind"] == "focused visit"]
    assert focused["visit_theme"].notna().all()
    everything, graded = official.load_ofsted_in_year(IN_YEAR, authorities, include_inspections=True)
    repeated = everything[everything["kind"].isin(["full inspection", "short inspection"])]
    h_ins, h_jud = history
    cols = ["inspection_id", "ons_code", "framework", "kind", "inspection_date", "published_date"]
    merged = repeated[cols].merge(h_ins[cols], how="left", indicator=True)
    assert len(repeated) == 52 and (merged["_merge"] == "both").all()
    key = ["inspection_id", "judgement_area", "grade"]
    assert graded[key].merge(h_jud[key], how="left", indicator=True)["_merge"].eq("both").all()
    assert loaded["ofsted_inspection"]["inspection_id"].is_unique


# ---- DfE statistics --------------------------------------------------------------------------

def test_suppression_markers_become_nan_with_the_marker_kept(loaded):
    s = loaded["dfe_statistic"].set_index(["measure", "area_code", "time_period"])
    hampshire_2024 = s.loc[("rereferral_percent", "E10000014", 2024)]
    assert math.isnan(hampshire_2024["value"]) and hampshire_2024["suppression_marker"] == "u"
    assert s.loc[("rereferral_percent", "E10000014", 2025), "value"] == pytest.approx(41.0)
    assert set(s["suppression_marker"].dropna()) <= {*tables.SUPPRESSION_MARKERS, "low"}
    assert (s["value"].isna() == s["suppression_marker"].notna()).all()


def test_dfe_measures_levels_and_area_codes(loaded):
    s = loaded["dfe_statistic"]
    measures = set(s["measure"])
    assert {"rereferral_percent", "referral_count", "turnover_rate_fte", "agency_rate_fte",
            "vacancy_rate_fte", "caseload_fte", "absence_rate_fte"} <= measures
    assert not measures & {"la_name", "category", "time_identifier"}
    assert set(s["level"]) == set(tables.AREA_LEVELS)
    assert set(s.loc[s["level"] == "national", "area_code"]) == {"E92000001"}
    assert s.loc[s["level"] == "regional", "area_code"].str.match(r"E1[23]").all()
    assert not s.duplicated(["measure", "area_code", "time_period"]).any()
    # DfE's "low" (rounds to zero but is not zero): a gap with the marker kept, never a made-up 0.
    sunderland = s[(s["area_code"] == "E08000024") & (s["time_period"] == 2025) & (s["measure"] == "agency_rate_fte")]
    assert len(sunderland) == 1 and sunderland["value"].isna().all()
    assert sunderland["suppression_marker"].iloc[0] == "low"


# ---- problems --------------------------------------------------------------------------------

def test_problem_reads_file_row_column_message_value():
    p = Problem("f.csv", 12, "Overall effectiveness", "Adequate", "unknown grade")
    assert str(p) == "f.csv:12:Overall effectiveness: unknown grade (value 'Adequate')"
    assert str(Problem("f.csv", None, None, None, "not UTF-8")) == "f.csv:-:-: not UTF-8"
    err = LoadError([p])
    assert err.problems == [p] and str(p) in str(err)


def record_row(path: Path, needle: str) -> int:
    """The row number (header = 1) of the one record containing `needle`, counted as records."""
    text = path.read_bytes().decode("utf-8-sig")
    rows = [n for n, rec in enumerate(csv.reader(io.StringIO(text, newline="")), start=1) if needle in ",".join(rec)]
    assert len(rows) == 1, rows
    return rows[0]


def broken_copy(src: Path, tmp_path: Path, old: bytes, new: bytes) -> Path:
    """A byte-for-byte copy of `src` with one occurrence of `old` replaced: quirks stay as published."""
    data = src.read_bytes()
    assert data.count(old) == 1, old
    dst = tmp_path / src.name
    dst.write_bytes(data.replace(old, new))
    return dst


def problems_of(call) -> list[Problem]:
    with pytest.raises(LoadError) as info:
        call()
    return info.value.problems


def test_unknown_grade_names_file_row_and_column(tmp_path, authorities):
    row = record_row(HISTORY, "E10000032,West Sussex,Current,South East,2019-02-25")
    path = broken_copy(HISTORY, tmp_path, b"2019-05-08,ILACS Standard Inspection,Inadequate",
                       b"2019-05-08,ILACS Standard Inspection,Adequate")
    problems = problems_of(lambda: official.load_ofsted_ilacs_history(path, authorities))
    assert problems == [Problem(HISTORY.name, row, "Overall effectiveness", "Adequate", problems[0].message)]
    assert "unknown grade" in problems[0].message


def test_unknown_council_code_names_file_row_and_column(tmp_path, authorities):
    row = record_row(IN_YEAR, "E10000032,West Sussex")
    path = broken_copy(IN_YEAR, tmp_path, b"E10000032,West Sussex", b"E10999999,West Sussex")
    problems = problems_of(lambda: official.load_ofsted_in_year(path, authorities))
    assert [(p.file, p.row, p.column, p.value) for p in problems] == \
        [(IN_YEAR.name, row, "Local authority area code", "E10999999")]


def test_removed_column_is_reported_with_no_row(tmp_path, authorities):
    text = HISTORY.read_bytes().decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows([r[:6] + r[7:] for r in records])  # drop "Publication date"
    path = tmp_path / HISTORY.name
    path.write_bytes(out.getvalue().encode("utf-8-sig"))
    problems = problems_of(lambda: official.load_ofsted_ilacs_history(path, authorities))
    assert [(p.file, p.row, p.column) for p in problems] == [(HISTORY.name, None, "Publication date")]


def test_bad_date_row_counts_records_not_physical_lines(tmp_path, authorities):
    # The wide file's header has quoted line breaks: West Sussex is on a later physical line than
    # its row number, which counts the header as one row as a spreadsheet does.
    row = record_row(WIDE, "provider/44/80578,West Sussex")
    line = WIDE.read_bytes().split(b"\n").index(next(
        ln for ln in WIDE.read_bytes().split(b"\n") if b"provider/44/80578,West Sussex" in ln)) + 1
    assert line == row + 2
    path = broken_copy(WIDE, tmp_path, b"West Sussex,South East,Shire County,2010-12-17",
                       b"West Sussex,South East,Shire County,17 Dec 2010")
    problems = problems_of(lambda: official.load_ofsted_wide_2009_2023(path, authorities))
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        (WIDE.name, row, "Safeguarding & Looked After Children (SLAC) Inspection publication date", "17 Dec 2010")]


def test_unmapped_web_link_names_file_row_and_column(tmp_path, authorities):
    row = record_row(WIDE, "provider/44/80578,West Sussex")
    path = broken_copy(WIDE, tmp_path, b"provider/44/80578,West Sussex", b"provider/44/99999,West Sussex")
    problems = problems_of(lambda: official.load_ofsted_wide_2009_2023(path, authorities))
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        (WIDE.name, row, "Web link", "https://reports.ofsted.gov.uk/provider/44/99999")]


def test_non_utf8_file_is_refused_with_no_row(tmp_path):
    path = broken_copy(CIN, tmp_path, b"2025,Reporting year,National", b"2025,Reporting year,Nati\xe9nal")
    problems = problems_of(lambda: official.load_dfe_statistics(path))
    assert len(problems) == 1
    assert (problems[0].file, problems[0].row, problems[0].column) == (CIN.name, None, None)
    assert "not UTF-8" in problems[0].message and "line 2" in problems[0].message


def test_dfe_text_that_is_not_a_marker_is_a_problem(tmp_path):
    line = next(ln for ln in CIN.read_bytes().split(b"\n") if b",850,E10000014,Hampshire" in ln and ln.startswith(b"2025"))
    row = record_row(CIN, line.decode().strip())
    path = broken_copy(CIN, tmp_path, line, line.replace(b",41,", b",n/a,"))
    problems = problems_of(lambda: official.load_dfe_statistics(path))
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [(CIN.name, row, "rereferral_percent", "n/a")]


def test_statistical_neighbour_with_unknown_code(tmp_path, authorities):
    row = record_row(SN, "938,West Sussex")
    line = next(ln for ln in SN.read_bytes().split(b"\n") if ln.startswith(b"938,West Sussex"))
    first_neighbour = line.split(b",")[4]
    path = broken_copy(SN, tmp_path, line, line.replace(b"," + first_neighbour + b",", b",999,", 1))
    problems = problems_of(lambda: official.load_statistical_neighbours(path, authorities))
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [(SN.name, row, "SN_1", "999")]


def test_duplicate_dfe_code_in_authorities(tmp_path):
    row = record_row(D2I, "80578,938,E10000032")
    path = broken_copy(D2I, tmp_path, b"80578,938,E10000032", b"80578,845,E10000032")
    shutil.copy(LTLA, tmp_path / LTLA.name)
    problems = problems_of(lambda: official.load_authorities(path, tmp_path / LTLA.name))
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [(D2I.name, row, "la_code", "845")]
    assert "duplicate DfE code" in problems[0].message
