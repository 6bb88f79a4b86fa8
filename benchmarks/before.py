"""Every page against the code of an earlier commit, on this machine, in this run: "no page slower
than before" judged by one measurement of both (benchmarks/before_pages.py), not by figures another
machine wrote on another day (a table of docs/benchmarks.md from a slower or faster computer says
nothing about the code).

BEFORE (environment variable BENCH_BEFORE, default below) is the commit whose benchmarks were current
when the restructuring ("one fact, one rule") began. Its code is taken with `git archive`, builds its
own demo and national databases (the same seed), and runs in its own process with this machine's
packages."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from monitor import clock

ROOT = Path(__file__).resolve().parent.parent
BEFORE = os.environ.get("BENCH_BEFORE", "943fc64")
SLOWER = 1.10  # now > before × this counts as slower (two runs of the same code differ by up to about 10%)
BEGIN, END = "<!-- against the code before: begin -->", "<!-- against the code before: end -->"


def _export(commit: str, into: Path) -> None:
    """The commit's files (no checkout of this repository changes)."""
    with tempfile.TemporaryFile() as archive:
        subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit], stdout=archive, check=True)
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(into, filter="data")


def _build(root: Path, out: Path) -> dict[str, Path]:
    """The demo and the national database as `root`'s code builds them."""
    dbs = {"demo": out / "demo.duckdb", "national": out / "national.duckdb"}
    env = {**os.environ, "PYTHONPATH": str(root)}
    subprocess.run([sys.executable, "-m", "queries.build", "--db", str(dbs["demo"])], cwd=root, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "queries.national", "--db", str(dbs["national"]), "--seed", "2026"],
                   cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)
    return dbs


def _measure(root: Path, dbs: dict[str, Path], programmes: dict) -> dict:
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("MONITOR_DB", None)
    done = subprocess.run([sys.executable, str(Path(__file__).with_name("before_pages.py")), str(root),
                           str(dbs["demo"]), str(dbs["national"]), json.dumps(programmes)],
                          cwd=root, env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _ms(value) -> str:
    return f"{value:,.0f} ms" if value is not None else "–"


def rows(before: dict, now: dict) -> tuple[list[str], dict]:
    """The table's rows and the count of cells slower, cold and warm."""
    lines, slower, cells = [], {"cold": 0, "warm": 0}, 0
    for key, new in now.items():
        page, database, which, programme = key.split("|")
        old = before.get(key)
        if "error" in new or old is None or "error" in old:
            error = new.get("error") or (old or {}).get("error")
            lines.append(f"| {page} | {database} | {which} ({programme}) | – | {_ms(new.get('cold'))} | – | – | "
                         f"{_ms(new.get('warm'))} | {'error: ' + error if error else '–'} |")
            continue
        cells += 1
        marks = {}
        for kind in ("cold", "warm"):
            ratio = new[kind] / old[kind]
            slow = ratio > SLOWER
            slower[kind] += slow
            marks[kind] = f"{ratio:.2f}× {'✖' if slow else '✔'}"
        lines.append(f"| {page} | {database} | {which} ({programme}) | {_ms(old['cold'])} | {_ms(new['cold'])} | "
                     f"{marks['cold']} | {_ms(old['warm'])} | {_ms(new['warm'])} | {marks['warm']} |")
    return lines, {**slower, "cells": cells}


def section(demo: Path, tmp: Path) -> tuple[str, list[str]]:
    """For `make bench` (benchmarks.run's EXTRA sections)."""
    from benchmarks.run import programmes_to_measure

    base = tmp / "before"
    base.mkdir()
    _export(BEFORE, base / "code")
    now_dbs = _build(ROOT, base)  # this code's databases, built afresh beside the earlier code's
    (base / "then").mkdir()
    before_dbs = _build(base / "code", base / "then")
    demo_pick = programmes_to_measure(now_dbs["demo"])
    programmes = {"demo": demo_pick,
                  "national": {"same as demo": demo_pick["typical"], **programmes_to_measure(now_dbs["national"])}}
    from queries import db as dbmod
    for path in now_dbs.values():  # DuckDB's file lock: the measuring process must be able to open them
        dbmod.close(path)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    before = _measure(base / "code", before_dbs, programmes)
    now = _measure(ROOT, now_dbs, programmes)
    lines, counted = rows(before, now)
    return (f"Every page against the code of {BEFORE}, on this machine (cold = median of 5 reruns after every cache "
            f"is cleared, warm = median of 9)", [
        BEGIN,
        f"The same measurement of both versions, minutes apart ({BEFORE}, then this code, {commit or 'this checkout'}), "
        f"each on the demo and national databases its own code builds, measured {clock.now():%Y-%m-%d %H:%M}. "
        f"Slower means more than {SLOWER:.2f}× before. Cold: {counted['cold']} of {counted['cells']} cells slower; "
        f"warm: {counted['warm']} of {counted['cells']}. Pages added since have no figure before.", "",
        "| page | database | programme | cold before | cold now | cold now ÷ before | warm before | warm now | "
        "warm now ÷ before |", "|---|---|---|---|---|---|---|---|---|", *lines, END])


def write_section(doc: Path, title: str, lines: list[str]) -> None:
    """Replace the earlier comparison in docs/benchmarks.md (between its markers), or add it."""
    block = "\n".join(lines)
    text = doc.read_text() if doc.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + f"\n\n## {title}\n\n{block}\n"
    doc.write_text(text)


def main() -> int:
    """`python -m benchmarks.before`: the comparison alone, written into docs/benchmarks.md."""
    with tempfile.TemporaryDirectory() as tmp:
        title, lines = section(ROOT / "data" / "monitor.duckdb", Path(tmp))
    print(f"## {title}\n\n" + "\n".join(lines))
    write_section(ROOT / "docs" / "benchmarks.md", title, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
