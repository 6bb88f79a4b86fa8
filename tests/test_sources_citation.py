"""The citation grammar and provenance in four words (monitor.sources.citation), by hand."""
import pandas as pd
import pytest

from monitor.formatting import is_illustrative
from monitor.sources.citation import (COUNCIL_PAPER, DERIVED, ILLUSTRATIVE, PUBLISHED, derivation_use, expand,
                                      parse, provenance, provenance_counts)

GOOD = {
    "illustrative": (ILLUSTRATIVE, None, ()),
    "000 para 2.3": (COUNCIL_PAPER, "000", (("2.3", "2.3"),)),
    "001 para 2, 5–10": (COUNCIL_PAPER, "001", (("2", "2"), ("5", "10"))),
    "000 §1, rec 1–2, para 2.1–4.1": (COUNCIL_PAPER, "000", (("§1", "§1"), ("rec 1", "rec 2"), ("2.1", "4.1"))),
    "003 §15 (derived: bsh-savings-per-year)": (DERIVED, "003", (("§15", "§15"),)),
    "003 §9, 13 (values illustrative)": (ILLUSTRATIVE, "003", (("§9", "§9"), ("§13", "§13"))),
    "dfe_csww_indicators_2017_to_2025.csv": (PUBLISHED, None, ()),
    "https://www.gov.uk/government/publications/direction-issued-to-west-sussex-county-council": (PUBLISHED, None, ()),
    "https://www.gov.uk/government/publications/x (day illustrative)": (ILLUSTRATIVE, None, ()),
}
# Not the grammar: no provenance (the data checks list such rows), unless a qualifier says illustrative.
BAD = ["003 minutes", "003 table 6", "§12", "003 §12, 14.1", "001 rec 1.1", "DfE statutory direction (published)",
       "dfe.csv (derived: x)", "000 para", "0000 para 1", "", None]


@pytest.mark.parametrize("source", GOOD, ids=list(GOOD))
def test_good_sources(source):
    word, paper, passages = GOOD[source]
    citation = parse(source)
    assert citation is not None and citation.provenance == word == provenance(source)
    assert citation.paper == paper and citation.passages == passages


@pytest.mark.parametrize("source", BAD)
def test_sources_outside_the_grammar_have_no_provenance(source):
    assert parse(source) is None and provenance(source) is None and not is_illustrative(source)


def test_an_illustrative_qualifier_is_enough():
    # Older free-text citations still read as illustrative when they say so.
    assert provenance("003 table 6 (values illustrative)") == ILLUSTRATIVE
    assert is_illustrative("003 table 6 (values illustrative)") and is_illustrative("illustrative")
    assert not is_illustrative("003 §15 (derived: bsh-savings-per-year)")  # backed by the minutes


def test_expand_opens_ranges_in_reading_order():
    order = {"§1": 1, "rec 1": 2, "rec 2": 3, "2.1": 4, "2.2": 5}
    assert expand((("rec 1", "2.2"),), order) == ["rec 1", "rec 2", "2.1", "2.2"]
    assert expand((("2.2", "2.1"),), order) is None  # backwards
    assert expand((("9.9", "9.9"),), order) is None  # missing


def test_provenance_counts_per_table():
    usage = pd.DataFrame({"table_name": ["saving", "saving", "saving", "key_date"],
                          "source": ["illustrative", "003 §15 (derived: r)", "003 minutes", "000 para 2.3"],
                          "row_count": [5, 2, 1, 3]})
    got = provenance_counts(usage).set_index("table")
    assert list(got.columns) == [PUBLISHED, COUNCIL_PAPER, DERIVED, ILLUSTRATIVE, "unrecognised source"]
    assert got.loc["saving"].tolist() == [0, 0, 2, 5, 1]
    assert got.loc["key_date"].tolist() == [0, 3, 0, 0, 0]


def test_derivation_use_counts_the_rows_citing_each_rule():
    usage = pd.DataFrame({"source": ["003 §15 (derived: r)", "003 para 2 (derived: r)", "003 §4 (derived: s)",
                                     "003 minutes (derived: t)", "illustrative", "000 para 2.3"],
                          "row_count": [2, 3, 1, 9, 5, 1]})
    assert derivation_use(usage) == {"r": (5, "003 para 2 (derived: r)"), "s": (1, "003 §4 (derived: s)")}


def test_plain_escapes_markup():
    from monitor.text import plain

    assert plain("a *b* [c](d) <e> $f$ :red[g]\nh") == r"a \*b\* \[c\](d) \<e\> \$f\$ \:red\[g\]  " + "\nh"
