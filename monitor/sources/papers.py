"""A council paper split into addressable passages, so that a citation ("000 para 2.3",
"003 §12") names text a reader can open.

Pure: text in, passages out; the same text always gives the same numbers.

How a paper is read, in order (one rule per line of the docstring, so the numbering can be
checked by hand):

- Line endings, no-break spaces and tabs become plain spaces; stray bold markers (``**``) left by
  the conversion to text are dropped. Nothing else in the words changes.
- Blocks are runs of non-blank lines.
- A heading is a one-line block of at most 12 words that does not start with a list marker,
  does not read "label: value", and does not end in sentence punctuation (a trailing colon is
  allowed on an all-capitals or numbered heading: "RECOMMENDATIONS:", "2. Equalities Impact
  Assessment:"). "None" is text, not a heading.
- Inside a block, a line that starts with the paper's own paragraph number ("2.3 ...", "8. ...",
  "- 1.2.1 ...") starts a numbered passage.
- A block of "- " list items, one that starts in lower case (a paragraph carried over a page
  break), or a plain paragraph that follows a numbered passage in the same section belongs to
  that passage (the paper's number covers it); a block of short lines (a signature) and any
  other paragraph is a passage of its own. In minutes, each question (·) and each answer (o) is
  its own passage.
- Passage ids: the printed number ("2.3"); a number printed under a Recommendations heading is
  "rec N" (papers 000 and 004 number recommendations and sections alike); every other passage
  is "§k", k being its position among all the paper's passages (1-based). Paper 003 has no
  numbering at all, so its passages are §1, §2, … in reading order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBERED = re.compile(r"^(?:-\s*)?(\d+(?:\.\d+)+|\d+\.)\s+(?=\S)")
_LIST_ITEM = re.compile(r"^-\s*")
_QUESTION = re.compile(r"^·\s*")
_ANSWER = re.compile(r"^o\s{2,}|^o(?=[A-Z])|^o\s(?=[A-Z])")
_LETTERED = re.compile(r"^[a-z]\)\s")  # "a) To approve …": an item of its own, not a carried-over line
_SENTENCE_END = (".", ";", "?", "!", ",")
_RECOMMENDATIONS = re.compile(r"recommendation", re.IGNORECASE)


@dataclass(frozen=True)
class Passage:
    """One addressable passage: its id within the paper ("2.3", "rec 1", "§12"), its position
    (1-based), the headings printed before it (since the previous passage; may be empty) and its
    text (plain; list items on their own lines)."""

    passage_id: str
    order: int
    heading: str
    text: str

    @property
    def label(self) -> str:
        """How a citation names it: 'para 2.3', 'rec 1', '§12'."""
        return label_of(self.passage_id)


def label_of(passage_id: str) -> str:
    """'para 2.3' for a printed number, else the id itself ('rec 1', '§12')."""
    return passage_id if passage_id.startswith(("§", "rec ")) else f"para {passage_id}"


def normalise(text: str) -> str:
    """The paper's words with conversion debris removed (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\t", " ")
    text = text.replace("**", "")
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    return "\n".join(lines)


def _blocks(text: str) -> list[list[str]]:
    blocks, current = [], []
    for line in text.split("\n"):
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _is_heading(block: list[str]) -> bool:
    if len(block) != 1:
        return False
    line = block[0]
    if line in ("None", "None.") or _LIST_ITEM.match(line) or _QUESTION.match(line) or _ANSWER.match(line):
        return False
    if len(line.split()) > 12 or re.search(r"\w: \S", line):
        return False
    numbered = bool(re.match(r"^\d+\.\s+[A-Z]", line))
    if line.endswith(":"):
        body = line[:-1]
        return numbered or (body.upper() == body and any(c.isalpha() for c in body))
    if line.endswith(_SENTENCE_END) or line.endswith(":-"):
        return False
    # A numbered line of running text ("8. The Secretary of State …") is longer than a title.
    return not (_NUMBERED.match(line) and not numbered)


def _strip_marker(line: str) -> str:
    for pattern in (_QUESTION, _ANSWER):
        if pattern.match(line):
            return pattern.sub("", line, count=1).strip()
    return line


def _signature(block: list[str]) -> bool:
    return len(block) > 1 and all(len(line.split()) <= 6 and not line.endswith(_SENTENCE_END) for line in block)


@dataclass
class _Draft:
    number: str | None
    heading: str
    section: str
    lines: list[str]


def parse_paper(text: str) -> list[Passage]:
    """Every passage of a paper, in reading order, with a unique id (see the module docstring).
    Raises ValueError if two passages would share an id."""
    drafts: list[_Draft] = []
    pending_headings: list[str] = []
    section = ""

    def start(number, lines):
        nonlocal pending_headings
        drafts.append(_Draft(number, "\n".join(pending_headings), section, list(lines)))
        pending_headings = []

    for block in _blocks(normalise(text)):
        if _is_heading(block):
            heading = block[0].rstrip(":").rstrip()
            pending_headings.append(heading)
            section = heading
            continue
        last = drafts[-1] if drafts and not pending_headings else None
        first = block[0]
        if _QUESTION.match(first) or _ANSWER.match(first):
            start(None, [_strip_marker(first), *block[1:]])
            continue
        if not _NUMBERED.match(first):
            is_list = all(_LIST_ITEM.match(line) for line in block)
            carried = first[:1].islower() and not _LETTERED.match(first)
            follows_numbered = last is not None and last.number is not None
            if last is not None and (is_list or carried or (follows_numbered and not _signature(block))):
                if carried and not is_list:
                    last.lines[-1] = f"{last.lines[-1]} {first}"
                    last.lines.extend(block[1:])
                else:
                    last.lines.append("")
                    last.lines.extend(block)
                continue
            start(None, block)
            continue
        for line in block:
            match = _NUMBERED.match(line)
            if match:
                number = match.group(1).rstrip(".")
                start(number, [line[match.end():].strip()])
            elif drafts:
                drafts[-1].lines.append(line)

    passages: list[Passage] = []
    seen: set[str] = set()
    for order, draft in enumerate(drafts, start=1):
        if draft.number is None:
            pid = f"§{order}"
        elif _RECOMMENDATIONS.search(draft.section):
            pid = f"rec {draft.number}"
        else:
            pid = draft.number
        if pid in seen:
            raise ValueError(f"two passages would both be {label_of(pid)!r}")
        seen.add(pid)
        body = "\n".join(draft.lines).strip()
        passages.append(Passage(pid, order, draft.heading, body))
    return passages


def paper_number(file_name: str) -> str:
    """'000' from '000_8b94be94f640134b.txt': papers are cited by this number."""
    match = re.match(r"^(\d{3})_", file_name)
    if not match:
        raise ValueError(f"{file_name}: a paper's file name starts with its three-digit number")
    return match.group(1)
