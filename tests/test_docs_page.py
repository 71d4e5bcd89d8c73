"""The docs pages render offline in headless Chromium: public operations shown, private not.

Debian's ``chromium`` (``apt-get install chromium``; ``.ci/run`` installs it) driven by
Playwright. Every request the page makes must go to our server: the assets are vendored.
Screenshots land in the test's tmp dir.
"""

from __future__ import annotations

import os

import pytest

from sentryapi.testing import service_unavailable

CHROMIUM = os.environ.get("SENTRYAPI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
PUBLIC_SUMMARY = "List your organizations."
PRIVATE_SUMMARY = "List your user auth tokens (never their values)."

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        service_unavailable(f"Chromium at {CHROMIUM}", FileNotFoundError(CHROMIUM),
                            "run `make install-browser`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.requests, page.blocked, page.errors = [], set(), []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("requestfailed", lambda request: request.failure == "csp" and page.blocked.add(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def _assert_offline(page, base_url):
    """Nothing was fetched from elsewhere (ReDoc's CDN logo is stopped by the page's CSP)."""
    foreign = [url for url in page.requests if not url.startswith((base_url, "data:", "blob:"))]
    sent = [url for url in foreign if url not in page.blocked]
    assert not sent, f"the page fetched from elsewhere: {sent}"
    assert not page.errors, page.errors


def test_redoc_page_shows_public_operations_only(page, live_server, tmp_path):
    response = page.goto(f"{live_server.url}/api/docs/")
    assert response.status == 200
    page.locator("h2", has_text=PUBLIC_SUMMARY).first.wait_for(timeout=30_000)
    page.screenshot(path=str(tmp_path / "redoc.png"), full_page=False)
    html = page.content()
    assert "Retrieve an organization, with its settings and your role in it." in html
    assert PRIVATE_SUMMARY not in html and "Auth Tokens" not in html
    _assert_offline(page, live_server.url)


def test_swagger_ui_page_shows_public_operations_only(page, live_server, tmp_path):
    response = page.goto(f"{live_server.url}/api/docs/swagger/")
    assert response.status == 200
    page.locator(".opblock").first.wait_for(timeout=30_000)
    page.screenshot(path=str(tmp_path / "swagger-ui.png"), full_page=False)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any(p.replace("\u200b", "") == "/api/0/organizations/" for p in paths), paths
    assert not any("api-tokens" in p for p in paths)
    html = page.content()
    assert PUBLIC_SUMMARY in html and PRIVATE_SUMMARY not in html
    assert page.locator(".validator-wrapper, .errors-wrapper").count() == 0
    _assert_offline(page, live_server.url)


def test_a_browser_at_the_root_meets_sign_in_and_finds_the_docs_page(page, live_server):
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    response = page.goto(f"{live_server.url}/")
    assert response.status == 200
    assert page.url == f"{live_server.url}/auth/login/?next=/"  # the web app, once signed in
    response = page.goto(f"{live_server.url}/api/docs/")
    assert response.status == 200
    page.locator("h2", has_text=PUBLIC_SUMMARY).first.wait_for(timeout=30_000)
    assert not failed, f"the page's requests that failed: {failed}"
