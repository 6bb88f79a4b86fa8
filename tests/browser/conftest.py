"""Real headless Chromium (Debian's /usr/bin/chromium) through Playwright, against `streamlit run`
on a free port serving a private copy of the demo database."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Background:
    """A process of the tests' own (a Streamlit server, an OpenID provider): started with its output
    in a log file, ready once `ready_url` answers, and stopped — killed if it will not stop."""

    def _start(self, cmd: list[str], log: Path, ready_url: str, *, ready=lambda body: True, env=None, cwd=None,
               timeout: float = 60) -> None:
        self.log = log
        self._log_file = log.open("w")
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=self._log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if ready(urllib.request.urlopen(ready_url, timeout=2).read()):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{cmd[2]} did not start: {log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log_file.close()


class Server(Background):
    def __init__(self, db: Path, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._start(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
             "--server.headless", "true", "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            db.parent / f"streamlit-{self.port}.log", f"{self.url}/_stcore/health", ready=lambda body: body == b"ok",
            env={**os.environ, "MONITOR_DB": str(db), **(env or {})}, cwd=ROOT)


@pytest.fixture(scope="session")
def server_db(built_db, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("server") / "monitor.duckdb"
    shutil.copy(built_db, path)
    return path


@pytest.fixture(scope="session")
def server(server_db):
    srv = Server(server_db)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    yield pg
    context.close()


def wait_idle(page: Page, last_selector: str | None = None, timeout: float = 30_000) -> None:
    """Wait until the script has finished AND the page's last expected element is drawn (the
    status widget alone gives half-drawn screenshots)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    if last_selector:
        page.wait_for_selector(last_selector, timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)


def screenshot(page: Page, artifacts: Path, name: str) -> Path:
    path = artifacts / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_violations(page: Page) -> list[dict]:
    """axe-core violations of impact serious or critical."""
    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — e.g. {v['nodes'][0]['html'][:200]}"
                     for v in violations)
