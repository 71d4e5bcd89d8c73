"""Security headers and CORS as Sentry sends them (and never a wildcard with credentials)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from sentryapi.probes import api_operations, fill

ORIGIN = "https://app.example"
#: Headers do not depend on the database: one backend is enough.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def routes(app):
    return sorted({rule for rule, _method, _cls in api_operations(app)})


def any_ids(**known) -> defaultdict:
    """URL arguments for any route: the ones given, "1" for every other."""
    return defaultdict(lambda: "1", known)


def assert_hardened(response, where):
    assert response.headers["X-Frame-Options"] == "deny", where
    assert response.headers["X-Content-Type-Options"] == "nosniff", where
    assert response.headers["X-XSS-Protection"] == "1; mode=block", where
    assert "Access-Control-Allow-Credentials" not in response.headers, where


@pytest.mark.parametrize("origin", [ORIGIN, None])
def test_every_api_answer_has_sentrys_headers(app, owner, origin):
    headers = {"Origin": origin} if origin else {}
    for rule in routes(app):
        path = fill(rule, any_ids(organization_id_or_slug=owner.org))
        response = owner.api.unchecked().get(path, headers=headers)
        assert_hardened(response, path)
        assert response.headers["Access-Control-Allow-Origin"] == (origin or "*"), path
        assert "Link" in response.headers["Access-Control-Expose-Headers"]
        assert "Authorization" in response.headers["Access-Control-Allow-Headers"]


def test_preflight_needs_no_token_and_lists_the_routes_methods(app, anonymous):
    for rule in routes(app):
        path = fill(rule, any_ids())
        response = anonymous.client.options(path, headers={
            "Origin": ORIGIN, "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization, content-type"})
        assert response.status_code == 200, path
        assert_hardened(response, path)
        assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
        assert response.headers["Access-Control-Max-Age"] == "3600"
        methods = set(response.headers["Access-Control-Allow-Methods"].split(", "))
        assert "OPTIONS" in methods and methods - {"OPTIONS", "HEAD"}, path


def test_errors_and_unknown_routes_are_hardened_too(anonymous):
    for path in ("/api/0/no-such-route/", "/api/0/organizations/"):
        response = anonymous.get(path, headers={"Origin": ORIGIN})
        assert response.status_code in (401, 404)
        assert_hardened(response, path)


def test_ingestion_allows_browser_sdks_without_credentials(app, anonymous):
    response = anonymous.client.options("/api/1/envelope/", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, x-sentry-auth"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "x-sentry-auth" in response.headers["Access-Control-Allow-Headers"]
    assert_hardened(response, "envelope preflight")
    refused = anonymous.client.post("/api/1/envelope/", data=b"{}\n", headers={"Origin": ORIGIN})
    assert refused.status_code in (400, 401, 403)
    assert refused.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert_hardened(refused, "envelope")


def test_sign_in_pages_keep_their_stricter_frame_policy(anonymous):
    response = anonymous.client.get("/auth/login/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
