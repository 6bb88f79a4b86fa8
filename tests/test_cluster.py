"""`make cluster`'s load balancer, without a browser: two replicas on one PostgreSQL behind nginx. A
browser's first response names its replica in a cookie; every later request with that cookie — the
websocket upgrade too — goes to that replica; a replica that stops answering is passed over and the
cookie then names the one that answered. (With Chromium: tests/browser/test_cluster_browser.py.)"""
from __future__ import annotations

import asyncio
import concurrent.futures
import http.cookies
import time
import urllib.request

import pytest

from serve.cluster import AFFINITY_COOKIE, Cluster
from serve.postgres import free_port


@pytest.fixture(scope="module")
def cluster(postgres_server, postgres_template):
    from queries.db import close

    url = postgres_server.create_database("monitor_cluster_lb", template=postgres_template)
    running = Cluster(2, free_port(), database_url=url, log=lambda *_: None).start()
    yield running
    running.stop()
    close(url)
    postgres_server.drop_database("monitor_cluster_lb")


def get(url: str, replica: str | None = None) -> tuple[int, str | None]:
    """The status and the replica the affinity cookie names afterwards."""
    request = urllib.request.Request(url, headers={"Cookie": f"{AFFINITY_COOKIE}={replica}"} if replica else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()  # all of it: nginx logs a request once it has sent the whole response
        jar = http.cookies.SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return response.status, jar[AFFINITY_COOKIE].value if AFFINITY_COOKIE in jar else None


def served(balancer, paths: list[str]) -> list[tuple[str, str]]:
    """(replica, path) of the log's lines for these requests (each path unique to its request), once
    all of them are logged (nginx writes a line just after the response has gone: a moment after the
    client has it). Found by path, not by counting lines: any other request to the balancer meanwhile
    cannot shift them."""
    deadline = time.monotonic() + 10
    while True:
        found = [(replica, path) for replica, path in balancer.served_by() if path in paths]
        if len(found) >= len(paths) or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_the_cookie_keeps_a_browser_on_its_replica_and_the_websocket_is_upgraded_there(cluster):
    balancer = cluster.balancer
    names = {r.name for r in cluster.replicas}
    # Browsers without the cookie are spread over both replicas (asked until both have answered: on a
    # busy machine nginx may pass over a replica that is slow to answer for a moment).
    first: set[str | None] = set()
    for _ in range(60):
        first.add(get(f"{balancer.url}/_stcore/health")[1])
        if first == names:
            break
        time.sleep(0.25)
    assert first == names
    for name in sorted(names):
        paths = [f"{path}?browser={name}" for path in ("/", "/_stcore/health", "/quarterly_report")]
        for path in paths:
            assert get(balancer.url + path, name) == (200, name)
        assert sorted(served(balancer, paths)) == sorted((name, path) for path in paths)

    async def websocket(name: str) -> None:
        import websockets

        async with websockets.connect(balancer.url.replace("http", "ws", 1) + f"/_stcore/stream?browser={name}",
                                      subprotocols=["streamlit"], origin=balancer.url,
                                      additional_headers={"Cookie": f"{AFFINITY_COOKIE}={name}"}) as ws:
            assert ws.subprotocol == "streamlit"

    # In a thread of its own: the browser tests' Playwright may have left this thread an event loop.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, websocket("r2")).result()
    stream = "/_stcore/stream?browser=r2"
    assert served(balancer, [stream]) == [("r2", stream)]  # logged once closed


def test_a_stopped_replica_is_passed_over_and_the_cookie_follows(cluster):
    r1, r2 = cluster.replicas
    r2.kill()
    try:
        assert get(f"{cluster.balancer.url}/_stcore/health", "r2") == (200, "r1")
        assert get(f"{cluster.balancer.url}/_stcore/health") == (200, "r1")
    finally:
        r2.start()
        r2.wait_ready()
