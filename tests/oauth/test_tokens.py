"""OAuth tokens after issue: expiry, rotating refresh tokens, revocation (RFC 7009)."""

import base64
import datetime as dt

from sqlalchemy import update

from sentryapi.auth.models import ApiToken, User


def refresh(flow, registered, refresh_token, **extra):
    return flow.token(registered, grant_type="refresh_token", refresh_token=refresh_token, **extra)


def test_refresh_tokens_rotate(signed_in, anonymous):
    flow, _, registered = signed_in
    first = flow.tokens(registered)
    second = refresh(flow, registered, first["refresh_token"])
    assert second.status_code == 200, second.json
    second = second.json
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert second["scope"] == "org:read" and second["user"] == first["user"]
    # The old pair is gone at once; the new one works.
    assert anonymous.as_(first["access_token"]).get("/api/0/").status_code == 401
    assert refresh(flow, registered, first["refresh_token"]).json["error"] == "invalid_grant"
    assert anonymous.as_(second["access_token"]).get("/api/0/").json["auth"]["scopes"] == ["org:read"]
    # A refresh token is not an access token, and the other way round.
    assert anonymous.as_(second["refresh_token"]).get("/api/0/").status_code == 401
    assert refresh(flow, registered, second["access_token"]).json["error"] == "invalid_grant"


def test_access_tokens_expire_and_refresh_revives(signed_in, anonymous, db_session):
    flow, person, registered = signed_in
    body = flow.tokens(registered)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db_session.execute(update(ApiToken).where(ApiToken.kind == "oauth").values(expires_at=past))
    db_session.commit()
    expired = anonymous.as_(body["access_token"]).get(f"/api/0/organizations/{person.organization.slug}/")
    assert expired.status_code == 401 and expired.json["detail"] == "Token expired"
    renewed = refresh(flow, registered, body["refresh_token"])
    assert renewed.status_code == 200
    assert anonymous.as_(renewed.json["access_token"]).get(
        f"/api/0/organizations/{person.organization.slug}/").status_code == 200


def test_the_lifetime_is_a_setting(signed_in, app):
    flow, _, registered = signed_in
    app.config["OAUTH_ACCESS_TOKEN_LIFETIME"] = 3600
    try:
        body = flow.tokens(registered)
    finally:
        app.config["OAUTH_ACCESS_TOKEN_LIFETIME"] = 30 * 24 * 3600
    assert body["expires_in"] == 3600
    expires_at = dt.datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
    left = expires_at - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=58) < left <= dt.timedelta(hours=1)


def test_revocation_endpoint(signed_in, anonymous):
    flow, _, registered = signed_in
    for token_key, hint in (("access_token", None), ("refresh_token", "refresh_token"),
                            ("refresh_token", "access_token")):
        body = flow.tokens(registered)
        form = {"token": body[token_key], **({"token_type_hint": hint} if hint else {})}
        answer = flow.client.post("/oauth/revoke/", data=form, headers=basic(registered))
        assert answer.status_code == 200 and answer.json == {}
        assert anonymous.as_(body["access_token"]).get("/api/0/").status_code == 401
        assert refresh(flow, registered, body["refresh_token"]).json["error"] == "invalid_grant"
    # Unknown tokens are fine (RFC 7009 §2.2); a bad request or client is not.
    assert flow.client.post("/oauth/revoke/", data={"token": "nope"},
                            headers=basic(registered)).status_code == 200
    missing = flow.client.post("/oauth/revoke/", data={}, headers=basic(registered))
    assert missing.status_code == 400 and missing.json["error"] == "invalid_request"
    anonymous_client = flow.client.post("/oauth/revoke/", data={"token": "nope"})
    assert anonymous_client.status_code == 401 and anonymous_client.json["error"] == "invalid_client"


def test_a_client_cannot_revoke_another_clients_token(make_person, flow, register, anonymous):
    person = make_person()
    mine, theirs = register(person), register(person)
    flow.sign_in(person.user.email)
    body = flow.tokens(mine)
    answer = flow.client.post("/oauth/revoke/", data={"token": body["access_token"]},
                              headers=basic(theirs))
    assert answer.status_code == 400
    assert anonymous.as_(body["access_token"]).get("/api/0/").status_code == 200


def test_a_deactivated_user_is_locked_out(signed_in, anonymous, db_session):
    flow, person, registered = signed_in
    body = flow.tokens(registered)
    db_session.execute(update(User).where(User.id == person.user.id).values(is_active=False))
    db_session.commit()
    assert anonymous.as_(body["access_token"]).get("/api/0/").status_code == 401
    assert refresh(flow, registered, body["refresh_token"]).json["error"] == "invalid_grant"


def test_oauth_tokens_cannot_manage_credentials(signed_in, anonymous):
    """An application must not mint tokens that would outlive its authorization."""
    flow, person, registered = signed_in
    body = flow.tokens(registered, "org:read org:write org:admin")
    api = anonymous.as_(body["access_token"])
    org = person.organization.slug
    for method, path, payload in (
        ("GET", "/api/0/api-tokens/", None),
        ("POST", "/api/0/api-tokens/", {"scopes": ["org:read"]}),
        ("GET", "/api/0/api-applications/", None),
        ("POST", "/api/0/api-applications/", {"name": "x"}),
        ("GET", "/api/0/api-authorizations/", None),
        ("DELETE", "/api/0/api-authorizations/", {"authorization": 1}),
        ("POST", f"/api/0/organizations/{org}/org-auth-tokens/", {"name": "ci"}),
    ):
        answer = api.request(method, path, json=payload)
        assert answer.status_code == 403, (method, path, answer.json)
        assert answer.json["detail"] == "This endpoint requires a user auth token."
    # Its own scopes still work.
    assert api.get(f"/api/0/organizations/{org}/").status_code == 200


def basic(registered) -> dict:
    raw = f"{registered.client_id}:{registered.secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}
