"""A real OpenID Connect round trip: a local provider (oidc-provider-mock) on a free port, the
dashboard started with secrets pointing at it, sign-in through the provider's login form in
Chromium, the person's registered name and their pages in the navigation, and sign-out; an address
the provider says is not verified (even as the text "false"), or one that only looks like a
registered address (a Kelvin sign for a k), signs nobody in."""
from __future__ import annotations

import contextlib
import json
import shutil
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

import tests.browser.conftest as browser_conftest
from tests.browser.conftest import describe, free_port, screenshot, serious_violations, wait_idle
from ui.pages import pages_for

pytestmark = pytest.mark.browser

COOKIE_SECRET = "browser-test-cookie-secret-5f0c2a9e7d1b4c3a"
PROVIDER = "microsoft"  # the [auth.<name>] section, as a council would configure Entra ID


class OidcProvider(browser_conftest.Background):
    """oidc-provider-mock on 127.0.0.1:<free port>, accepting any client and any user."""

    def __init__(self, log_dir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._start([sys.executable, "-m", "oidc_provider_mock", "--port", str(self.port)],
                    log_dir / f"oidc-{self.port}.log", f"{self.url}/.well-known/openid-configuration", timeout=30)


def write_secrets(path: Path, app_port: int, provider: OidcProvider) -> Path:
    path.write_text(f"""[auth]
redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"
cookie_secret = "{COOKIE_SECRET}"

[auth.{PROVIDER}]
client_id = "improvement-monitor-test"
client_secret = "not-secret"
server_metadata_url = "{provider.url}/.well-known/openid-configuration"
""")
    return path


def auth_server(db: Path, provider: OidcProvider, tmp: Path, port: int | None = None) -> browser_conftest.Server:
    """`streamlit run` with its own secrets file (--secrets.files via the environment); the repo's
    .streamlit/ is never touched. The identity cookie names the app's origin, so a restart that
    should keep people signed in takes the same `port`."""
    port = port or free_port()
    secrets = write_secrets(tmp / f"secrets-{port}.toml", port, provider)
    original = browser_conftest.free_port
    browser_conftest.free_port = lambda: port  # Server picks its port itself; the secrets name it
    try:
        return browser_conftest.Server(db, env={"STREAMLIT_SECRETS_FILES": str(secrets)})
    finally:
        browser_conftest.free_port = original


def local_only(page) -> None:
    """The provider's login page asks a CDN for its stylesheet; nothing leaves this machine."""
    page.context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                       else route.abort())


def sign_in(page, server, email: str) -> None:
    page.goto(server.url)
    wait_idle(page, 'button:has-text("Sign in")')
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**")
    page.locator('input[name="sub"]').fill(email)  # the provider's login form
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{server.url}/**")
    wait_idle(page, "text=Signed in as")


def menu(page) -> list[str]:
    """The page titles in the sidebar menu (each link reads "<icon name>\n<title>")."""
    links = page.locator('[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"]').all_inner_texts()
    return [text.strip().splitlines()[-1].strip() for text in links]


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    p = OidcProvider(tmp_path_factory.mktemp("oidc"))
    yield p
    p.stop()


@pytest.fixture(scope="module")
def signed_server(built_db, provider, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("auth-server")
    db = tmp / "monitor.duckdb"
    shutil.copy(built_db, db)
    srv = auth_server(db, provider, tmp)
    yield srv
    srv.stop()


def test_sign_in_round_trip_shows_name_and_pages_then_sign_out(signed_server, page, artifacts):
    local_only(page)
    page.goto(f"{signed_server.url}/overview")
    wait_idle(page, 'button:has-text("Sign in")')
    assert not page.get_by_text("Demo mode").count()
    assert not page.locator('[class*="st-key-card_"]').count()  # nothing of the page before sign-in
    screenshot(page, artifacts, "sign_in")
    violations = serious_violations(page)
    assert not violations, describe(violations)

    sign_in(page, signed_server, "commissioner@example.gov.uk")
    wait_idle(page, "text=Next key dates")
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_text("DfE Commissioner for West Sussex (demo)").is_visible()
    assert menu(page) == [s.title for s in pages_for("commissioner")]
    assert "Users" not in menu(page)
    assert page.locator('[class*="st-key-card_"]').count() == 1  # their one programme
    screenshot(page, artifacts, "signed_in_commissioner")
    violations = serious_violations(page)
    assert not violations, describe(violations)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/oauth2/end_session**")
    page.get_by_role("button", name="End session").click()  # the provider's own sign-out
    page.wait_for_url(f"{signed_server.url}/**")
    wait_idle(page, 'button:has-text("Sign in")')
    page.goto(f"{signed_server.url}/overview")  # the identity cookie is gone
    wait_idle(page, 'button:has-text("Sign in")')
    assert not page.get_by_text("Signed in as").count()


def test_unregistered_account_is_refused_clearly(signed_server, page, artifacts):
    local_only(page)
    sign_in(page, signed_server, "someone.else@example.gov.uk")
    wait_idle(page, "text=not registered for Improvement Monitor")
    assert not menu(page)
    assert not page.locator('[class*="st-key-card_"]').count()
    screenshot(page, artifacts, "sign_in_not_registered")
    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_administrator_sees_the_users_page(signed_server, page, artifacts):
    local_only(page)
    sign_in(page, signed_server, "admin@example.gov.uk")
    assert menu(page)[-1] == "Users"
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Users").click()
    wait_idle(page, "text=Change or deactivate a person")
    expect(page.get_by_role("textbox", name="Work email address")).to_be_visible()
    screenshot(page, artifacts, "users")
    violations = serious_violations(page)
    assert not violations, describe(violations)


def set_claims(provider: OidcProvider, sub: str, claims: dict) -> None:
    """What the provider will say about `sub` (oidc-provider-mock's PUT /users/<sub>)."""
    request = urllib.request.Request(f"{provider.url}/users/{urllib.parse.quote(sub)}", method="PUT",
                                     data=json.dumps(claims).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204


def authorize(page, server, sub: str, expected: str) -> None:
    """Sign in through the provider's form as `sub`, then wait for `expected` on the page."""
    page.goto(server.url)
    wait_idle(page, 'button:has-text("Sign in")')
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**")
    page.locator('input[name="sub"]').fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{server.url}/**")
    wait_idle(page, f"text={expected}")


@pytest.mark.parametrize("sub,claims,refusal", [
    ("unverified-admin", {"email": "admin@example.gov.uk", "email_verified": "false"}, "is not verified"),
    ("kelvin-admin", {"email": "admin@example.gov.u\u212a", "email_verified": True},
     "characters that stand for other letters (U+212A)"),
], ids=["email_verified is the text false", "a Kelvin sign for the k"])
def test_an_unverified_or_look_alike_address_does_not_sign_in_as_the_administrator(signed_server, provider, page,
                                                                                   sub, claims, refusal):
    local_only(page)
    set_claims(provider, sub, claims)
    authorize(page, signed_server, sub, refusal)
    assert not menu(page)
    assert not page.get_by_text("Administrator (demo)").count()
    assert not page.locator('[class*="st-key-card_"]').count()


def test_email_verified_given_as_the_text_true_counts(signed_server, provider, page):
    local_only(page)
    set_claims(provider, "verified-text", {"email": "Admin@Example.gov.uk", "email_verified": "TRUE"})
    authorize(page, signed_server, "verified-text", "Signed in as")
    assert menu(page)[-1] == "Users"


@contextlib.contextmanager
def started(db: Path, provider: OidcProvider, tmp: Path, port: int | None = None):
    srv = auth_server(db, provider, tmp, port)
    try:
        yield srv
    finally:
        srv.stop()
