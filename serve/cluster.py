"""`make cluster [REPLICAS=2]`: the dashboard as several processes on one PostgreSQL, behind a load
balancer with session affinity, on http://localhost:8501 — everything in temporary directories,
stopped with Ctrl-C.

- **PostgreSQL**: a server of its own (serve.postgres), with the demo built into it, or the database
  named by DATABASE_URL (built there if it holds no data yet).
- **Replicas**: `streamlit run dashboard.py`, each on a free port of 127.0.0.1, each with the same
  DATABASE_URL, the same secrets (`[auth]`: one cookie secret and one OpenID Connect configuration,
  from .streamlit/secrets.toml or SECRETS=path) and the same `server.cookieSecret` (with which
  Streamlit signs its own cookies), so any replica accepts what another signed.
- **nginx** (Debian's package) in front, on http://localhost:8501: Streamlit keeps each session in
  one process — its websocket (/_stcore/stream), and the media and uploads of that session — so
  every response sets a cookie naming the replica that served it (MONITOR_REPLICA) and every later
  request of that browser, the websocket upgrade included, goes to that replica while it is up. A
  browser without the cookie goes to the replica with the fewest connections. A replica that stops
  answering is passed over (its people land on another replica, still signed in — the sign-in
  cookie is signed with the shared secret — with a fresh session), and its cookie then names the
  replica that answered. nginx's open-source edition has no `sticky` directive: the cookie is read
  by a `map` choosing the upstream group of that replica (itself first, the others as backups).
"""
from __future__ import annotations

import argparse
import os
import re
import secrets as token
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from serve.postgres import LocalPostgres, free_port

ROOT = Path(__file__).resolve().parent.parent
AFFINITY_COOKIE = "MONITOR_REPLICA"
NGINX = "nginx"


def install_nginx() -> str:
    """nginx's program, installing Debian's package first when missing (the package's own service
    is not used: the cluster runs nginx with a configuration of its own, in its temporary folder)."""
    found = shutil.which(NGINX) or (Path("/usr/sbin/nginx").exists() and "/usr/sbin/nginx")
    if not found:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", NGINX], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        found = shutil.which(NGINX) or "/usr/sbin/nginx"
    return str(found)


def _wait(url: str, proc: subprocess.Popen, log: Path, *, ready=lambda body: True, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} stopped: {log.read_text()[-2000:]}")
        try:
            if ready(urllib.request.urlopen(url, timeout=2).read()):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer in {timeout:.0f} s: {log.read_text()[-2000:]}")


def _stop(proc: subprocess.Popen | None, *, wait: float = 15) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(wait)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Replica:
    """One dashboard process on 127.0.0.1:<port>."""

    def __init__(self, name: str, database_url: str, folder: Path, *, cookie_secret: str,
                 secrets_file: Path | None = None, env: dict | None = None, port: int | None = None):
        self.name, self.port = name, port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"replica-{name}.log"
        self.database_url, self.cookie_secret, self.secrets_file = database_url, cookie_secret, secrets_file
        self.env = env or {}
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Replica":
        # The cookie secret in the environment, not on the command line (where `ps` shows it).
        env = {**os.environ, "DATABASE_URL": self.database_url, "STREAMLIT_SERVER_COOKIE_SECRET": self.cookie_secret,
               **self.env}
        env.pop("MONITOR_DB", None)
        if self.secrets_file is not None:
            env["STREAMLIT_SECRETS_FILES"] = str(self.secrets_file)
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.headless", "true",
                 "--server.port", str(self.port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                 "--server.fileWatcherType", "none"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def wait_ready(self) -> None:
        _wait(f"{self.url}/_stcore/health", self.proc, self.log, ready=lambda body: body == b"ok")

    def kill(self) -> None:
        """As a machine failing would: no goodbye."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self) -> None:
        _stop(self.proc)

    @property
    def pid(self) -> int:
        return self.proc.pid


def nginx_config(port: int, replicas: list[Replica], folder: Path, *, bind: str = "127.0.0.1",
                 worker_user: str | None = None) -> str:
    address = {r.name: f"127.0.0.1:{r.port}" for r in replicas}
    # Passive health checks (the open-source edition has no active ones): a replica that refuses a
    # connection or times out is passed over for 5 s, then tried again.
    health = "max_fails=1 fail_timeout=5s"
    groups = "\n".join(
        f"    upstream {name} {{\n        server {address[name]} {health};\n"
        + "".join(f"        server {address[other]} backup;\n" for other in address if other != name) + "    }"
        for name in address)
    everyone = "".join(f"        server {a} {health};\n" for a in address.values())
    chosen = "".join(f"        {name} {name};\n" for name in address)
    served = "".join(f"        ~{re.escape(a)}$ {name};\n" for name, a in address.items())
    temp = folder / "nginx-temp"
    return f"""# Written by serve/cluster.py for one run of `make cluster`.
{f"user {worker_user};" if worker_user else ""}
worker_processes 1;
daemon off;
pid {folder / "nginx.pid"};
error_log {folder / "nginx-error.log"} warn;

events {{
    # Two connections per browser (its websocket, through to its replica): raise with the open-file limit.
    worker_connections 4096;
}}

http {{
    client_body_temp_path {temp / "body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};
    # The Data page accepts files up to Streamlit's own limit (server.maxUploadSize, 200 MB).
    client_max_body_size 200m;

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        "" close;
    }}

    # A browser without the cookie: the replica with the fewest connections.
    upstream replicas {{
        least_conn;
{everyone}    }}
    # A browser with the cookie: its replica; the others only if that one does not answer.
{groups}
    map $cookie_{AFFINITY_COOKIE} $replica_group {{
        default replicas;
{chosen}    }}
    # The replica that answered (the last address tried), for the cookie and the log.
    map $upstream_addr $served_by {{
        default "-";
{served}    }}

    log_format cluster '$served_by "$request" $status $request_time';
    access_log {folder / "nginx-access.log"} cluster;

    server {{
        listen {bind}:{port};
        location / {{
            proxy_pass http://$replica_group;
            proxy_http_version 1.1;
            # The websocket: upgraded through to the replica, and kept open for as long as the page is.
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 12h;
            proxy_send_timeout 12h;
            # The browser's own Host: Streamlit checks a websocket's Origin against it.
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_buffering off;
            proxy_request_buffering off;
            add_header Set-Cookie "{AFFINITY_COOKIE}=$served_by; Path=/; HttpOnly; SameSite=Lax" always;
        }}
    }}
}}
"""


class LoadBalancer:
    """nginx on `port`, in front of the replicas."""

    def __init__(self, port: int, replicas: list[Replica], folder: Path):
        self.port, self.replicas, self.folder = port, replicas, folder
        self.url = f"http://127.0.0.1:{port}"
        self.config = folder / "nginx.conf"
        self.log = folder / "nginx.log"
        self.access_log = folder / "nginx-access.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "LoadBalancer":
        binary = install_nginx()
        temp = self.folder / "nginx-temp"
        temp.mkdir(exist_ok=True)
        worker_user = None
        if os.geteuid() == 0:  # as root (CI), nginx's workers run as the package's unprivileged user
            worker_user = "www-data"
            shutil.chown(temp, worker_user)
        self.config.write_text(nginx_config(self.port, self.replicas, self.folder, worker_user=worker_user))
        command = [binary, "-p", str(self.folder), "-e", str(self.folder / "nginx-error.log"), "-c", str(self.config)]
        subprocess.run([*command, "-t", "-q"], check=True)
        with self.log.open("w") as log:
            # Its own session, as the replicas': Ctrl-C reaches `make cluster`, which stops them in order.
            self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder,
                                         start_new_session=True)
        _wait(f"{self.url}/_stcore/health", self.proc, self.folder / "nginx-error.log",
              ready=lambda body: body == b"ok")
        return self

    def stop(self) -> None:
        _stop(self.proc)  # SIGTERM: nginx's fast shutdown

    def served_by(self) -> list[tuple[str, str]]:
        """(replica, request path) of every request answered so far; a websocket is logged when it closes."""
        out = []
        if not self.access_log.exists():
            return out
        for line in self.access_log.read_text().splitlines():
            name, _, rest = line.partition(" ")
            request = rest.split('"')[1] if rest.count('"') >= 2 else ""
            out.append((name, request.split(" ")[1] if " " in request else request))
        return out


class Cluster:
    """PostgreSQL, `replicas` dashboard processes and nginx on `port`."""

    def __init__(self, replicas: int = 2, port: int = 8501, *, database_url: str | None = None,
                 secrets_file: Path | None = None, env: dict | None = None, log=print, durable: bool = True,
                 postgres: LocalPostgres | None = None):
        self.count, self.port, self.log = replicas, port, log
        self.given_url, self.secrets_file, self.env, self.durable = database_url, secrets_file, env or {}, durable
        self.folder = Path(tempfile.mkdtemp(prefix="monitor-cluster-"))
        self.postgres: LocalPostgres | None = postgres
        self._own_postgres = postgres is None and database_url is None
        self.database_url = database_url
        self.replicas: list[Replica] = []
        self.balancer: LoadBalancer | None = None

    def start(self) -> "Cluster":
        from queries import build as build_module

        try:
            if self.database_url is None:
                if self.postgres is None:
                    self.postgres = LocalPostgres(durable=self.durable, log=self.log).start()
                self.database_url = self.postgres.create_database("monitor")
            if not build_module.exists(self.database_url):
                self.log("Building the demo database in PostgreSQL…")
                build_module.build(self.database_url, log=self.log)
            cookie_secret = token.token_urlsafe(32)  # shared by the replicas: one signature of Streamlit's cookies
            self.replicas = [Replica(f"r{i + 1}", self.database_url, self.folder, cookie_secret=cookie_secret,
                                     secrets_file=self.secrets_file, env=self.env).start() for i in range(self.count)]
            for replica in self.replicas:
                replica.wait_ready()
                self.log(f"Replica {replica.name}: {replica.url} (pid {replica.pid})")
            self.balancer = LoadBalancer(self.port, self.replicas, self.folder).start()
            self.log(f"Load balancer: http://localhost:{self.port} → {len(self.replicas)} "
                     f"replica{'s' if len(self.replicas) > 1 else ''} "
                     f"(session affinity by the cookie {AFFINITY_COOKIE})")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.balancer:
            self.balancer.stop()
        for replica in self.replicas:
            replica.stop()
        if self.postgres is not None and self._own_postgres:
            self.postgres.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "Cluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or None,
                        help="a PostgreSQL database to use instead of a server of the cluster's own")
    parser.add_argument("--secrets", type=Path, default=None,
                        help="the replicas' secrets file (default: .streamlit/secrets.toml when present)")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    secrets_file = args.secrets or (ROOT / ".streamlit" / "secrets.toml")
    cluster = Cluster(args.replicas, args.port, database_url=args.database_url,
                      secrets_file=secrets_file if secrets_file.exists() else None)
    # Ctrl-C and SIGTERM stop the cluster in order (SIGINT too when started in the background, where
    # it would otherwise be ignored); the children run in sessions of their own and never see them.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    try:
        cluster.start()
        print(f"Serving http://localhost:{args.port} — Ctrl-C stops the cluster.", flush=True)
        while all(r.proc.poll() is None for r in cluster.replicas) and cluster.balancer.proc.poll() is None:
            time.sleep(1)
        print("A process of the cluster stopped; stopping the rest.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
