"""The web UI's live socket after a server restart: an open page (Debian's Chromium) loses
its socket when the server stops, reconnects by itself to the new server on the same port,
and hears an event the real sentry-sdk sends after the restart, without a reload."""

from __future__ import annotations

import secrets

import pytest
from sentryapi_events.testing import digest_now

from sentryapi.background import stop_background
from sentryapi.testing.apps import build_app
from sentryapi.testing.servers import serve

from .test_browser import Site, browser_page, send_errors, shoot, sign_in

pytestmark = pytest.mark.slow


def start(database_url: str, instance, **config):
    """A freshly built app, as a restarted process builds it (same database, key, files)."""
    from sentryapi.extensions import db

    app = build_app(database_url, instance, **config)
    with app.app_context():
        db.create_all()
    return app


def test_the_live_socket_reconnects_after_a_restart(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    config = {"SECRET_KEY": secrets.token_hex(16)}  # the deployment's key: sessions survive
    first = start(database_url, tmp_path / "instance", **config)
    with browser_page() as page:
        with serve(first, sever=True) as server:
            config["PUBLIC_URL"] = first.config["PUBLIC_URL"] = server.url
            site = Site(first, server)
            sign_in(site, page)
            page.evaluate("window.beforeRestart = true")  # gone if anything reloads the page
        stop_background(first)  # the old process's digest is gone with it
        page.wait_for_selector("#live-status:not(:text-is('live'))")
        second = start(database_url, tmp_path / "instance", **config)
        try:
            with serve(second, port=server.server_port, sever=True):
                page.wait_for_selector("#live-status:text-is('live')", timeout=15_000)
                send_errors(site.dsn, LookupError("sent after the restart"))
                digest_now(second)
                page.wait_for_selector("tr.issue-row:has-text('sent after the restart')", timeout=15_000)
                assert page.evaluate("window.beforeRestart") is True
                shoot(page, "issues-after-restart")
        finally:
            stop_background(second)
    # The only errors: the socket's refused attempts while no server listened.
    assert all("/ws/" in problem for problem in page.problems), page.problems
