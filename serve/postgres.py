"""A private PostgreSQL server in a temporary directory, on a free port of the loopback interface:
what `make test` and `make cluster` start (and stop) for themselves.

Debian's `postgresql` package provides the programs (installed with apt-get when missing). The
server runs as its own user: initdb and postgres refuse to run as root, and CI runs as root, so
as root they run as the `postgres` user the package creates. Connections are trusted from the
loopback interface only (nothing else can reach the port); the database is created with UTF-8
text and the C.UTF-8 collation, so text sorts by code point as DuckDB sorts it.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PACKAGE = "postgresql"
SUPERUSER = "postgres"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_root() -> bool:
    return os.geteuid() == 0


def _bindir() -> Path | None:
    """The newest installed PostgreSQL's programs (Debian keeps them under /usr/lib/postgresql/N/bin)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def install_if_missing() -> Path:
    """The directory of initdb and postgres, installing Debian's package first when missing."""
    bindir = _bindir()
    if bindir is None:
        sudo = [] if _as_root() else ["sudo"]
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", PACKAGE], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        bindir = _bindir()
    if bindir is None:
        raise RuntimeError(f"Debian's {PACKAGE} package is installed but initdb was not found")
    return bindir


class LocalPostgres:
    """`with LocalPostgres() as pg:` a running server; `pg.url(dbname)` its address."""

    def __init__(self, *, port: int | None = None, durable: bool = True, root: Path | None = None, log=None):
        self.port = port or free_port()
        # A test server need not survive a power cut: without fsync it builds databases several times faster.
        self.durable = durable
        self._root_given = root
        self.root: Path | None = None
        self.proc: subprocess.Popen | None = None
        self._log = log or (lambda *_: None)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def _run_as_owner(self, cmd: list[str], **kwargs):
        if _as_root():
            cmd = ["runuser", "-u", SUPERUSER, "--", *cmd]
        return cmd

    def start(self) -> "LocalPostgres":
        bindir = install_if_missing()
        self.root = Path(self._root_given or tempfile.mkdtemp(prefix="monitor-postgres-"))
        self.root.mkdir(parents=True, exist_ok=True)
        if _as_root():
            shutil.chown(self.root, SUPERUSER, SUPERUSER)
        subprocess.run(self._run_as_owner([str(bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER,
                                           "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.root)
        settings = {"listen_addresses": "127.0.0.1", "port": str(self.port),
                    "unix_socket_directories": str(self.root), "max_connections": "300",
                    "shared_buffers": "256MB", "log_min_messages": "warning"}
        if not self.durable:
            settings.update(fsync="off", synchronous_commit="off", full_page_writes="off")
        with (self.data / "postgresql.auto.conf").open("a") as conf:
            for name, value in settings.items():
                conf.write(f"{name} = '{value}'\n")
        log = (self.root / "server.log").open("w")
        if _as_root():
            shutil.chown(self.root / "server.log", SUPERUSER, SUPERUSER)
        self.proc = subprocess.Popen(self._run_as_owner([str(bindir / "postgres"), "-D", str(self.data)]),
                                     stdout=log, stderr=subprocess.STDOUT, cwd=self.root, start_new_session=True)
        log.close()
        self._wait_ready()
        self._log(f"PostgreSQL on 127.0.0.1:{self.port} (data in {self.data})")
        return self

    def _wait_ready(self, timeout: float = 60) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"PostgreSQL did not start: {(self.root / 'server.log').read_text()[-2000:]}")
            try:
                psycopg.connect(self.url(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"PostgreSQL did not answer in {timeout:.0f} s")

    def stop(self) -> None:
        """A fast shutdown (sessions ended, nothing more written), then the directory removed."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None
        if self.root is not None and self._root_given is None:
            shutil.rmtree(self.root, ignore_errors=True)

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database (a copy of `template` when given: a file copy, fast); returns its address."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.url(), autocommit=True) as con:
            if template:
                con.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name),
                                                                             sql.Identifier(template)))
            else:
                con.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def __enter__(self) -> "LocalPostgres":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
