"""The regular expressions of the schema's CHECK rules (regexp_full_match, PostgreSQL's ~): read
into a small tree, said in words for people ('E[0-9]{8}' -> '"E", then 8 digits') and given an
example text they match (the templates' made example rows). Only what such rules use is read:
literals, classes with ranges, ., \\s \\d \\w, groups, alternatives and the quantifiers * + ? {n} {n,m}.
"""
from __future__ import annotations

import re

from monitor.imports.expressions import ExpressionError


def join(words: list[str], last: str = "and") -> str:
    """'a, b and c' (or `last` another word)."""
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def article(noun: str) -> str:
    return f"an {noun}" if noun[:1].lower() in "aeiou" else f"a {noun}"


def quoted(text: str) -> str:
    return f'"{text}"'


def strip_anchors(pattern: str) -> str:
    """A PostgreSQL `~` pattern anchored at both ends (^...$) as a whole-value pattern."""
    if pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$"):
        inner = pattern[1:-1]
        return inner[3:-1] if inner.startswith("(?:") and inner.endswith(")") else inner
    return pattern


# A pattern is a list of alternatives, each a sequence of (atom, least, most) with atoms
# ("lit", char), ("class", [items], negated) or ("group", alternatives); most is None for no limit.

ESCAPES = {"s": " ", "d": "0", "w": "a"}  # the class escapes read, with a character each matches


def parse_pattern(pattern: str) -> list[list]:
    try:
        alternatives, at = _alternatives(pattern, 0)
    except IndexError:
        raise ExpressionError("unfinished pattern") from None
    if at != len(pattern):
        raise ExpressionError("unbalanced pattern")
    return alternatives


def _alternatives(p: str, at: int) -> tuple[list[list], int]:
    alternatives, sequence = [], []
    while at < len(p) and p[at] != ")":
        ch = p[at]
        if ch == "|":
            alternatives.append(sequence)
            sequence, at = [], at + 1
            continue
        if ch == "(":
            start = at + 3 if p.startswith("(?:", at) else at + 1
            inner, at = _alternatives(p, start)
            if at >= len(p) or p[at] != ")":
                raise ExpressionError("unclosed group")
            atom, at = ("group", inner), at + 1
        elif ch == "[":
            atom, at = _class(p, at + 1)
        elif ch == "\\":
            nxt = p[at + 1]
            atom = ("class", [("esc", nxt)], False) if nxt in ESCAPES else ("lit", nxt)
            at += 2
        elif ch == ".":
            atom, at = ("class", [], True), at + 1
        else:
            atom, at = ("lit", ch), at + 1
        low, high, at = _quantifier(p, at)
        sequence.append((atom, low, high))
    alternatives.append(sequence)
    return alternatives, at


def _class(p: str, at: int) -> tuple[tuple, int]:
    negated = p[at] == "^"
    at += negated
    items = []
    while p[at] != "]" or not items:
        ch = p[at]
        if ch == "\\":
            items.append(("esc", p[at + 1]) if p[at + 1] in ESCAPES else ("char", p[at + 1]))
            at += 2
        elif at + 2 < len(p) and p[at + 1] == "-" and p[at + 2] != "]":
            items.append(("range", ch, p[at + 2]))
            at += 3
        else:
            items.append(("char", ch))
            at += 1
    return ("class", items, negated), at + 1


def _quantifier(p: str, at: int) -> tuple[int, int | None, int]:
    if at < len(p) and p[at] in "*+?":
        return {"*": (0, None), "+": (1, None), "?": (0, 1)}[p[at]] + (at + 1,)
    m = re.match(r"\{(\d+)(,(\d*))?\}", p[at:])
    if m:
        low = int(m[1])
        high = low if m[2] is None else (int(m[3]) if m[3] else None)
        return low, high, at + m.end()
    return 1, 1, at




def pattern_example(pattern: str) -> str:
    """A short text the pattern matches (the first choice everywhere): 'E[0-9]{8}' -> 'E00000000'."""
    return _example_of(parse_pattern(pattern))


def _example_of(alternatives: list[list]) -> str:
    out = ""
    for atom, least, _most in alternatives[0]:
        if atom[0] == "group":
            one = _example_of(atom[1])
        elif atom[0] == "lit":
            one = atom[1]
        else:
            one = _class_example(atom[1], atom[2])
        out += one * least
    return out


def _class_example(items, negated: bool) -> str:
    if negated:
        banned = {i[1] for i in items if i[0] == "char"}
        return next(c for c in "ax0" if c not in banned)
    item = items[0]
    return {"range": lambda: item[1], "char": lambda: item[1], "esc": lambda: ESCAPES[item[1]]}[item[0]]()


# --- a pattern (the regular expressions of the CHECK rules) -----------------------------------------

_NAMED = {"-": ("hyphen", "hyphens"), "_": ("underscore", "underscores"), ".": ("full stop", "full stops"),
          "/": ("slash", "slashes"), " ": ("space", "spaces"), '"': ("double quote", "double quotes"),
          "'": ("apostrophe", "apostrophes"), "@": ('"@"', '"@"s')}
_ESCAPES = {"s": ("space", "spaces"), "d": ("digit", "digits"), "w": ("letter, digit or underscore",
                                                                       "letters, digits or underscores")}


def pattern_words(pattern: str) -> str:
    """A regular expression in words: 'E[0-9]{8}' -> '"E", then 8 digits'."""
    try:
        alternatives = parse_pattern(pattern)
    except ExpressionError:
        return "the pattern the database checks (ask your administrator for an example)"
    return _alternatives_words(alternatives, top=True)


def _class_nouns(items) -> tuple[list[str], list[str]]:
    singular, plural = [], []
    ranges = {(i[1], i[2]) for i in items if i[0] == "range"}
    if {("a", "z"), ("A", "Z")} <= ranges:
        singular.append("letter")
        plural.append("letters")
        ranges -= {("a", "z"), ("A", "Z")}
    for item in items:
        if item[0] == "range" and (item[1], item[2]) in ranges:
            low, high = item[1], item[2]
            if (low, high) == ("0", "9"):
                one, many = "digit", "digits"
            elif low.isdigit() and high.isdigit():
                one, many = f"digit from {low} to {high}", f"digits from {low} to {high}"
            elif (low, high) == ("a", "z"):
                one, many = "lower-case letter", "lower-case letters"
            elif (low, high) == ("A", "Z"):
                one, many = "capital letter", "capital letters"
            else:
                one, many = f"character from {low} to {high}", f"characters from {low} to {high}"
        elif item[0] == "esc":
            one, many = _ESCAPES[item[1]]
        elif item[0] == "char":
            one, many = _NAMED.get(item[1], (quoted(item[1]), quoted(item[1])))
        else:
            continue
        singular.append(one)
        plural.append(many)
    return singular, plural


def _atom_words(atom, low: int, high: int | None) -> str:
    kind = atom[0]
    if kind == "group":
        inner = _alternatives_words(atom[1])
        if (low, high) == (1, 1):
            return inner
        return f"{_count_words(low, high, 'any number of', 'one or more of')} ({inner})"
    if kind == "lit":
        named = _NAMED.get(atom[1])
        one, many = (article(named[0]), named[1]) if named and atom[1] in " -_./" else (quoted(atom[1]),) * 2
    else:
        singular, plural = _class_nouns(atom[1])
        if atom[2]:
            excluded = join(plural, "or") if plural else ""
            one = f"a character other than {excluded}" if excluded else "any character"
            many = f"characters other than {excluded}" if excluded else "any characters"
        else:
            one, many = article(join(singular, "or")), join(plural, "or")
    if (low, high) == (1, 1):
        return one
    if low == high:
        return f"{low} {many}"
    if (low, high) == (0, 1):
        return f"optionally {one}"
    return f"{_count_words(low, high, 'any number of', 'one or more')} {many}"


def _count_words(low: int, high: int | None, none: str, some: str) -> str:
    if high is None:
        return none if low == 0 else some if low == 1 else f"{low} or more"
    if low == high:
        return str(low)
    return f"{low} to {high}"


def _alternatives_words(alternatives: list[list], top: bool = False) -> str:
    words = [_sequence_words(s) for s in alternatives]
    if len(words) == 1:
        return words[0]
    if top:
        return "one of: " + "; ".join(words[:-1]) + f"; or {words[-1]}"
    return "either " + join(words, "or")


def _sequence_words(sequence: list) -> str:
    parts, text = [], ""
    for atom, low, high in sequence:
        if atom[0] == "lit" and (low, high) == (1, 1):
            text += atom[1]
            continue
        if text:
            parts.append(quoted(text))
            text = ""
        parts.append(_atom_words(atom, low, high))
    if text:
        parts.append(quoted(text))
    return ", then ".join(parts) if parts else "nothing"


