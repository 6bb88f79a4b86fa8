"""Control characters in text: refused in every text value written (queries.write) and in every cell
an import checks (monitor.imports.cells), so a NUL byte never reaches a report and its Word export
(python-docx refuses such characters, and the export would then fail for good).

Allowed: tab, line feed, and a carriage return as part of a CRLF line ending (Windows files).
Refused: every other character of Unicode's "control" category (U+0000–U+001F, U+007F–U+009F).
A column holding JSON (its name ends in `_json`, e.g. the report's narrative_json) is checked in
the strings it holds too: JSON writes a NUL as the six characters \\u0000, a form feed as \\f.
"""
from __future__ import annotations

import json
import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


def _name(char: str) -> str:
    names = {"\x00": "NUL", "\x08": "backspace", "\x0b": "vertical tab", "\x0c": "form feed",
             "\r": "carriage return without a line feed", "\x1b": "escape", "\x7f": "delete"}
    return names.get(char) or unicodedata.name(char, "") or "control character"


def control_problem(text: str) -> str | None:
    """What is wrong with `text`, or None: the first control character, by position and code."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    char = found.group()[0]
    return (f"contains a control character (U+{ord(char):04X} {_name(char)}) at character {found.start() + 1}; "
            "only tabs and line breaks are allowed in text: remove it and try again")


def _strings(value, path: str = ""):
    """(where, text) of every string inside a decoded JSON value, keys included."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield f"{path}{k!r} (key)" if path == "" else f"{path}.{k} (key)", str(k)
            yield from _strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")


def value_problem(column: str, value) -> str | None:
    """What is wrong with one text value of `column`, or None. A JSON column's text is decoded and
    each string in it checked; the message names the part ("section 'summary'")."""
    if type(value) is not str:
        return None
    problem = control_problem(value)
    if problem:
        return problem
    if column.endswith("_json") and "\\" in value:  # JSON escapes (\u0000, \b, \f) may hide one
        try:
            decoded = json.loads(value)
        except ValueError:
            return None  # not JSON: the column's other rules decide
        for where, text in _strings(decoded):
            problem = control_problem(text)
            if problem:
                return f"section '{where}' {problem}" if where else problem
    return None


def values_problem(column: str, values) -> tuple[int, str] | None:
    """(index, what is wrong) of the first value of a column with a control character, or None;
    each distinct text is checked once, and a column of clean text costs one scan."""
    texts = [v for v in dict.fromkeys(values) if type(v) is str]
    if not texts:
        return None
    joined = "\t".join(texts)  # a tab: a value ending in CR must not look like CRLF
    if _CONTROL.search(joined) is None and not (column.endswith("_json") and "\\" in joined):
        return None
    for i, value in enumerate(values):
        problem = value_problem(column, value)
        if problem:
            return i, problem
    return None
