"""`make bench` judges "no page slower than before" by measuring the earlier commit's code and this
code on the same machine (benchmarks/before.py): what its table says and where it writes it."""
from benchmarks.before import BEGIN, END, rows, write_section


def test_a_cell_is_slower_only_beyond_the_noise_and_a_new_page_has_no_before():
    before = {"Savings|demo|typical|p": {"cold": 100.0, "warm": 20.0},
              "Risks|demo|typical|p": {"cold": 100.0, "warm": 20.0}}
    now = {"Savings|demo|typical|p": {"cold": 109.0, "warm": 30.0},
           "Risks|demo|typical|p": {"cold": 80.0, "warm": 21.0},
           "Sources|demo|typical|p": {"cold": 30.0, "warm": 10.0},
           "Users|demo|typical|p": {"error": "The database file is in use"}}
    lines, counted = rows(before, now)
    assert counted == {"cold": 0, "warm": 1, "cells": 2, "again": 0}
    assert lines[0] == "| Savings | demo | typical (p) | 100 ms | 109 ms | 1.09× ✔ | 20 ms | 30 ms | 1.50× ✖ |"
    assert lines[2].startswith("| Sources | demo | typical (p) | – | 30 ms |")
    assert "error: The database file is in use" in lines[3]


def test_the_comparison_replaces_the_one_before_it_and_nothing_else(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## Pages\n\nfigures\n")
    write_section(doc, "Against before (5 reruns)", [BEGIN, "first", END])
    write_section(doc, "Against before (6 reruns)", [BEGIN, "second", END])
    text = doc.read_text()
    assert text.count(BEGIN) == 1 and "second" in text and "first" not in text
    assert text.startswith("# Benchmarks\n\n## Pages\n\nfigures\n\n## Against before (6 reruns)\n\n" + BEGIN)
    assert "5 reruns" not in text


def test_each_cell_is_asked_of_both_versions_in_turn_and_a_page_one_lacks_has_no_figure(built_db, tmp_path,
                                                                                         monkeypatch):
    import shutil

    import benchmarks.before
    from benchmarks.before import AGAIN, COLD_RUNS, ROOT, ROUNDS, _measure

    monkeypatch.setattr(benchmarks.before, "SLOWER", 0.0)  # every cell "slower": each is asked again

    dbs = {}
    for name in ("before", "now"):  # each version's process holds its own files, as each builds its own
        dbs[name] = {"demo": tmp_path / f"{name}.duckdb"}
        shutil.copy(built_db, dbs[name]["demo"])
    measured = _measure({name: (ROOT, files) for name, files in dbs.items()},
                        {"demo": {"typical": "south-somerset-sedgemoor"}, "national": {}}, ["Users", "Not a page"])
    assert set(measured) == {"before", "now"}
    for cells in measured.values():
        assert list(cells) == ["Users|demo|typical|south-somerset-sedgemoor"]  # the missing page: no cell
        cell = cells["Users|demo|typical|south-somerset-sedgemoor"]
        assert cell["cold"] > 0 and cell["warm"] > 0 and COLD_RUNS >= 1
        assert cell["rounds"] == ROUNDS + AGAIN


def test_a_cell_asked_again_says_so_and_is_counted():
    from benchmarks.before import AGAIN, ROUNDS, _slower

    before = {"Overview|demo|typical|p": {"cold": 100.0, "warm": 20.0, "rounds": ROUNDS + AGAIN}}
    now = {"Overview|demo|typical|p": {"cold": 105.0, "warm": 20.0, "rounds": ROUNDS + AGAIN}}
    lines, counted = rows(before, now)
    assert counted == {"cold": 0, "warm": 0, "cells": 1, "again": 1}
    assert lines[0].startswith(f"| Overview | demo | typical (p; {ROUNDS + AGAIN} rounds) | 100 ms | 105 ms | 1.05× ✔ |")
    # Asked again when either figure is beyond the noise, never for a cell one version lacks
    assert _slower({"cold": 100.0, "warm": 20.0}, {"cold": 100.0, "warm": 23.0})
    assert not _slower({"cold": 100.0, "warm": 20.0}, {"cold": 110.0, "warm": 22.0})
    assert not _slower(None, {"cold": 1.0, "warm": 1.0}) and not _slower({"error": "x"}, {"cold": 1.0, "warm": 1.0})
