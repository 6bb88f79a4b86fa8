"""Problems found in an input file, and the error that carries them.

Every loader (the official files now, the Data page's CSV/XLSX import later) checks the whole file,
collects *all* problems, and only then refuses it with one `LoadError`, so a person fixes
everything in one pass instead of meeting the problems one at a time.

Row numbers are 1-based and count the header as row 1, so the first data row is row 2: the row
number a spreadsheet shows for that record. For a CSV this is also the line number a text editor
shows, except after a quoted cell that spans several lines (the record still counts as one row).
`row` is None when the problem is about the file or a whole column (not UTF-8, a missing column).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from monitor.formatting import counted

# How many problems a LoadError's message lists; `.problems` always holds them all.
MESSAGE_LIMIT = 50


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located so a person can find and fix it."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        row = "-" if self.row is None else str(self.row)
        column = "-" if self.column is None else self.column
        text = f"{self.file}:{row}:{column}: {self.message}"
        if self.value is not None:
            text += f" (value {self.value!r})"
        return text


class LoadError(Exception):
    """An input was refused. `.problems` lists every problem found, in file order."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        files = sorted({p.file for p in self.problems})
        lines = [str(p) for p in self.problems[:MESSAGE_LIMIT]]
        if len(self.problems) > MESSAGE_LIMIT:
            lines.append(f"... and {len(self.problems) - MESSAGE_LIMIT} more")
        head = f"{counted(len(self.problems), 'problem')} in {', '.join(files)}"
        super().__init__("\n".join([head, *lines]))


@dataclass
class ProblemLog:
    """Collects problems for one file while it is checked, then raises them together.

    `file` is the name used in every problem it records (a file name, not a full path, so messages
    read the same on every machine).
    """

    file: str
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def for_path(cls, path: str | Path) -> "ProblemLog":
        return cls(Path(path).name)

    def add(self, row: int | None, column: str | None, value: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, row, column, value, message))

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise LoadError(self.problems)
