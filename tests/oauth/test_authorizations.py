"""/api/0/api-authorizations/: the applications a user approved, and revoking one."""

AUTHORIZATIONS = "/api/0/api-authorizations/"


def test_list_shows_the_approved_application(signed_in):
    flow, person, registered = signed_in
    flow.tokens(registered, "org:read")
    flow.tokens(registered, "project:read")
    listed = person.api.get(AUTHORIZATIONS)
    assert listed.status_code == 200 and len(listed.json) == 1
    item = listed.json[0]
    assert set(item) == {"id", "scopes", "application", "dateCreated"}
    assert item["scopes"] == ["org:read", "project:read"]  # what was approved so far
    assert item["application"]["clientID"] == registered.client_id
    assert item["application"]["clientSecret"] is None
    assert item["dateCreated"].endswith("Z")


def test_revoking_kills_the_tokens_at_once(signed_in, anonymous):
    flow, person, registered = signed_in
    body = flow.tokens(registered)
    pending_code, verifier = flow.code(registered)
    api = anonymous.as_(body["access_token"])
    assert api.get("/api/0/").status_code == 200
    authorization = person.api.get(AUTHORIZATIONS).json[0]["id"]
    assert person.api.delete(AUTHORIZATIONS, json={"authorization": authorization}).status_code == 204
    assert api.get("/api/0/").status_code == 401
    refreshed = flow.token(registered, grant_type="refresh_token", refresh_token=body["refresh_token"])
    assert refreshed.status_code == 400 and refreshed.json["error"] == "invalid_grant"
    exchanged = flow.exchange(registered, pending_code, verifier)
    assert exchanged.status_code == 400 and exchanged.json["error"] == "invalid_grant"
    assert person.api.get(AUTHORIZATIONS).json == []
    # The user can authorize the application again.
    assert anonymous.as_(flow.tokens(registered)["access_token"]).get("/api/0/").status_code == 200


def test_deleting_the_application_revokes_everything(signed_in, anonymous):
    flow, person, registered = signed_in
    body = flow.tokens(registered)
    assert person.api.delete(f"/api/0/api-applications/{registered.client_id}/").status_code == 204
    assert anonymous.as_(body["access_token"]).get("/api/0/").status_code == 401
    refreshed = flow.token(registered, grant_type="refresh_token", refresh_token=body["refresh_token"])
    assert refreshed.status_code == 401 and refreshed.json["error"] == "invalid_client"
    assert person.api.get(AUTHORIZATIONS).json == []


def test_bad_revocations(signed_in, make_person):
    flow, person, registered = signed_in
    flow.tokens(registered)
    mine = person.api.get(AUTHORIZATIONS).json[0]["id"]
    other = make_person()
    for body in ({}, {"authorization": "abc"}, {"authorization": 0}, {"authorization": 10**30}):
        answer = person.api.delete(AUTHORIZATIONS, json=body)
        assert answer.status_code == 400 and "authorization" in answer.json, body
    assert person.api.delete(AUTHORIZATIONS, json={"authorization": 999999}).status_code == 404
    # Another user cannot revoke it: the same 404 as a missing one.
    assert other.api.delete(AUTHORIZATIONS, json={"authorization": int(mine)}).status_code == 404
    assert other.api.get(AUTHORIZATIONS).json == []
    assert len(person.api.get(AUTHORIZATIONS).json) == 1


def test_list_filters_by_application_name_and_sorts(signed_in):
    from sentryapi.testing import walk_sorted

    flow, person, registered = signed_in
    flow.tokens(registered, "org:read")
    name = person.api.get(AUTHORIZATIONS).json[0]["application"]["name"]
    assert len(person.api.get(f"{AUTHORIZATIONS}?query={name.upper()}").json) == 1
    assert person.api.get(f"{AUTHORIZATIONS}?query=no-such-application").json == []
    walk_sorted(person.api, AUTHORIZATIONS, "dateCreated", key=lambda a: a["dateCreated"])
    assert person.api.get(f"{AUTHORIZATIONS}?sort=name").status_code == 400
