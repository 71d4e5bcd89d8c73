"""The whole flow in a real browser: headless Chromium (Debian's package) driven by Playwright.

Sign in, approve on the consent page, land on the application's redirect URI (a local
HTTP receiver) with a code, exchange it with authlib's own OAuth2 client (PKCE S256),
then call the API with the token, refresh it and revoke it.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

from sentryapi.testing.browser import chromium

from .conftest import PASSWORD

pytestmark = pytest.mark.slow


class Receiver:
    """The third-party application's redirect URI: records what the browser brings back."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                received.append(self.path)
                body = b"<!doctype html><title>Acme</title><h1>Back at Acme</h1>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/callback"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def browser():
    with chromium() as launched:
        yield launched


def test_sign_in_approve_exchange_and_call_the_api(live_server, person, browser, tmp_path, capsys):
    base = live_server.url
    with Receiver() as receiver:
        created = person.api.post("/api/0/api-applications/", json={
            "name": "Acme Dashboard", "redirectUris": [receiver.url],
            "homepageUrl": "https://acme.example", "privacyUrl": "https://acme.example/privacy"})
        assert created.status_code == 201, created.json
        client = OAuth2Session(
            created.json["clientID"], created.json["clientSecret"], scope="org:read project:read",
            redirect_uri=receiver.url, code_challenge_method="S256",
        )
        verifier = generate_token(64)
        authorize_url, state = client.create_authorization_url(f"{base}/oauth/authorize/",
                                                               code_verifier=verifier)

        page = browser.new_context().new_page()
        page.set_default_timeout(20_000)
        page.goto(authorize_url)
        assert urlsplit(page.url).path == "/auth/login/"  # not signed in yet
        page.fill("#email", person.user.email)
        page.fill("#password", PASSWORD)
        page.click("#sign-in")
        page.wait_for_selector("#approve")
        assert urlsplit(page.url).path == "/oauth/authorize/"
        assert page.inner_text("#app-name") == "Acme Dashboard"
        scopes = page.inner_text("#scopes")
        assert "org:read" in scopes and "project:read" in scopes and "org:admin" not in scopes
        screenshot = tmp_path / "consent.png"
        page.screenshot(path=str(screenshot), full_page=True)
        assert screenshot.stat().st_size > 5_000
        with capsys.disabled():
            print(f"\nconsent page screenshot: {screenshot}")

        page.click("#approve")
        page.wait_for_url(f"{receiver.url}?*")
        assert page.inner_text("h1") == "Back at Acme"
        callback = page.url
        params = {k: v[0] for k, v in parse_qs(urlsplit(callback).query).items()}
        assert params["state"] == state and params["code"]
        assert receiver.received[0] == urlsplit(callback).path + "?" + urlsplit(callback).query

        token = client.fetch_token(f"{base}/oauth/token/", authorization_response=callback,
                                   code_verifier=verifier)
        assert token["token_type"] == "bearer" and token["scope"] == "org:read project:read"
        assert token["user"]["email"] == person.user.email

        me = client.get(f"{base}/api/0/")
        assert me.status_code == 200 and me.json()["user"]["email"] == person.user.email
        org = client.get(f"{base}/api/0/organizations/{person.organization.slug}/")
        assert org.status_code == 200
        assert sorted(org.json()["access"]) == ["org:read", "project:read"]
        assert client.get(f"{base}/api/0/organizations/{person.organization.slug}/members/").status_code == 403

        old = dict(token)
        renewed = client.refresh_token(f"{base}/oauth/token/")
        assert renewed["refresh_token"] != old["refresh_token"]
        assert client.get(f"{base}/api/0/").json()["user"] is not None
        revoked = client.revoke_token(f"{base}/oauth/revoke/", token=renewed["refresh_token"],
                                      token_type_hint="refresh_token")
        assert revoked.status_code == 200
        assert client.get(f"{base}/api/0/").status_code == 401

        # Denying is answered on the redirect URI too, with nothing issued.
        deny_url, deny_state = client.create_authorization_url(f"{base}/oauth/authorize/",
                                                               code_verifier=generate_token(64))
        page.goto(deny_url)
        page.click("#deny")
        page.wait_for_url(f"{receiver.url}?*")
        denied = parse_qs(urlsplit(page.url).query)
        assert denied["error"] == ["access_denied"] and denied["state"] == [deny_state]
        assert "code" not in denied


def test_a_wrong_redirect_uri_stays_on_an_error_page(live_server, person, browser):
    created = person.api.post("/api/0/api-applications/", json={
        "name": "Acme", "redirectUris": ["http://127.0.0.1:9/callback"]}).json
    client = OAuth2Session(created["clientID"], created["clientSecret"],
                           redirect_uri="http://127.0.0.1:9/elsewhere", code_challenge_method="S256")
    url, _ = client.create_authorization_url(f"{live_server.url}/oauth/authorize/",
                                             code_verifier=generate_token(64))
    page = browser.new_context().new_page()
    response = page.goto(url)
    assert response.status == 400 and urlsplit(page.url).netloc == urlsplit(live_server.url).netloc
    assert page.inner_text("#error-code") == "invalid_request"
