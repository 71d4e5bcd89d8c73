"""The web UI in a real browser (Debian's Chromium, driven by Playwright), on one served app.

Sign in, the issue list, a search, an issue's detail, resolving it, the dashboard (with the
stats plugin's widget), a live update (an error sent by the real sentry-sdk appears in the
open issue list without a reload), a bulk action and the projects page. One page is reused throughout (few page loads, for
CI's budget), in one test; each step saves a 1400x900 screenshot to ``tests/screenshots/``.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
import sentry_sdk

from sentryapi.testing import served_app
from sentryapi.testing.actors import factories
from sentryapi.testing.browser import chromium

pytestmark = pytest.mark.slow
PASSWORD = "correct horse battery staple"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
VIEWPORT = {"width": 1400, "height": 900}


@contextlib.contextmanager
def sdk(dsn: str, environment: str = "production", release: str = "web@1.0"):
    """The real sentry-sdk, its own client for the block, flushed and closed after it."""
    sentry_sdk.init(dsn=dsn, default_integrations=False, environment=environment, release=release)
    try:
        yield
        sentry_sdk.flush(timeout=10)
    finally:
        sentry_sdk.get_client().close(timeout=5)
        sentry_sdk.get_global_scope().set_client(None)


def send_errors(dsn: str, *errors: Exception, **options) -> None:
    """Raise and capture each error (``options``: :func:`sdk`'s)."""
    with sdk(dsn, **options):
        for error in errors:
            try:
                raise error
            except Exception as raised:  # noqa: BLE001 - captured, as an app would
                sentry_sdk.add_breadcrumb(category="ui-test", message=f"before {type(raised).__name__}")
                sentry_sdk.set_user({"id": "42", "email": "ada@example.com"})
                sentry_sdk.capture_exception(raised)


class Site:
    """The served app, its owner (with a password) and a project with three issues: two
    errors in release web@1.0 and a warning in web@1.1 (what the dashboard counts)."""

    def __init__(self, app, server):
        from sentryapi_events.testing import digest_now

        from sentryapi.auth.models import User
        from sentryapi.extensions import db

        self.app, self.url = app, server.url
        self.owner = factories(app)[3]("owner")
        with app.app_context():
            db.session.get(User, self.owner.user.id).set_password(PASSWORD)
            db.session.commit()
        api, self.org = self.owner.api, self.owner.org
        team = api.post(f"/api/0/organizations/{self.org}/teams/", json={"slug": "web"}).json
        project = api.post(f"/api/0/teams/{self.org}/{team['slug']}/projects/",
                           json={"name": "Storefront", "platform": "python"}).json
        self.dsn = api.get(f"/api/0/projects/{self.org}/{project['slug']}/keys/").json[0]["dsn"]["public"]
        send_errors(self.dsn, KeyError("basket"), ZeroDivisionError("division by zero"))
        with sdk(self.dsn, release="web@1.1"):
            sentry_sdk.capture_message("stock is running low", level="warning")
        digest_now(app)

    def issue_id(self, title_start: str) -> str:
        issues = self.owner.api.get(f"/api/0/organizations/{self.org}/issues/?query=").json
        return next(i["id"] for i in issues if i["title"].startswith(title_start))


@pytest.fixture
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("ui")
    with served_app("sqlite", base / "instance", base / "db.sqlite") as (app, server):
        yield Site(app, server)


@contextlib.contextmanager
def browser_page():
    """A 1400x900 Chromium page; ``page.problems`` collects console and script errors."""
    SCREENSHOTS.mkdir(exist_ok=True)
    with chromium() as browser:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.problems = []
        page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        yield page
        context.close()


@pytest.fixture
def page(site):
    with browser_page() as page:
        yield page


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def shoot(page, name: str) -> None:
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 5_000


def sign_in(site, page):
    """Sign in through the page; it lands on the issue list, its live socket connected."""
    page.goto(f"{site.url}/")
    assert "/auth/login/" in page.url  # signed out: the sign-in page first
    page.fill("#email", site.owner.user.email)
    page.fill("#password", PASSWORD)
    page.click("#sign-in")
    page.wait_for_url(re.compile(rf"/organizations/{site.org}/issues/"))
    page.wait_for_selector("tr.issue-row")
    page.wait_for_selector("#live-status:text-is('live')")


def step_sign_in_lands_on_the_issue_list(site, page):
    sign_in(site, page)
    titles = page.locator("tr.issue-row td.title a").all_inner_texts()
    assert any("KeyError" in t for t in titles) and any("ZeroDivisionError" in t for t in titles)
    shoot(page, "issues")
    # Keyboard: the first row takes focus, arrow down moves to the second, Enter opens it.
    page.locator("tr.issue-row").first.focus()
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.dataset.issue")
    assert focused == page.locator("tr.issue-row").nth(1).get_attribute("data-issue")


def step_search_narrows_the_list(site, page):
    page.fill("#issue-search", "is:unresolved ZeroDivisionError")
    page.press("#issue-search", "Enter")
    expect(page.locator("tr.issue-row")).to_have_count(1)
    assert "ZeroDivisionError" in page.locator("tr.issue-row").inner_text()
    assert "query=is%3Aunresolved+ZeroDivisionError" in page.url
    shoot(page, "issues-search")


def step_issue_detail_shows_the_latest_event(site, page):
    page.click("tr.issue-row td.title a")
    page.wait_for_selector("#issue-title")
    assert "ZeroDivisionError" in page.inner_text("#issue-title")
    page.wait_for_selector(".exception .frame")
    assert "division by zero" in page.inner_text(".exc-value")
    assert page.locator(".frame.in-app").count() >= 1  # this test's own frame is in-app
    assert "send_errors" in page.inner_text(".frames")
    page.wait_for_selector(".context .current")  # context lines, the raising line marked
    assert "before ZeroDivisionError" in page.inner_text("body")  # breadcrumbs
    assert "ada@example.com" in page.inner_text("body")  # user
    page.wait_for_selector(".tag-key")
    assert "production" in page.inner_text(".side-col")  # the environment tag's top value
    shoot(page, "issue-detail")


def step_resolve_and_assign_from_the_detail_page(site, page):
    issue_id = site.issue_id("ZeroDivisionError")
    assert f"/issues/{issue_id}/" in page.url  # the permalink's path
    page.click("#resolve")
    page.wait_for_selector("#issue-status:text-is('resolved')")  # not a substring of 'unresolved'
    assert site.owner.api.get(f"/api/0/organizations/{site.org}/issues/{issue_id}/").json["status"] == "resolved"
    page.get_by_label("Assignee").select_option(f"user:{site.owner.user.id}")
    page.wait_for_selector(".activity li:has-text('assigned')")
    issue = site.owner.api.get(f"/api/0/organizations/{site.org}/issues/{issue_id}/").json
    assert issue["assignedTo"]["id"] == str(site.owner.user.id)
    shoot(page, "issue-resolved")


def step_dashboard_widgets(site, page):
    page.click("nav >> text=Dashboard")
    page.wait_for_selector("[data-widget='events-over-time'] canvas")
    page.wait_for_selector("[data-widget='top-issues'] li a")
    page.wait_for_selector("[data-widget='stats-outcomes'] table")  # the stats plugin's widget
    assert "accepted" in page.inner_text("[data-widget='stats-outcomes']")
    # Exact counts from Discover: the seeded two errors of web@1.0 and a warning of web@1.1.
    assert bars(page, "events-by-level") == [["error", "2"], ["warning", "1"]]
    assert bars(page, "events-by-release") == [["web@1.0", "2"], ["web@1.1", "1"]]
    shoot(page, "dashboard")


def bars(page, widget: str) -> list[list[str]]:
    """A bars widget's ``[label, count]`` rows, once it has drawn them."""
    rows = page.locator(f"[data-widget='{widget}'] ul.bars li")
    rows.first.wait_for()
    return rows.evaluate_all("items => items.map(li => [li.querySelector('.bar-label').textContent,"
                             " li.querySelector('.muted').textContent])")


def step_a_new_error_appears_live_in_the_open_issue_list(site, page):
    page.click("nav >> text=Issues")
    page.wait_for_selector("#live-status:text-is('live')")
    # The list may first show the cached page of an earlier visit: wait for the current one.
    before = len(site.owner.api.get(f"/api/0/organizations/{site.org}/issues/?query=is:unresolved").json)
    expect(page.locator("tr.issue-row")).to_have_count(before)
    send_errors(site.dsn, LookupError("arrived live"))
    page.wait_for_selector("tr.issue-row:has-text('arrived live')", timeout=30_000)
    expect(page.locator("tr.issue-row")).to_have_count(before + 1)
    shoot(page, "issues-live")


def step_bulk_ignore_with_the_keyboard(site, page):
    row = page.locator("tr.issue-row", has_text="arrived live")
    before = page.locator("tr.issue-row").count()
    row.focus()
    page.keyboard.press("x")  # select the focused row
    page.click(".bulk button:text-is('Ignore')")
    expect(page.locator("tr.issue-row")).to_have_count(before - 1)  # gone from "unresolved"
    ignored = site.owner.api.get(f"/api/0/organizations/{site.org}/issues/{site.issue_id('LookupError')}/")
    assert ignored.json["status"] == "ignored"


def step_projects_page_and_dsn(site, page):
    page.click("nav >> text=Projects")
    page.click("text=Storefront")
    page.wait_for_selector(".dsn-value")
    assert page.input_value(".dsn-value") == site.dsn
    assert "sentry_sdk.init" in page.inner_text(".snippet")
    shoot(page, "project-settings")


def test_the_web_ui_in_a_browser(site, page):
    """The steps in order, on one page (pytest-xdist may split a module's tests between its
    workers, so the steps that build on each other make one test)."""
    step_sign_in_lands_on_the_issue_list(site, page)
    step_search_narrows_the_list(site, page)
    step_issue_detail_shows_the_latest_event(site, page)
    step_resolve_and_assign_from_the_detail_page(site, page)
    step_dashboard_widgets(site, page)
    step_a_new_error_appears_live_in_the_open_issue_list(site, page)
    step_bulk_ignore_with_the_keyboard(site, page)
    step_projects_page_and_dsn(site, page)
    # Nothing refused by the Content-Security-Policy, no script error, on any page above.
    assert page.problems == []
