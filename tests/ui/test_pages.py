"""The web app's pages: where they are served, their headers, and the bootstrap they read."""

from __future__ import annotations

from sentryapi.ui.pages import STATIC

HTML = {"Accept": "text/html"}


def test_root_sends_a_signed_out_browser_to_sign_in_and_json_clients_to_the_index(app):
    client = app.test_client()
    answer = client.get("/", headers=HTML)
    assert answer.status_code == 302 and answer.location == "/auth/login/?next=/"
    assert client.get("/", headers={"Accept": "application/json"}).json["api"] == "/api/0/"
    permalink = client.get("/organizations/acme/issues/12/?x=1")
    assert permalink.status_code == 302
    assert permalink.location == "/auth/login/?next=/organizations/acme/issues/12/?x%3D1"


def test_without_the_web_app_a_browser_is_sent_to_the_docs_page(tmp_path):
    from sentryapi.background import stop_background
    from sentryapi.testing.apps import build_app

    app = build_app(f"sqlite:///{tmp_path}/db.sqlite", tmp_path, DISABLED_PLUGINS=["ui"])
    try:
        answer = app.test_client().get("/", headers=HTML)
        assert answer.status_code == 302 and answer.location == "/api/docs/"
        assert app.test_client().get("/organizations/acme/").status_code == 404
    finally:
        stop_background(app)


def test_the_app_is_served_at_root_and_at_the_permalinks_with_a_strict_policy(browser_user):
    client, _, _, organization = browser_user
    for path in ("/", f"/organizations/{organization.slug}/", f"/organizations/{organization.slug}/issues/7/"):
        answer = client.get(path, headers=HTML)
        assert answer.status_code == 200, path
        assert answer.mimetype == "text/html" and '<div id="root">' in answer.text
        policy = answer.headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy and "connect-src 'self' ws://localhost" in policy
        assert answer.headers["Cache-Control"] == "no-store"
        assert answer.headers["X-Frame-Options"] == "DENY"
    index = client.get("/", headers=HTML).text
    script = next(line for line in index.splitlines() if "<script" in line)
    asset = script.split('src="')[1].split('"')[0]
    assert asset.startswith("/ui/assets/") and "<script>" not in index
    served = client.get(asset)
    assert served.status_code == 200 and served.mimetype == "text/javascript"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_the_api_docs_and_sign_in_are_not_shadowed(browser_user):
    client, _, user, organization = browser_user
    assert client.get("/api/0/organizations/").json[0]["slug"] == organization.slug
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/auth/login/").status_code == 200
    assert client.get("/api/0/organizations/nope/").status_code == 404  # JSON 404, not the app
    assert client.get("/ui/assets/missing.js").status_code == 404


def test_bootstrap_names_the_user_the_csrf_token_and_the_plugin_widgets(app, browser_user):
    client, csrf, user, _ = browser_user
    assert app.test_client().get("/ui/bootstrap.json").status_code == 401
    body = client.get("/ui/bootstrap.json").json
    assert body["user"]["email"] == user.email and body["csrfToken"] == csrf
    assert "Access-Control-Allow-Origin" not in client.get("/ui/bootstrap.json").headers
    widgets = {w["id"]: w for w in body["widgets"]}
    assert widgets["stats-outcomes"]["title"] == "Stats outcomes"
    module = client.get(widgets["stats-outcomes"]["url"])
    assert module.status_code == 200 and module.mimetype == "text/javascript"
    assert "export function render" in module.text
    assert client.get("/ui/widgets/nope.js").status_code == 404


def test_the_committed_index_loads_nothing_from_elsewhere():
    with open(f"{STATIC}/index.html", encoding="utf-8") as page:
        html = page.read()
    assert "http://" not in html and "https://" not in html and "<script>" not in html
