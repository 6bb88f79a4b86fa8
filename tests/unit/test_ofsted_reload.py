"""Re-loading a newer Ofsted publication: the pure plan (monitor.ofsted.reload) on hand-made frames
and on the real files, and the re-load through the write function on a private database copy —
corrected grades updated and logged, new inspections inserted, never a duplicate, nothing written
from a bad file."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from monitor.loaders import official, tables
from monitor.loaders.problems import LoadError
from monitor.ofsted.reload import describe_plan, file_layout, load_ofsted_files, plan_ofsted_reload
from monitor.permissions import SYSTEM, Actor
from queries import ofsted_reload as cli
from queries.write import WriteRefused
from tests.dbutil import fetch, scalar

ROOT = Path(__file__).resolve().parents[2]
OFFICIAL = ROOT / "data" / "official"
HISTORY = OFFICIAL / "ofsted_ilacs_inspection_history_2018_2025.csv"
IN_YEAR = OFFICIAL / "ofsted_la_in_year_inspections_2024_25.csv"
WIDE = OFFICIAL / "ofsted_la_inspections_2009_2023_wide.csv"
WIDE_FORMER = OFFICIAL / "ofsted_la_inspections_2009_2023_wide_former_las.csv"
ALL_FILES = [WIDE, WIDE_FORMER, HISTORY, IN_YEAR]
WS_2023 = (b"E10000032,West Sussex,Current,South East,2023-03-13,2023-05-11,ILACS Standard Inspection,"
           b"Requires improvement to be good,Good")
WS_2023_ID = "e10000032-ilacs-full-inspection-2023-03-13"
T = pd.Timestamp


def ins_row(iid, grade_date="2023-03-13", published="2023-05-11", **over):
    row = {"inspection_id": iid, "ons_code": "E10000032", "framework": "ILACS",
           "inspection_type": "ILACS Standard Inspection", "kind": "full inspection",
           "inspection_date": T(grade_date), "published_date": T(published), "ofsted_region": "South East",
           "visit_theme": None, "web_link": "https://reports.ofsted.gov.uk/provider/44/938", "source": "old.csv"}
    row.update(over)
    return row


def ins_frame(*rows):
    return pd.DataFrame(list(rows), columns=list(tables.OFSTED_INSPECTION))


def jud_frame(*rows, source="old.csv"):
    return pd.DataFrame([(i, a, g, source) for i, a, g in rows], columns=list(tables.OFSTED_JUDGEMENT))


STORED_I = ins_frame(ins_row("a"))
STORED_J = jud_frame(("a", "Overall effectiveness", "Requires improvement to be good"),
                     ("a", "The experiences and progress of children in care", "Good"))


def test_same_data_plans_nothing_even_from_a_newer_file_name():
    newer_i = STORED_I.assign(source="new.csv")
    newer_j = STORED_J.assign(source="new.csv")
    assert plan_ofsted_reload(newer_i, newer_j, STORED_I, STORED_J) == []
    assert describe_plan([]).startswith("Nothing to change")


def test_corrected_grade_is_one_update_with_its_new_source():
    new_j = jud_frame(("a", "Overall effectiveness", "Good"),
                      ("a", "The experiences and progress of children in care", "Good"), source="new.csv")
    changes = plan_ofsted_reload(STORED_I, new_j, STORED_I, STORED_J)
    assert [(c.table, c.action, c.key, c.values) for c in changes] == [
        ("ofsted_judgement", "update", {"inspection_id": "a", "judgement_area": "Overall effectiveness"},
         {"grade": "Good", "source": "new.csv"})]
    assert describe_plan(changes) == "1 judgements updated"


def test_new_inspection_is_inserted_before_its_judgements():
    new_i = ins_frame(ins_row("a"), ins_row("b", "2025-06-02", "2025-07-20", source="new.csv"))
    new_j = pd.concat([STORED_J, jud_frame(("b", "Overall effectiveness", "Good"), source="new.csv")])
    changes = plan_ofsted_reload(new_i, new_j, STORED_I, STORED_J)
    assert [(c.table, c.action, c.key) for c in changes] == [
        ("ofsted_inspection", "insert", {"inspection_id": "b"}),
        ("ofsted_judgement", "insert", {"inspection_id": "b", "judgement_area": "Overall effectiveness"})]
    inserted = changes[0].values
    assert inserted["inspection_date"].isoformat() == "2025-06-02" and inserted["visit_theme"] is None
    assert inserted["source"] == "new.csv"


def test_changed_publication_details_update_only_what_changed():
    new_i = ins_frame(ins_row("a", published="2023-05-12", web_link="https://reports.ofsted.gov.uk/x", source="new.csv"))
    changes = plan_ofsted_reload(new_i, STORED_J, STORED_I, STORED_J)
    assert len(changes) == 1 and changes[0].action == "update" and changes[0].key == {"inspection_id": "a"}
    assert set(changes[0].values) == {"published_date", "web_link", "source"}


def test_corrected_inspection_date_updates_the_stored_inspection_not_a_duplicate():
    # The id embeds the date: a corrected date gives a new id, matched back by the publication date.
    new_i = ins_frame(ins_row("a-corrected", grade_date="2023-03-06"))
    new_j = jud_frame(("a-corrected", "Overall effectiveness", "Good"),
                      ("a-corrected", "The experiences and progress of children in care", "Good"))
    changes = plan_ofsted_reload(new_i, new_j, STORED_I, STORED_J)
    assert [(c.table, c.action, c.key) for c in changes] == [
        ("ofsted_inspection", "update", {"inspection_id": "a"}),
        ("ofsted_judgement", "update", {"inspection_id": "a", "judgement_area": "Overall effectiveness"})]
    assert changes[0].values["inspection_date"].isoformat() == "2023-03-06"


def test_ambiguous_date_correction_is_not_guessed():
    stored = ins_frame(ins_row("a"), ins_row("b", "2023-03-20"))  # both published 11 May 2023
    new_i = ins_frame(ins_row("c", "2023-03-06"))
    changes = plan_ofsted_reload(new_i, jud_frame(), stored, jud_frame())
    assert [(c.action, c.key) for c in changes] == [("insert", {"inspection_id": "c"})]


def test_withdrawn_judgement_of_a_relisted_inspection_is_deleted_and_absent_inspections_kept():
    stored_i = ins_frame(ins_row("a"), ins_row("old", "2019-02-25", "2019-05-08"))
    stored_j = pd.concat([STORED_J, jud_frame(("old", "Overall effectiveness", "Inadequate"))])
    new_j = jud_frame(("a", "Overall effectiveness", "Requires improvement to be good"))
    changes = plan_ofsted_reload(STORED_I, new_j, stored_i, stored_j)
    assert [(c.table, c.action, c.key) for c in changes] == [
        ("ofsted_judgement", "delete",
         {"inspection_id": "a", "judgement_area": "The experiences and progress of children in care"})]


def test_contradictory_new_frames_are_refused():
    with pytest.raises(ValueError, match="appears twice"):
        plan_ofsted_reload(ins_frame(ins_row("a"), ins_row("a")), jud_frame(), STORED_I, STORED_J)
    with pytest.raises(ValueError, match="neither loaded nor stored"):
        plan_ofsted_reload(STORED_I, jud_frame(("zz", "Overall effectiveness", "Good")), STORED_I, STORED_J)


# ---- the real files --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def loaded():
    return official.load_official(OFFICIAL)


def test_file_layouts_are_recognised_by_their_headers(tmp_path):
    assert [file_layout(p)[0] for p in ALL_FILES] == ["2009-2023 wide table", "2009-2023 wide table",
                                                      "ILACS inspection history", "in-year inspections and visits"]
    other = OFFICIAL / "dfe_sn_model_2025_wide.csv"
    with pytest.raises(LoadError) as info:
        file_layout(other)
    assert info.value.problems[0].file == other.name and "not an Ofsted layout" in info.value.problems[0].message


def test_reloading_the_real_files_plans_nothing(loaded):
    ins, jud = load_ofsted_files(ALL_FILES, loaded["authority"])
    assert len(ins) == len(loaded["ofsted_inspection"])
    assert plan_ofsted_reload(ins, jud, loaded["ofsted_inspection"], loaded["ofsted_judgement"]) == []


def corrected_history(tmp_path: Path, new_bytes: bytes = WS_2023.replace(b"Requires improvement to be good,Good",
                                                                         b"Good,Good")) -> Path:
    data = HISTORY.read_bytes()
    assert data.count(WS_2023) == 1
    path = tmp_path / HISTORY.name
    path.write_bytes(data.replace(WS_2023, new_bytes))
    return path


def test_a_corrected_grade_in_the_real_file_plans_one_update(tmp_path, loaded):
    ins, jud = load_ofsted_files([corrected_history(tmp_path)], loaded["authority"])
    changes = plan_ofsted_reload(ins, jud, loaded["ofsted_inspection"], loaded["ofsted_judgement"])
    assert [(c.action, c.key, c.values) for c in changes] == [
        ("update", {"inspection_id": WS_2023_ID, "judgement_area": "Overall effectiveness"}, {"grade": "Good"})]


# ---- through the write function, on a private copy of the database ----------------------------

def counts(db) -> dict:
    return {t: scalar(db, f"SELECT count(*) FROM {t}")
            for t in ("ofsted_inspection", "ofsted_judgement", "change_log")} | {
        "version": scalar(db, "SELECT data_version FROM data_version")}


def test_reload_of_the_same_files_writes_nothing(fresh_db):
    before = counts(fresh_db)
    outcome = cli.reload_ofsted(ALL_FILES, actor=SYSTEM, db=fresh_db)
    assert outcome.changes == [] and outcome.result.changed == 0
    assert counts(fresh_db) == before


def test_reload_updates_a_corrected_grade_logs_it_and_never_duplicates(fresh_db, tmp_path):
    before = counts(fresh_db)
    outcome = cli.reload_ofsted([corrected_history(tmp_path)], actor=SYSTEM, db=fresh_db)
    assert outcome.result.updated == 1 and outcome.result.inserted == 0
    after = counts(fresh_db)
    assert after["ofsted_inspection"] == before["ofsted_inspection"]
    assert after["ofsted_judgement"] == before["ofsted_judgement"]
    assert after["change_log"] == before["change_log"] + 1 and after["version"] == before["version"] + 1
    grade = scalar(fresh_db, "SELECT CAST(grade AS VARCHAR) FROM ofsted_judgement WHERE inspection_id = $i "
                             "AND judgement_area = 'Overall effectiveness'", {"i": WS_2023_ID})
    assert grade == "Good"
    log = fetch(fresh_db, "SELECT table_name, CAST(action AS VARCHAR) AS action, row_key, before_json, after_json, "
                          "note FROM change_log ORDER BY change_id DESC LIMIT 1").iloc[0]
    assert log["table_name"] == "ofsted_judgement" and log["action"] == "update"
    assert json.loads(log["row_key"]) == {"inspection_id": WS_2023_ID, "judgement_area": "Overall effectiveness"}
    assert json.loads(log["before_json"])["grade"] == "Requires improvement to be good"
    assert json.loads(log["after_json"])["grade"] == "Good"
    assert "Ofsted re-load" in log["note"]
    again = cli.reload_ofsted([corrected_history(tmp_path)], actor=SYSTEM, db=fresh_db)
    assert again.changes == [] and counts(fresh_db)["change_log"] == after["change_log"]


def test_reload_inserts_a_new_inspection_once(fresh_db, tmp_path):
    new_line = (b"\r\nhttps://reports.ofsted.gov.uk/provider/44/938,E10000032,West Sussex,Current,South East,"
                b"2025-06-02,2025-07-20,ILACS Standard Inspection,Good,Good,Good,Good,Good")
    data = HISTORY.read_bytes().rstrip(b"\r\n") + new_line + b"\r\n"
    path = tmp_path / HISTORY.name
    path.write_bytes(data)
    before = counts(fresh_db)
    outcome = cli.reload_ofsted([path], actor=SYSTEM, db=fresh_db)
    assert (outcome.result.inserted, outcome.result.updated) == (1 + 5, 0)
    assert counts(fresh_db)["ofsted_inspection"] == before["ofsted_inspection"] + 1
    assert cli.reload_ofsted([path], actor=SYSTEM, db=fresh_db).changes == []
    ids = fetch(fresh_db, "SELECT inspection_id FROM ofsted_inspection WHERE ons_code = 'E10000032'")["inspection_id"]
    assert ids.is_unique and "e10000032-ilacs-full-inspection-2025-06-02" in set(ids)


def test_bad_file_is_refused_with_file_row_column_and_nothing_written(fresh_db, tmp_path):
    path = corrected_history(tmp_path, WS_2023.replace(b"Requires improvement to be good,Good", b"Adequate,Good"))
    before = counts(fresh_db)
    with pytest.raises(LoadError) as info:
        cli.reload_ofsted([path, IN_YEAR], actor=SYSTEM, db=fresh_db)
    assert [(p.file, p.row, p.column, p.value) for p in info.value.problems] == [
        (HISTORY.name, 255, "Overall effectiveness", "Adequate")]
    assert counts(fresh_db) == before


def test_reader_may_not_reload(fresh_db, tmp_path):
    reader = Actor("cllr@example.gov.uk", "Councillor", "scrutiny member")
    before = counts(fresh_db)
    with pytest.raises(WriteRefused):
        cli.reload_ofsted([corrected_history(tmp_path)], actor=reader, db=fresh_db)
    after = counts(fresh_db)
    assert after["ofsted_judgement"] == before["ofsted_judgement"] and after["version"] == before["version"]
    assert scalar(fresh_db, "SELECT count(*) FROM ofsted_judgement WHERE inspection_id = $i AND CAST(grade AS VARCHAR) = 'Good' "
                            "AND judgement_area = 'Overall effectiveness'", {"i": WS_2023_ID}) == 0


def test_command_line_dry_run_and_reload(fresh_db, tmp_path, capsys):
    path = corrected_history(tmp_path)
    assert cli.main(["--db", str(fresh_db), "--dry-run", str(path)]) == 0
    assert "1 judgements updated" in capsys.readouterr().out
    assert scalar(fresh_db, "SELECT count(*) FROM change_log WHERE table_name = 'ofsted_judgement'") == 0
    assert cli.main(["--db", str(fresh_db), str(path)]) == 0
    assert "Re-loaded: 1 judgements updated" in capsys.readouterr().out
    bad = corrected_history(tmp_path, WS_2023.replace(b"2023-03-13", b"13 March 2023"))
    assert cli.main(["--db", str(fresh_db), str(bad)]) == 1
    assert "Inspection date" in capsys.readouterr().err
