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


# Each cell is asked of both versions ROUNDS times, in turn (the order alternating): the figures are
# the medians of every rerun measured, COLD_RUNS and WARM_RUNS at a time. ROUNDS is even, so each
# version is asked first equally often: the one asked first, idle longest, measured about 6% slower
# when the same code was compared with itself (docs/performance-log.md, 2026-12-06).
ROUNDS, COLD_RUNS, WARM_RUNS = 4, 3, 4
# A cell found slower is asked AGAIN rounds more and judged on all of them: the same code compared
# with itself on ROUNDS rounds found 9 of 65 cells "slower" cold and 9 warm (more than SLOWER; the
# machine's drift between rounds, not the code), so one pass alone cannot tell a slower page.
AGAIN = 4


class _Version:
    """One version's page-measuring process (benchmarks/before_pages.py, importing from `root`)."""

    def __init__(self, root: Path):
        env = {**os.environ, "PYTHONPATH": str(root)}
        env.pop("MONITOR_DB", None)
        self.process = subprocess.Popen([sys.executable, str(Path(__file__).with_name("before_pages.py")), str(root)],
                                        cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        self._answer()

    def _answer(self) -> dict:
        from benchmarks.before_pages import ANSWER

        for line in self.process.stdout:
            if line.startswith(ANSWER):
                return json.loads(line[len(ANSWER):])
        raise RuntimeError(f"the measuring process ended (exit {self.process.wait()})")

    def ask(self, page: str, db: Path, programme: str) -> dict:
        self.process.stdin.write(json.dumps({"page": page, "db": str(db), "programme": programme,
                                             "cold": COLD_RUNS, "warm": WARM_RUNS}) + "\n")
        self.process.stdin.flush()
        return self._answer()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def _measure(versions: dict[str, tuple[Path, dict[str, Path]]], programmes: dict, pages: list[str]) -> dict:
    """{version: {"page|database|which|programme": {"cold": ms, "warm": ms, "rounds": n} or {"error": ...}}}:
    every cell asked of each version in turn, ROUNDS times, and a cell that "now" ran slower in
    (either figure) AGAIN rounds more, judged on the reruns of all its rounds."""
    import statistics

    running = {name: _Version(root) for name, (root, _dbs) in versions.items()}
    out: dict[str, dict] = {name: {} for name in versions}

    def ask(page: str, label: str, programme: str, rounds: int, samples: dict) -> None:
        for turn in range(rounds):
            order = list(versions) if turn % 2 == 0 else list(versions)[::-1]
            for name in order:
                got = running[name].ask(page, versions[name][1][label], programme)
                if "missing" in got or "error" in got:
                    samples[name] = got
                elif "cold" in samples[name]:
                    samples[name]["cold"] += got["cold"]
                    samples[name]["warm"] += got["warm"]

    def medians(samples: dict, rounds: int) -> dict:
        return {name: got if "missing" in got or "error" in got else
                {**{kind: statistics.median(got[kind]) for kind in ("cold", "warm")}, "rounds": rounds}
                for name, got in samples.items()}

    try:
        for label in ("demo", "national"):
            for which, programme in programmes[label].items():
                for page in pages:
                    key = f"{page}|{label}|{which}|{programme}"
                    samples = {name: {"cold": [], "warm": []} for name in versions}
                    ask(page, label, programme, ROUNDS, samples)
                    cell = medians(samples, ROUNDS)
                    if _slower(cell.get("before"), cell.get("now")):
                        ask(page, label, programme, AGAIN, samples)
                        cell = medians(samples, ROUNDS + AGAIN)
                    for name, got in cell.items():
                        if "missing" not in got:
                            out[name][key] = got
    finally:
        for version in running.values():
            version.close()
    return out


def _slower(before: dict | None, now: dict | None) -> bool:
    """Whether "now" measured slower than "before" in either figure (a cell both measured)."""
    if not before or not now or "cold" not in before or "cold" not in now:
        return False
    return any(_beyond(now[kind], before[kind]) for kind in ("cold", "warm"))


def _beyond(now_ms: float, before_ms: float) -> bool:
    """The one rule of "slower": more than SLOWER times the figure before."""
    return now_ms / before_ms > SLOWER


def _ms(value) -> str:
    return f"{value:,.0f} ms" if value is not None else "–"


def rows(before: dict, now: dict) -> tuple[list[str], dict]:
    """The table's rows and the count of cells slower, cold and warm, and of cells asked again."""
    lines, slower, cells, again = [], {"cold": 0, "warm": 0}, 0, 0
    for key, new in now.items():
        page, database, which, programme = key.split("|")
        old = before.get(key)
        if "error" in new or old is None or "error" in old:
            error = new.get("error") or (old or {}).get("error")
            lines.append(f"| {page} | {database} | {which} ({programme}) | – | {_ms(new.get('cold'))} | – | – | "
                         f"{_ms(new.get('warm'))} | {'error: ' + error if error else '–'} |")
            continue
        cells += 1
        asked = new.get("rounds", ROUNDS)
        again += asked > ROUNDS
        marks = {}
        for kind in ("cold", "warm"):
            ratio = new[kind] / old[kind]
            slow = _beyond(new[kind], old[kind])
            slower[kind] += slow
            marks[kind] = f"{ratio:.2f}× {'✖' if slow else '✔'}"
        rounds = f"; {asked} rounds" if asked > ROUNDS else ""
        lines.append(f"| {page} | {database} | {which} ({programme}{rounds}) | {_ms(old['cold'])} | "
                     f"{_ms(new['cold'])} | {marks['cold']} | {_ms(old['warm'])} | {_ms(new['warm'])} | {marks['warm']} |")
    return lines, {**slower, "cells": cells, "again": again}


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
    from ui.pages import PAGES

    measured = _measure({"before": (base / "code", before_dbs), "now": (ROOT, now_dbs)}, programmes,
                        [spec.title for spec in PAGES])
    lines, counted = rows(measured["before"], measured["now"])
    cold, warm, more = ROUNDS * COLD_RUNS, ROUNDS * WARM_RUNS, (ROUNDS + AGAIN) / ROUNDS
    return (f"Every page against the code of {BEFORE}, on this machine (cold = median of {cold} reruns after every "
            f"cache is cleared, warm = median of {warm}; {cold * more:.0f} and {warm * more:.0f} for a cell asked "
            f"again)", [
        BEGIN,
        f"The same measurement of both versions ({BEFORE}, and this code, {commit or 'this checkout'}), each in a "
        f"process of its own on the demo and national databases its own code builds, asked in turn cell by cell "
        f"({ROUNDS} rounds, the order alternating, so the machine's drift falls on both alike), measured "
        f"{clock.now():%Y-%m-%d %H:%M}. "
        f"Slower means more than {SLOWER:.2f}× before. A cell slower in either figure after {ROUNDS} rounds was asked "
        f"{AGAIN} more and is judged on all {ROUNDS + AGAIN} (its programme says so): {counted['again']} cells. "
        f"Cold: {counted['cold']} of {counted['cells']} cells slower; warm: {counted['warm']} of {counted['cells']}. "
        f"Pages added since have no figure before.", "",
        "| page | database | programme | cold before | cold now | cold now ÷ before | warm before | warm now | "
        "warm now ÷ before |", "|---|---|---|---|---|---|---|---|---|", *lines, END])


def write_section(doc: Path, title: str, lines: list[str]) -> None:
    """Replace the earlier comparison in docs/benchmarks.md (between its markers), or add it."""
    block = "\n".join(lines)
    text = doc.read_text() if doc.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        above = head.rstrip("\n").split("\n")
        if above and above[-1].startswith("## "):  # its heading says how it was measured: the new one's
            head = "\n".join([*above[:-1], f"## {title}"]) + "\n\n"
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
