"""The authorization-code flow through the Flask test client: consent, code, token, API."""

from sentryapi.auth.scopes import ROLES

from .conftest import query_of


def test_code_for_token_then_the_api(signed_in, anonymous):
    flow, person, app = signed_in
    body = flow.tokens(app, "org:read project:read")
    assert list(body) == ["access_token", "refresh_token", "expires_in", "expires_at",
                          "token_type", "scope", "user"]
    assert body["token_type"] == "bearer" and body["scope"] == "org:read project:read"
    assert body["access_token"].startswith("sntryu_") and body["expires_in"] == 30 * 24 * 3600
    assert body["expires_at"].endswith("Z")
    assert body["user"] == {"id": str(person.user.id), "name": "Jane Doe", "email": person.user.email}
    api = anonymous.as_(body["access_token"])
    index = api.get("/api/0/").json
    assert sorted(index["auth"]["scopes"]) == ["org:read", "project:read"]
    assert index["user"]["id"] == str(person.user.id)
    assert api.get(f"/api/0/organizations/{person.organization.slug}/").status_code == 200
    # Approved scopes only: no member management without member:read.
    assert api.get(f"/api/0/organizations/{person.organization.slug}/members/").status_code == 403


def test_scopes_are_intersected_with_the_role(make_person, flow, register, anonymous):
    owner = make_person("owner")
    member = make_person("member", organization=owner.organization)
    app = register(owner)
    assert flow.sign_in(member.user.email).status_code == 302
    body = flow.tokens(app, "org:read member:read")
    organization = anonymous.as_(body["access_token"]).get(
        f"/api/0/organizations/{owner.organization.slug}/").json
    assert sorted(organization["access"]) == ["member:read", "org:read"]
    assert set(organization["access"]) <= ROLES["member"].scopes


def test_sign_in_first_then_back_to_the_request(flow, person, register):
    app = register(person)
    url = flow.authorize_url(app, challenge="a" * 43)
    answer = flow.client.get(url)
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/auth/login/?next=")
    signed = flow.sign_in(person.user.email)
    assert signed.status_code == 302
    page = flow.client.get(url)
    assert page.status_code == 200
    assert "Acme Dashboard" in page.text and "org:read" in page.text
    assert page.headers["X-Frame-Options"] == "DENY" and page.headers["Cache-Control"] == "no-store"


def test_deny_redirects_with_access_denied(signed_in, db_session):
    flow, _, app = signed_in
    answer = flow.decide(flow.authorize_url(app, challenge="b" * 43), op="deny")
    assert answer.status_code == 302
    params = query_of(answer.headers["Location"])
    assert params["error"] == "access_denied" and params["state"] == "xyz" and "code" not in params
    from sentryapi.auth.applications import ApiAuthorization, ApiGrant

    assert db_session.query(ApiGrant).count() == 0
    assert db_session.query(ApiAuthorization).count() == 0


def test_consent_needs_the_csrf_token(signed_in, db_session):
    flow, _, app = signed_in
    url = flow.authorize_url(app, challenge="c" * 43)
    flow.client.get(url)
    answer = flow.client.post(url, data={"op": "approve"})
    assert answer.status_code == 400 and "Location" not in answer.headers
    answer = flow.client.post(url, data={"op": "approve", "csrf_token": "forged"})
    assert answer.status_code == 400
    from sentryapi.auth.applications import ApiGrant

    assert db_session.query(ApiGrant).count() == 0


def test_a_request_without_scope_gets_an_identity_only_token(signed_in, anonymous):
    flow, person, app = signed_in
    body = flow.tokens(app, scope=None)
    assert body["scope"] == "" and body["user"]["email"] == person.user.email
    api = anonymous.as_(body["access_token"])
    assert api.get("/api/0/").json["user"]["email"] == person.user.email
    assert api.get(f"/api/0/organizations/{person.organization.slug}/").status_code == 403
