"""Bearer authentication, token formats and storage, scopes intersected with roles."""

import base64
import datetime as dt
import json

from sqlalchemy import text

from sentryapi.auth.tokens import hash_token

ORGS = "/api/0/organizations/"


def test_missing_credentials_is_401_with_detail(anonymous):
    r = anonymous.get(ORGS)
    assert r.status_code == 401
    assert r.json == {"detail": "Authentication credentials were not provided."}
    assert r.headers["WWW-Authenticate"] == 'xBasic realm="api"'


def test_unknown_token_is_401(anonymous):
    r = anonymous.get(ORGS, headers={"Authorization": "Bearer sntryu_" + "0" * 64})
    assert r.status_code == 401
    assert r.json == {"detail": "Invalid token"}


def test_token_with_spaces_and_other_schemes(anonymous):
    r = anonymous.get(ORGS, headers={"Authorization": "Bearer abc def"})
    assert (r.status_code, r.json["detail"]) == (401, "Invalid token header. Token string should not contain spaces.")
    r = anonymous.get(ORGS, headers={"Authorization": "Basic Zm9vOg=="})
    assert (r.status_code, r.json["detail"]) == (401, "Invalid token header. No credentials provided.")
    r = anonymous.get(ORGS, headers={"Authorization": "Bearer"})
    assert r.status_code == 401


def test_bearer_scheme_is_case_insensitive(owner, anonymous):
    r = anonymous.get(ORGS, headers={"Authorization": f"bearer {owner.token}"})
    assert r.status_code == 200


def test_expired_token(owner, make_token, anonymous):
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    token = make_token(owner.user, expires_at=past)
    r = anonymous.as_(token).get(ORGS)
    assert (r.status_code, r.json) == (401, {"detail": "Token expired"})


def test_revoked_token_fails_on_the_next_request(owner):
    tokens = owner.api.get("/api/0/api-tokens/").json
    assert owner.api.get(ORGS).status_code == 200
    assert owner.api.delete(f"/api/0/api-tokens/{tokens[0]['id']}/").status_code == 204
    assert owner.api.get(ORGS).status_code == 401


def test_inactive_user_is_refused(owner, db_session):
    from sentryapi.auth.models import User

    db_session.get(User, owner.user.id).is_active = False
    db_session.commit()
    assert owner.api.get(ORGS).status_code == 401


def test_index_shows_who_is_calling(owner, anonymous):
    body = owner.api.get("/api/0/").json
    assert body["version"] == "0"
    assert body["user"]["email"] == owner.user.email
    assert "org:admin" in body["auth"]["scopes"]


def test_token_scopes_are_intersected_with_the_role(make_actor, owner):
    member = make_actor("member", organization=owner.organization)
    # A member's token carries every scope, but the member role has no org:write.
    r = member.api.put(f"/api/0/organizations/{owner.org}/", json={"name": "Nope"})
    assert r.status_code == 403
    assert r.json == {"detail": "You do not have permission to perform this action."}
    assert owner.api.put(f"/api/0/organizations/{owner.org}/", json={"name": "Yes"}).status_code == 200


def test_a_token_without_the_scope_is_403(make_actor):
    actor = make_actor("owner", scopes=["member:read"])
    r = actor.api.get(f"/api/0/organizations/{actor.org}/")
    assert r.status_code == 403
    assert actor.api.get(f"/api/0/organizations/{actor.org}/members/").status_code == 200


def test_plaintext_tokens_are_never_stored(app, make_user, make_token, db_session):
    user = make_user()
    issued = [make_token(user, ["org:read"]) for _ in range(50)]
    dump = []
    for table in ("api_token", "sentry_user"):
        for row in db_session.execute(text(f"SELECT * FROM {table}")):
            dump.extend(str(value) for value in row)
    blob = "\n".join(dump)
    assert not any(token in blob for token in issued)
    assert not any(token[7:] in blob for token in issued)  # not even without the prefix
    assert hash_token(issued[0]) in blob


def test_user_token_format(make_user, make_token):
    token = make_token(make_user(), ["org:read"])
    assert token.startswith("sntryu_") and len(token) == 7 + 64
    int(token[7:], 16)


def test_org_token_embeds_our_url_and_org(owner):
    r = owner.api.post(f"/api/0/organizations/{owner.org}/org-auth-tokens/", json={"name": "ci"})
    assert r.status_code == 201, r.json
    token = r.json["token"]
    assert token.startswith("sntrys_") and token.count("_") == 2
    payload = json.loads(base64.b64decode(token.split("_")[1]))
    assert payload["url"] == "http://testserver.example"
    assert payload["region_url"] == "http://testserver.example"
    assert payload["org"] == owner.org
    assert r.json["scopes"] == ["org:ci"]


def test_org_token_sees_only_its_organization(owner, make_actor, anonymous):
    other = make_actor("owner")
    token = owner.api.post(f"/api/0/organizations/{owner.org}/org-auth-tokens/", json={"name": "ci"}).json["token"]
    ci = anonymous.as_(token)
    assert [o["slug"] for o in ci.get(ORGS).json] == [owner.org]
    assert ci.get(f"/api/0/organizations/{owner.org}/").status_code == 200
    missing = ci.get("/api/0/organizations/does-not-exist/")
    foreign = ci.get(f"/api/0/organizations/{other.org}/")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json == missing.json
    index = ci.get("/api/0/").json
    assert index["user"] is None and index["auth"]["scopes"] == ["org:ci"]
    # org:ci implies org:read but not member management.
    assert ci.get(f"/api/0/organizations/{owner.org}/members/").status_code == 403
