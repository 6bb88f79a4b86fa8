"""Open the dashboard in Streamlit's AppTest the way a person does: from dashboard.py, then the page."""
from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from monitor.text import WORD_JOINER

ROOT = Path(__file__).resolve().parent.parent


def open_app(page: str | None = None, *, query: dict | None = None, email: str | None = None,
             timeout: float = 60) -> AppTest:
    """Run dashboard.py, then switch to `page` (e.g. "pages/overview.py") and run it.

    `email` picks the demo user (demo mode); `query` sets URL query parameters before the first run.
    """
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if email:
        at.session_state["demo_email"] = email
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(page)
        at.run()
    return at


_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def shown(markdown: str) -> str:
    """Markdown as a reader sees its characters: the backslash escapes and invisible word joiners that
    keep data from being read as markup (monitor.text.plain) removed."""
    return _ESCAPE.sub(r"\1", markdown).replace(WORD_JOINER, "")


def texts(at: AppTest) -> str:
    """Everything a reader sees as text (markdown, captions, headers, metrics, badges...), with the
    escapes that keep data from being read as markup removed."""
    parts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in at.get(kind)]
    for m in at.get("metric"):
        parts.append(f"{m.label}: {m.value}")
    for b in at.get("badge"):
        parts.append(str(getattr(b, "label", "") or b.proto.label))
    return shown("\n".join(parts))


# A markdown link as pages write it: [text](address), the text's own brackets escaped.
_LINK = re.compile(r"(?<!\\)\[((?:[^\]\\]|\\.)*)\]\(([^)\s]+)\)")


def links(at: AppTest) -> list[tuple[str, str]]:
    """Every markdown link on the page as (text as a reader sees it, address)."""
    return [(shown(text), url) for m in at.markdown for text, url in _LINK.findall(str(m.value))]


def cited(cell) -> str:
    """What a source cell of a table (a LinkColumn: address#cite=text) reads as."""
    return str(cell).split("#cite=", 1)[1] if "#cite=" in str(cell) else str(cell)


def address(cell) -> str:
    """Where a source cell of a table leads (its address without the '#cite=' text)."""
    return str(cell).split("#cite=", 1)[0]
