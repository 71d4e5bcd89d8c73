"""Organization members: list, invite, roles, removal, last-owner protection."""

MEMBERS = "/api/0/organizations/{organization_id_or_slug}/members/"
MEMBER = "/api/0/organizations/{organization_id_or_slug}/members/{member_id}/"


def url(actor, member_id=None):
    base = f"/api/0/organizations/{actor.org}/members/"
    return base if member_id is None else f"{base}{member_id}/"


def test_list_and_detail_match_sentry(owner, make_actor, sentry_conforms):
    make_actor("member", organization=owner.organization)
    r = owner.api.get(url(owner))
    assert r.status_code == 200 and len(r.json) == 2
    assert sentry_conforms("GET", MEMBERS, 200, r.json) == []
    detail = owner.api.get(url(owner, r.json[0]["id"]))
    assert detail.status_code == 200
    assert sentry_conforms("GET", MEMBER, 200, detail.json) == []
    assert detail.json["isOnlyOwner"] is True
    me = owner.api.get(url(owner, "me")).json
    assert me["email"] == owner.user.email


def test_add_existing_user_and_pending_invite(owner, make_user, sentry_conforms):
    existing = make_user("someone@example.com")
    r = owner.api.post(url(owner), json={"email": "Someone@example.com", "orgRole": "admin"})
    assert r.status_code == 201, r.json
    assert sentry_conforms("POST", MEMBERS, 201, r.json) == []
    assert r.json["pending"] is False and r.json["user"]["id"] == str(existing.id)
    assert r.json["orgRole"] == "admin"
    invite = owner.api.post(url(owner), json={"email": "later@example.com"})
    assert invite.status_code == 201
    assert invite.json["pending"] is True and invite.json["user"] is None
    assert invite.json["orgRole"] == "member"
    # The invitation becomes a membership when that user is created.
    later = make_user("later@example.com")
    detail = owner.api.get(url(owner, invite.json["id"])).json
    assert detail["pending"] is False and detail["user"]["id"] == str(later.id)


def test_add_duplicate_and_bad_input(owner):
    assert owner.api.post(url(owner), json={"email": owner.user.email}).status_code == 409
    owner.api.post(url(owner), json={"email": "x@example.com"})
    assert owner.api.post(url(owner), json={"email": "x@example.com"}).status_code == 409
    for body in ({}, {"email": "not-an-email"}, {"email": "y@example.com", "orgRole": "god"},
                 {"email": ["y@example.com"]}):
        r = owner.api.post(url(owner), json=body)
        assert r.status_code == 400 and "detail" in r.json, body
    assert len(owner.api.get(url(owner)).json) == 2


def test_cannot_grant_a_role_above_your_own(owner, make_actor):
    manager = make_actor("manager", organization=owner.organization)
    r = manager.api.post(url(owner), json={"email": "boss@example.com", "orgRole": "owner"})
    assert r.status_code == 403
    assert manager.api.post(url(owner), json={"email": "ok@example.com", "orgRole": "manager"}).status_code == 201


def test_members_cannot_add_or_change_members(owner, make_actor):
    member = make_actor("member", organization=owner.organization)
    assert member.api.get(url(owner)).status_code == 200
    assert member.api.post(url(owner), json={"email": "z@example.com"}).status_code == 403
    assert member.api.put(url(owner, owner.member.id), json={"orgRole": "member"}).status_code == 403
    assert member.api.delete(url(owner, owner.member.id)).status_code == 403


def test_change_role(owner, make_actor):
    member = make_actor("member", organization=owner.organization)
    r = owner.api.put(url(owner, member.member.id), json={"orgRole": "manager", "id": "1"})
    assert r.status_code == 200 and r.json["orgRole"] == "manager"
    assert r.json["id"] == str(member.member.id)
    assert owner.api.put(url(owner, member.member.id), json={"orgRole": "king"}).status_code == 400


def test_last_owner_is_protected(owner, make_actor):
    r = owner.api.put(url(owner, owner.member.id), json={"orgRole": "member"})
    assert r.status_code == 400
    r = owner.api.delete(url(owner, "me"))
    assert r.status_code == 403
    second = make_actor("owner", organization=owner.organization)
    assert second.api.put(url(owner, owner.member.id), json={"orgRole": "member"}).status_code == 200


def test_leave_and_remove(owner, make_actor):
    member = make_actor("member", organization=owner.organization)
    assert member.api.delete(url(owner, "me")).status_code == 204
    assert member.api.get(f"/api/0/organizations/{owner.org}/").status_code == 404
    other = make_actor("member", organization=owner.organization)
    assert owner.api.delete(url(owner, other.member.id)).status_code == 204
    assert owner.api.get(url(owner, other.member.id)).status_code == 404


def test_member_ids_of_other_orgs_are_404(owner, make_actor):
    stranger = make_actor("owner")
    r = owner.api.get(url(owner, stranger.member.id))
    assert r.status_code == 404
    assert owner.api.get(url(owner, "abc")).status_code == 404
    assert owner.api.delete(url(owner, stranger.member.id)).status_code == 404
    assert stranger.api.get(f"/api/0/organizations/{stranger.org}/members/").status_code == 200


def test_query_filters(owner, make_actor):
    make_actor("admin", organization=owner.organization, email="alice@example.com")
    owner.api.post(url(owner), json={"email": "invited@example.com"})
    emails = lambda q: sorted(m["email"] for m in owner.api.get(url(owner) + "?query=" + q).json)  # noqa: E731
    assert emails("alice") == ["alice@example.com"]
    assert emails("role:admin") == ["alice@example.com"]
    assert emails("isInvited:true") == ["invited@example.com"]
    assert emails("email:alice@example.com") == ["alice@example.com"]
    assert owner.api.get(url(owner) + '?query=email:"unclosed').status_code == 400
