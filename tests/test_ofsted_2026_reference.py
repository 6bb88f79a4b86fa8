"""Reference data as data: Ofsted's framework versions and their judgement areas
(monitor.loaders.frameworks) and local government reorganisation (monitor.loaders.reorganisation),
on the shipped files and on broken copies."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from monitor.loaders import official
from monitor.loaders.frameworks import AREAS_PATH, VERSIONS_PATH, load_frameworks, reference_frameworks
from monitor.loaders.ofsted import ILACS_JUDGEMENTS, OVERALL, WIDE_BLOCKS
from monitor.loaders.problems import LoadError
from monitor.loaders.reorganisation import REORGANISATION_PATH, load_reorganisation

D = dt.date
F = reference_frameworks()
CARE_LEAVERS = ILACS_JUDGEMENTS[4]


@pytest.mark.parametrize("when,version", [
    (D(2018, 1, 29), "ILACS 2018"), (D(2022, 12, 31), "ILACS 2018"), (D(2023, 1, 1), "ILACS 2023"),
    (D(2026, 3, 31), "ILACS 2023"), (D(2026, 4, 1), "ILACS 2026"), (D(2030, 1, 1), "ILACS 2026"),
])
def test_the_ilacs_version_is_chosen_by_date(when, version):
    assert F.version_for("ILACS", when) == version


def test_before_ilacs_there_is_no_ilacs_version():
    assert F.version_for("ILACS", D(2017, 12, 31)) is None


def test_what_each_ilacs_version_grades():
    assert F.areas("ILACS 2018") == ILACS_JUDGEMENTS[:4]  # care leavers judged with children in care
    assert F.areas("ILACS 2023") == ILACS_JUDGEMENTS
    assert F.areas("ILACS 2026") == ILACS_JUDGEMENTS[1:]  # no overall effectiveness
    assert not F.grades("ILACS 2026", OVERALL) and F.grades("ILACS 2026", CARE_LEAVERS)
    assert F.headline("ILACS 2023") == OVERALL and F.headline("ILACS 2026") is None
    assert "27 November 2025" in F.version("ILACS 2026").source


def test_the_earlier_frameworks_grade_what_the_wide_file_publishes():
    for block in WIDE_BLOCKS:
        version = F.version_for(block.framework, D(2012, 1, 1))
        assert set(a for _, a in block.judgements) <= set(F.areas(version)), block.framework
    assert F.headline("SLAC") == "Safeguarding overall effectiveness"
    assert F.areas("SIF")[-1] == "LSCB overall effectiveness" and "LSCB overall effectiveness" not in F.areas("SIF re-inspection")


def test_the_2027_framework_has_room_but_applies_to_nothing_yet():
    planned = F.version("Children and families services 2027")
    assert planned.status == "consultation" and planned.areas == () and planned.valid_from is None
    assert F.version_for("Children and families services", D(2027, 6, 1)) is None


def copies(tmp_path: Path) -> tuple[Path, Path]:
    v, a = tmp_path / "ofsted_frameworks.csv", tmp_path / "ofsted_framework_areas.csv"
    shutil.copy(VERSIONS_PATH, v)
    shutil.copy(AREAS_PATH, a)
    return v, a


def test_overlapping_versions_are_refused(tmp_path):
    v, a = copies(tmp_path)
    v.write_text(v.read_text().replace("2023-01-01,2026-03-31", "2022-06-01,2026-03-31"))
    with pytest.raises(LoadError, match="ILACS 2023 overlaps ILACS 2018"):
        load_frameworks(v, a)


def test_an_area_of_an_unknown_version_is_refused_with_row_and_column(tmp_path):
    v, a = copies(tmp_path)
    a.write_text(a.read_text() + "ILACS 2025,Overall effectiveness,1,x\n")
    with pytest.raises(LoadError) as exc:
        load_frameworks(v, a)
    [problem] = exc.value.problems
    assert (problem.file, problem.column) == ("ofsted_framework_areas.csv", "framework_version") and problem.row == 35


def test_a_headline_the_version_does_not_grade_is_refused(tmp_path):
    v, a = copies(tmp_path)
    lines = v.read_text().splitlines()
    lines = [ln.replace("in force,,", "in force,Overall effectiveness,") if ln.startswith("ILACS 2026") else ln for ln in lines]
    v.write_text("\n".join(lines) + "\n")
    with pytest.raises(LoadError, match="headline is not one of the version's areas"):
        load_frameworks(v, a)


# ---- reorganisation -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def authorities():
    return official.load_authorities(official.OFFICIAL_DIR / "d2i_Provider_data_lookup.csv",
                                     official.OFFICIAL_DIR / "dfe_LTLA-UTLA_Apr23_Lookup_England-Wales.csv")


def test_reorganisations_as_published_and_proposed(authorities):
    r = load_reorganisation(authorities)
    somerset = r[r["area_name"] == "Somerset"]
    assert set(somerset["ons_code"]) == {"E10000027", "E07000188", "E07000189"}
    assert set(somerset["status"]) == {"done"} and set(somerset["successor_ons_code"]) == {"E06000066"}
    surrey = r[r["area_name"] == "Surrey"]
    assert len(surrey) == 12 and set(surrey["status"]) == {"published"}
    assert set(surrey["vesting_date"].dt.date) == {D(2027, 4, 1)}
    assert all("28 October 2025" in s for s in surrey["source"])
    seeds = {"E10000032", "E10000011", "E10000014", "E06000046", "E10000012", "E10000020",
             "E07000067", "E07000068", "E07000143", "E07000140"}
    proposed = r[r["ons_code"].isin(seeds)]
    assert set(proposed["ons_code"]) == seeds
    assert set(proposed["status"]) == {"proposed"} and set(proposed["vesting_date"].dt.date) == {D(2028, 4, 1)}
    assert proposed["source"].str.contains("consultation").all()


def test_a_done_reorganisation_must_agree_with_the_authority_table(tmp_path, authorities):
    copy = tmp_path / "reorganisation.csv"
    copy.write_text(REORGANISATION_PATH.read_text().replace("E07000188,2023-04-01", "E07000188,2023-05-01", 1))
    with pytest.raises(LoadError) as exc:
        load_reorganisation(authorities, copy)
    [problem] = exc.value.problems
    assert (problem.row, problem.column) == (3, "vesting_date") and "abolished on 2023-04-01" in problem.message


def test_a_council_already_abolished_cannot_be_proposed_again(tmp_path, authorities):
    copy = tmp_path / "reorganisation.csv"
    copy.write_text(REORGANISATION_PATH.read_text() + "E07000189,2028-04-01,Somerset,proposed,,,x,\n")
    with pytest.raises(LoadError, match="already abolished on 2023-04-01"):
        load_reorganisation(authorities, copy)
