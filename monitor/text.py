"""Text from users and files, shown as text: the one escaping function every page, block and sentence
uses before such text goes into Streamlit markdown (titles, labels, notices and sentences all render
markdown). A stored "[Sign in](http://…)" or "![x](…)" reads as those characters, never as a link or
a fetched image; "# x" is no heading, "<b>" no HTML, "$x$" no formula, ":red[x]" no colour; a bare
web address or e-mail address is not turned into a link (it carries an invisible word joiner).
Ordinary punctuation (. , ' : ( ) -) is left as it is where markdown gives it no meaning, so a plain
sentence reads the same in the page's source.
"""
from __future__ import annotations

import re

# Characters markdown, HTML, LaTeX or Streamlit read anywhere in a line.
_ANYWHERE = re.compile(r"([\\`*_\[\]<>|~$&@])")
# ':' before a letter or '/' (":red[", ":material/…:", ":smile:", "http://"), '.' in "www."
_COLON = re.compile(r":(?=[A-Za-z/])")
_WWW = re.compile(r"(?i)(www)\.")
# Streamlit's page (GitHub-flavoured markdown) turns a web or e-mail address in the text it shows into
# a link after reading the escapes, so "http\://x" still becomes a link: an invisible word joiner
# (U+2060) after "http", "https" or "www" and before "@" keeps the address from being recognised.
WORD_JOINER = "\u2060"
_ADDRESS = re.compile(r"(?i)(?:https?(?=\\:)|www(?=\\\.)|(?=\\@))")
# What starts a block at the start of a line: a heading, quote, list item, rule or code fence.
_LINE_START = re.compile(r"^([#>+\-=]|\d+(?=[.)]))")


def plain(text, *, one_line: bool = False) -> str:
    """`text` safe inside st.markdown: escaped as above; line breaks kept as line breaks (or, with
    `one_line`, as spaces: a table cell); leading spaces kept as spaces (never a code block)."""
    value = "" if text is None else str(text)
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = []
    for line in lines:
        line = line.replace("\t", " ")
        if one_line:
            line = line.strip()
        line = _ANYWHERE.sub(r"\\\1", line)
        line = _COLON.sub(r"\\:", line)
        line = _WWW.sub(r"\1\\.", line)
        line = _ADDRESS.sub(lambda m: m.group(0) + WORD_JOINER, line)
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        stripped = _LINE_START.sub(lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1),
                                   stripped, count=1)
        out.append("\u00a0" * indent + stripped)
    return (" " if one_line else "  \n").join(out)
