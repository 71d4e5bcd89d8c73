"""User auth tokens and organization auth tokens: shown once, scoped, revocable."""

from sentryapi.auth.scopes import USER_TOKEN_SCOPES

TOKENS = "/api/0/api-tokens/"


def test_create_shows_the_token_once(owner, anonymous):
    r = owner.api.post(TOKENS, json={"scopes": ["org:read", "project:read"], "name": "ci"})
    assert r.status_code == 201, r.json
    token = r.json["token"]
    assert token.startswith("sntryu_") and r.json["tokenLastCharacters"] == token[-4:]
    assert r.json["scopes"] == ["org:read", "project:read"]
    listed = owner.api.get(TOKENS).json
    assert all("token" not in t for t in listed)
    detail = owner.api.get(f"{TOKENS}{r.json['id']}/").json
    assert "token" not in detail and detail["name"] == "ci"
    assert anonymous.as_(token).get("/api/0/organizations/").status_code == 200
    assert anonymous.as_(token).get(f"/api/0/organizations/{owner.org}/members/").status_code == 403


def test_no_scope_escalation(make_actor):
    limited = make_actor("owner", scopes=["org:read"])
    r = limited.api.post(TOKENS, json={"scopes": ["org:admin"]})
    assert r.status_code == 403
    assert limited.api.post(TOKENS, json={"scopes": ["org:read"]}).status_code == 201


def test_bad_token_input(owner):
    for body in ({}, {"scopes": []}, {"scopes": ["root"]}, {"scopes": "org:read"},
                 {"scopes": ["org:read"], "expiresAt": "2001-01-01T00:00:00Z"},
                 {"scopes": ["org:read"], "expiresAt": "tomorrow"}):
        r = owner.api.post(TOKENS, json=body)
        assert r.status_code == 400 and "detail" in r.json, body


def test_delete_by_body_and_by_path(owner):
    a = owner.api.post(TOKENS, json={"scopes": ["org:read"]}).json
    b = owner.api.post(TOKENS, json={"scopes": ["org:read"]}).json
    assert owner.api.delete(TOKENS, json={"tokenId": a["id"]}).status_code == 204
    assert owner.api.delete(f"{TOKENS}{b['id']}/").status_code == 204
    assert owner.api.delete(f"{TOKENS}{b['id']}/").status_code == 404
    ids = {t["id"] for t in owner.api.get(TOKENS).json}
    assert a["id"] not in ids and b["id"] not in ids


def test_tokens_of_other_users_are_invisible(owner, make_actor):
    other = make_actor("owner", organization=owner.organization)
    theirs = other.api.post(TOKENS, json={"scopes": ["org:read"]}).json
    assert owner.api.get(f"{TOKENS}{theirs['id']}/").status_code == 404
    assert owner.api.delete(f"{TOKENS}{theirs['id']}/").status_code == 404
    assert theirs["id"] not in {t["id"] for t in owner.api.get(TOKENS).json}


def test_rename_and_expiry(owner, anonymous):
    created = owner.api.post(TOKENS, json={"scopes": ["org:read"], "expiresAt": "2999-01-01T00:00:00Z"}).json
    assert created["expiresAt"] == "2999-01-01T00:00:00Z"
    r = owner.api.put(f"{TOKENS}{created['id']}/", json={"name": "renamed"})
    assert r.json["name"] == "renamed"


def test_org_tokens_lifecycle(owner, make_actor, anonymous):
    base = f"/api/0/organizations/{owner.org}/org-auth-tokens/"
    created = owner.api.post(base, json={"name": "deploys"}).json
    assert [t["name"] for t in owner.api.get(base).json] == ["deploys"]
    assert "token" not in owner.api.get(f"{base}{created['id']}/").json
    ci = anonymous.as_(created["token"])
    assert ci.get("/api/0/api-tokens/").status_code == 403  # no user behind it
    assert ci.post(base, json={"name": "x"}).status_code == 403
    member = make_actor("member", organization=owner.organization)
    assert member.api.delete(f"{base}{created['id']}/").status_code == 403
    assert owner.api.put(f"{base}{created['id']}/", json={"name": "renamed"}).json["name"] == "renamed"
    assert owner.api.delete(f"{base}{created['id']}/").status_code == 204
    # A revoked token is refused even where no credentials are needed, as Sentry does.
    assert ci.get("/api/0/").status_code == 401
    assert ci.get("/api/0/organizations/").status_code == 401




def test_user_token_scopes_cover_the_owner_role():
    assert "org:admin" in USER_TOKEN_SCOPES and "org:ci" not in USER_TOKEN_SCOPES
