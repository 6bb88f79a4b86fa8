"""`make cluster` as a person meets it: two replicas on one PostgreSQL behind nginx, sign-in
configured against the local OpenID provider (one secrets file for both replicas). The person signs
in through the load balancer, opens the Overview and the Quarterly report, every request of theirs —
the websocket included — served by one replica (the affinity cookie); sent to the other replica,
they are still signed in there and the page still works."""
from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from serve.cluster import AFFINITY_COOKIE, Cluster
from tests.browser.conftest import describe, free_port, screenshot, serious_violations, wait_idle
from tests.browser.test_sign_in_browser import OidcProvider, local_only, sign_in, write_secrets

pytestmark = pytest.mark.browser

REPORT = "/quarterly_report?programme=hampshire-west-sussex&quarter=2023-Q3"
LAST = "text=Narrative and delivery confidence"


@pytest.fixture(scope="module")
def oidc(tmp_path_factory):
    provider = OidcProvider(tmp_path_factory.mktemp("oidc-cluster"))
    yield provider
    provider.stop()


@pytest.fixture(scope="module")
def cluster(postgres_server, postgres_template, oidc, tmp_path_factory):
    from queries.db import close

    url = postgres_server.create_database("monitor_cluster", template=postgres_template)
    port = free_port()
    secrets = write_secrets(tmp_path_factory.mktemp("cluster-secrets") / "secrets.toml", port, oidc)
    running = Cluster(2, port, database_url=url, secrets_file=secrets, log=lambda *_: None).start()
    yield running
    running.stop()
    close(url)
    postgres_server.drop_database("monitor_cluster")


def test_sign_in_through_the_load_balancer_and_use_two_pages_on_either_replica(cluster, page, artifacts):
    balancer = cluster.balancer
    before = len(balancer.served_by())  # the load balancer's own readiness check
    local_only(page)
    sign_in(page, SimpleNamespace(url=balancer.url), "commissioner@example.gov.uk")
    wait_idle(page, "text=Next key dates")
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("DfE Commissioner for West Sussex (demo)")).to_be_visible()

    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Quarterly report").first.click()
    page.wait_for_url("**/quarterly_report**")
    wait_idle(page, LAST)
    expect(page.get_by_text("Draft — version 1, not yet submitted")).to_be_visible()
    screenshot(page, artifacts, "cluster-quarterly_report")
    violations = serious_violations(page)
    assert not violations, describe(violations)

    mine = {c["name"]: c["value"] for c in page.context.cookies()}[AFFINITY_COOKIE]
    assert mine in {r.name for r in cluster.replicas}

    # A second page of the same person (a new tab: its own websocket), the same replica.
    second = page.context.new_page()
    second.goto(balancer.url + REPORT)
    wait_idle(second, LAST)
    expect(second.locator('[data-testid="stSidebar"]').get_by_text("Signed in as")).to_be_visible()
    second.close()

    # Its replica's cookie changed to the other's (as when a replica is taken out): still signed in.
    other = next(r.name for r in cluster.replicas if r.name != mine)
    page.context.add_cookies([{"name": AFFINITY_COOKIE, "value": other, "url": balancer.url}])
    page.goto(balancer.url + REPORT)  # closes the first websocket: nginx logs it now
    wait_idle(page, LAST)
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("Signed in as")).to_be_visible()
    expect(page.get_by_text("Draft — version 1, not yet submitted")).to_be_visible()
    page.close()  # the last websocket closes too
    deadline = time.monotonic() + 10
    while (other, "/_stcore/stream") not in balancer.served_by()[before:]:
        assert time.monotonic() < deadline, balancer.served_by()[before:]
        time.sleep(0.1)
    served = balancer.served_by()[before:]
    # A websocket is logged when it closes: the first page's after the switch began.
    streams = [replica for replica, path in served if path.startswith("/_stcore/stream")]
    requests = [(replica, path) for replica, path in served if not path.startswith("/_stcore/stream")]
    # Sign-in (a websocket before it and one after), both pages and the second tab's websocket on its
    # replica; then the other.
    switched = next(i for i, (replica, _) in enumerate(requests) if replica == other)
    assert {replica for replica, _ in requests[:switched]} == {mine}, served
    assert {replica for replica, _ in requests[switched:]} == {other}, served
    assert streams.count(mine) >= 3 and streams.count(other) == 1, served
