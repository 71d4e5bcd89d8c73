"""Bad input at the authorization and token endpoints: RFC 6749 errors, nothing issued."""

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from sentryapi.auth.applications import ApiGrant
from sentryapi.auth.models import ApiToken

from .conftest import Registered, pkce_pair, query_of


def oauth_tokens(app) -> int:
    from sentryapi.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.kind == "oauth"))


def test_unknown_client_gets_an_error_page_not_a_redirect(app, signed_in):
    flow, _, registered = signed_in
    stranger = Registered("f" * 64, "secret", registered.redirect_uri)
    answer = flow.client.get(flow.authorize_url(stranger, challenge="a" * 43))
    assert answer.status_code == 400 and "Location" not in answer.headers
    assert 'id="error-code">invalid_client<' in answer.text
    answer = flow.exchange(stranger, "whatever", "v" * 43)
    assert answer.status_code == 401 and answer.json["error"] == "invalid_client"
    assert oauth_tokens(app) == 0


def test_unregistered_redirect_uri_gets_an_error_page(app, signed_in):
    flow, _, registered = signed_in
    for uri in ("http://evil.example/callback", registered.redirect_uri + "/more",
                registered.redirect_uri + "?x=1", "http://127.0.0.1:8765/"):
        bad = Registered(registered.client_id, registered.secret, uri)
        answer = flow.client.get(flow.authorize_url(bad, challenge="a" * 43))
        assert answer.status_code == 400 and "Location" not in answer.headers, uri
        assert 'id="error-code">invalid_request<' in answer.text
        assert flow.client.post(flow.authorize_url(bad, challenge="a" * 43),
                                data={"op": "approve"}).status_code == 400
    assert oauth_tokens(app) == 0


def test_redirect_uri_must_match_at_the_token_endpoint(app, make_person, flow, register):
    person = make_person()
    registered = register(person, redirect_uri="http://127.0.0.1:8765/a")
    person.api.put(f"/api/0/api-applications/{registered.client_id}/",
                   json={"redirectUris": ["http://127.0.0.1:8765/a", "http://127.0.0.1:8765/b"]})
    flow.sign_in(person.user.email)
    code, verifier = flow.code(registered)
    other = Registered(registered.client_id, registered.secret, "http://127.0.0.1:8765/b")
    answer = flow.exchange(other, code, verifier)
    assert answer.status_code == 400 and answer.json["error"] == "invalid_grant"
    assert oauth_tokens(app) == 0


@pytest.mark.parametrize("challenge, method", [
    (None, None), (None, "S256"), ("a" * 43, "plain"), ("a" * 43, None), ("short", "S256"),
])
def test_pkce_is_required_with_s256(app, signed_in, challenge, method):
    flow, _, registered = signed_in
    answer = flow.client.get(flow.authorize_url(registered, challenge=challenge, method=method))
    assert answer.status_code == 302
    params = query_of(answer.headers["Location"])
    assert params["error"] == "invalid_request" and params["state"] == "xyz" and "code" not in params


def test_wrong_or_missing_pkce_verifier(app, signed_in):
    flow, _, registered = signed_in
    code, verifier = flow.code(registered)
    answer = flow.token(registered, grant_type="authorization_code", code=code,
                        redirect_uri=registered.redirect_uri)
    assert answer.status_code == 400 and answer.json["error"] == "invalid_request"
    code, verifier = flow.code(registered)
    wrong, _ = pkce_pair()
    answer = flow.exchange(registered, code, wrong)
    assert answer.status_code == 400 and answer.json["error"] == "invalid_grant"
    # The code is burnt: the right verifier no longer helps whoever raced for it.
    assert flow.exchange(registered, code, verifier).json["error"] == "invalid_grant"
    assert oauth_tokens(app) == 0


def test_a_reused_code_is_refused_and_revokes_what_it_issued(app, signed_in, anonymous):
    flow, _, registered = signed_in
    code, verifier = flow.code(registered)
    first = flow.exchange(registered, code, verifier)
    assert first.status_code == 200
    again = flow.exchange(registered, code, verifier)
    assert again.status_code == 400 and again.json["error"] == "invalid_grant"
    assert anonymous.as_(first.json["access_token"]).get("/api/0/").status_code == 401
    refreshed = flow.token(registered, grant_type="refresh_token", refresh_token=first.json["refresh_token"])
    assert refreshed.json["error"] == "invalid_grant"
    assert oauth_tokens(app) == 0


def test_an_expired_code_is_refused(app, signed_in, db_session):
    flow, _, registered = signed_in
    code, verifier = flow.code(registered)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db_session.execute(update(ApiGrant).values(expires_at=past))
    db_session.commit()
    answer = flow.exchange(registered, code, verifier)
    assert answer.status_code == 400 and answer.json["error"] == "invalid_grant"
    assert oauth_tokens(app) == 0


def test_a_code_belongs_to_its_client(app, make_person, flow, register):
    person = make_person()
    mine, theirs = register(person), register(person)
    flow.sign_in(person.user.email)
    code, verifier = flow.code(mine)
    answer = flow.exchange(theirs, code, verifier)
    assert answer.status_code == 400 and answer.json["error"] == "invalid_grant"
    assert flow.exchange(mine, code, verifier).status_code == 200


def test_client_authentication(app, signed_in):
    flow, person, registered = signed_in
    code, verifier = flow.code(registered)
    answer = flow.token(registered, "wrong-secret", grant_type="authorization_code", code=code,
                        code_verifier=verifier, redirect_uri=registered.redirect_uri)
    assert answer.status_code == 401 and answer.json["error"] == "invalid_client"
    rotated = person.api.post(f"/api/0/api-applications/{registered.client_id}/rotate-secret/").json
    answer = flow.exchange(registered, code, verifier)
    assert answer.json["error"] == "invalid_client"
    # client_secret_post works as well as HTTP Basic.
    answer = flow.client.post("/oauth/token/", data={
        "grant_type": "authorization_code", "code": code, "code_verifier": verifier,
        "redirect_uri": registered.redirect_uri, "client_id": registered.client_id,
        "client_secret": rotated["clientSecret"]})
    assert answer.status_code == 200, answer.json


def test_scope_beyond_the_role_is_refused(app, make_person, flow, register, db_session):
    owner = make_person("owner")
    member = make_person("member", organization=owner.organization)
    registered = register(owner)
    flow.sign_in(member.user.email)
    for scope in ("org:read org:admin", "member:write", "org:ci", "root", "org:read  project:nope"):
        answer = flow.client.get(flow.authorize_url(registered, scope, challenge="a" * 43))
        assert answer.status_code == 302, scope
        params = query_of(answer.headers["Location"])
        assert params["error"] == "invalid_scope" and "code" not in params, scope
        page = flow.client.post(flow.authorize_url(registered, scope, challenge="a" * 43),
                                data={"op": "approve", "csrf_token": "x"})
        assert page.status_code == 302 and "code=" not in page.headers["Location"]
    assert db_session.query(ApiGrant).count() == 0
    assert oauth_tokens(app) == 0


def test_refresh_cannot_widen_the_scope(app, signed_in, anonymous):
    flow, _, registered = signed_in
    body = flow.tokens(registered, "org:read project:read")
    wider = flow.token(registered, grant_type="refresh_token", refresh_token=body["refresh_token"],
                       scope="org:read project:read org:admin")
    assert wider.status_code == 400 and wider.json["error"] == "invalid_scope"
    narrower = flow.token(registered, grant_type="refresh_token", refresh_token=body["refresh_token"],
                          scope="org:read")
    assert narrower.status_code == 200 and narrower.json["scope"] == "org:read"
    assert anonymous.as_(narrower.json["access_token"]).get("/api/0/").json["auth"]["scopes"] == ["org:read"]


@pytest.mark.parametrize("grant_type", ["password", "client_credentials", "implicit", ""])
def test_unsupported_grant_types(app, signed_in, grant_type):
    flow, _, registered = signed_in
    answer = flow.token(registered, grant_type=grant_type, username="a", password="b")
    assert answer.status_code == 400 and answer.json["error"] == "unsupported_grant_type"
    assert oauth_tokens(app) == 0


def test_only_the_code_response_type(app, signed_in):
    flow, _, registered = signed_in
    url = flow.authorize_url(registered, challenge="a" * 43, response_type="token")
    answer = flow.client.get(url.replace("response_type=code&", ""))
    assert query_of(answer.headers["Location"])["error"] == "unsupported_response_type"
