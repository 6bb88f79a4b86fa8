"""The seed papers split into passages: every passage addressable, numbered the paper's way, the
same numbers every time, and paper 003 (no numbering) as §1, §2, … in reading order."""
from pathlib import Path

import pytest

from monitor.sources.papers import label_of, normalise, paper_number, parse_paper

PAPERS = Path(__file__).resolve().parent.parent / "data" / "papers"


def passages(number: str):
    (path,) = PAPERS.glob(f"{number}_*.txt")
    return parse_paper(path.read_text(encoding="utf-8"))


def ids(number: str) -> list[str]:
    return [p.passage_id for p in passages(number)]


def by_id(number: str) -> dict:
    return {p.passage_id: p for p in passages(number)}


def test_the_five_papers_are_in_the_project_under_their_own_names():
    names = sorted(p.name for p in PAPERS.glob("*.txt"))
    assert [paper_number(n) for n in names] == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_same_text_same_numbers(number):
    first, second = passages(number), passages(number)
    assert first == second
    assert len(set(ids(number))) == len(first)
    assert [p.order for p in first] == list(range(1, len(first) + 1))
    assert all(p.text for p in first)


def test_paper_000_keeps_its_own_paragraph_numbers():
    got = ids("000")
    assert ["1.1", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "4.1"] == [i for i in got if i[0].isdigit()]
    assert ["rec 1", "rec 2", "rec 3"] == [i for i in got if i.startswith("rec")]
    p = by_id("000")
    assert p["2.3"].text.startswith("The proposal would involve a due diligence period between January and March 2020")
    assert "50/50" in p["4.1"].text and p["4.1"].heading == "4. Financial implications"
    assert p["rec 2"].text.startswith("approve the entering into an agreement under s113")
    assert "**" not in "".join(x.text for x in passages("000"))  # conversion debris gone, words kept


def test_paper_001_paragraph_carried_over_a_page_break_stays_whole():
    p = by_id("001")
    assert [i for i in ids("001") if i.isdigit()] == [str(n) for n in range(2, 11)]
    assert "which will require additional strategic work within the wider local authority" in p["7"].text
    assert "a children's trust" in p["7"].text
    assert "quarterly basis" in p["9"].text
    # The equalities annex numbers its headings 1 and 2 again: those are headings, not paragraphs.
    assert p["§19"].heading.endswith("1. Equality Duty")


def test_paper_002_has_numbered_sections_so_its_paragraphs_are_counted():
    p = by_id("002")
    assert all(i.startswith("§") for i in ids("002"))
    four_areas = next(x for x in passages("002") if "4 areas" in x.text)
    assert four_areas.passage_id == "§13" and "- Regulatory services" in four_areas.text
    assert "Back office services" in four_areas.text  # the list belongs to the sentence that opens it
    assert p["§13"].heading == "Options/Proposals"


def test_paper_003_numbers_each_question_and_answer():
    p = by_id("003")
    assert ids("003") == [f"§{n}" for n in range(1, 39)]
    assert p["§8"].text.startswith("Members felt that it was not clear where the figures quoted")  # a question
    assert p["§9"].text.startswith("Officers stated that")  # its answer
    assert "savings of almost £0.75 million per year" in p["§15"].text
    assert "six months from the date of decision" in p["§18"].text
    assert p["§35"].text.startswith("b) To activate clause 8")


def test_paper_004_subparagraphs_and_lists():
    p = by_id("004")
    assert {"1.2", "1.2.1", "1.2.5", "3.2", "3.3", "4.3", "4.4", "rec 4"} <= set(ids("004"))
    assert "Housing development and lettings" in p["3.2"].text
    assert "Sharing specialist plant and vehicles" in p["3.3"].text
    assert "Regeneration Board" in p["4.4"].text and "Third party expenditure" in p["4.4"].text
    assert "meet quarterly" in p["4.3"].text


def test_labels():
    assert [label_of(i) for i in ("2.3", "rec 1", "§12")] == ["para 2.3", "rec 1", "§12"]


def test_a_tiny_paper_by_hand():
    text = ("Title of the thing\n\nRecommendations\n\n1. Do this;\n2. Do that.\n\n1. Background\n\n"
            "1.1 First para\n\n- a list item\n\n1.2 Second para which goes\n\non after a page break.\n\n"
            "Still part of 1.2 (no heading between).\n\nConclusion\n\nA lonely paragraph after a heading?\n\nNone\n")
    got = parse_paper(text)
    assert [(p.passage_id, p.text) for p in got] == [
        ("rec 1", "Do this;"), ("rec 2", "Do that."), ("1.1", "First para\n\n- a list item"),
        ("1.2", "Second para which goes on after a page break.\n\nStill part of 1.2 (no heading between)."),
        ("§5", "A lonely paragraph after a heading?"), ("§6", "None")]
    assert got[0].heading == "Title of the thing\nRecommendations" and got[2].heading == "1. Background"


def test_normalise_only_removes_debris():
    assert normalise("a\u00a0b\tc  d**\r\n") == "a b c d\n"
