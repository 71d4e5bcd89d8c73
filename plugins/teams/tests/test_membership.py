"""Putting members on teams: the membership endpoints and the core's ``teamRoles``."""

from __future__ import annotations

import pytest


def membership_url(actor, member_id, team):
    return f"/api/0/organizations/{actor.org}/members/{member_id}/teams/{team}/"


def team_member_emails(actor, team):
    return sorted(m["email"] for m in actor.api.get(f"/api/0/teams/{actor.org}/{team}/members/").json)


def test_add_again_and_remove(owner, make_actor, create_team):
    create_team(owner, slug="alpha")
    colleague = make_actor("member", organization=owner.organization)
    url = membership_url(owner, colleague.member.id, "alpha")
    added = owner.api.post(url)
    assert added.status_code == 201 and added.json["slug"] == "alpha"
    again = owner.api.post(url)
    assert again.status_code == 204 and again.data == b""
    assert colleague.user.email in team_member_emails(owner, "alpha")
    removed = owner.api.delete(url)
    assert removed.status_code == 200 and removed.json["slug"] == "alpha"
    assert colleague.user.email not in team_member_emails(owner, "alpha")
    # Removing someone who is not on the team answers the team, as Sentry does.
    assert owner.api.delete(url).status_code == 200


def test_me_is_the_caller(owner, create_team):
    create_team(owner, slug="alpha")
    owner.api.delete(membership_url(owner, "me", "alpha"))
    assert owner.api.get(f"/api/0/teams/{owner.org}/alpha/").json["isMember"] is False
    assert owner.api.post(membership_url(owner, "me", "alpha")).status_code == 201
    assert owner.api.get(f"/api/0/teams/{owner.org}/alpha/").json["isMember"] is True


@pytest.mark.parametrize("member_id, team", [("999999", "alpha"), ("abc", "alpha"), ("me", "nope")])
def test_unknown_member_or_team_is_404(owner, create_team, member_id, team):
    create_team(owner, slug="alpha")
    assert owner.api.post(membership_url(owner, member_id, team)).status_code == 404


def test_open_membership_lets_members_add_and_remove_themselves(owner, make_actor, create_team):
    create_team(owner, slug="alpha")
    member = make_actor("member", organization=owner.organization)
    assert member.api.post(membership_url(member, "me", "alpha")).status_code == 201
    assert member.api.delete(membership_url(member, "me", "alpha")).status_code == 200


def test_closed_membership_needs_a_team_admin(owner, make_actor, create_team, set_org_option):
    set_org_option(owner.organization, "openMembership", False)
    create_team(owner, slug="alpha")
    member = make_actor("member", organization=owner.organization)
    admin = make_actor("admin", organization=owner.organization)
    url = membership_url(owner, member.member.id, "alpha")

    refused = member.api.post(membership_url(member, "me", "alpha"))
    assert refused.status_code == 403
    assert refused.json["detail"] == "You do not have permission to add members to this team."
    # An org admin who is not on the team is no Team Admin of it...
    assert admin.api.post(url).status_code == 403
    # ...once on it (an owner puts them there), they are.
    assert owner.api.post(membership_url(owner, admin.member.id, "alpha")).status_code == 201
    assert admin.api.post(url).status_code == 201
    # A member may leave; they may not remove someone else.
    assert member.api.delete(membership_url(member, admin.member.id, "alpha")).status_code == 403
    assert member.api.delete(membership_url(member, "me", "alpha")).status_code == 200


def test_team_role_admin_lets_a_member_manage_the_team_roster(owner, make_actor, create_team,
                                                               set_org_option):
    set_org_option(owner.organization, "openMembership", False)
    create_team(owner, slug="alpha")
    lead = make_actor("member", organization=owner.organization)
    other = make_actor("member", organization=owner.organization)
    owner.api.post(membership_url(owner, lead.member.id, "alpha"))
    assert lead.api.post(membership_url(lead, other.member.id, "alpha")).status_code == 403
    promoted = owner.api.put(membership_url(owner, lead.member.id, "alpha"), json={"teamRole": "admin"})
    assert promoted.status_code == 200 and promoted.json == {"isActive": True, "teamRole": "admin"}
    assert lead.api.post(membership_url(lead, other.member.id, "alpha")).status_code == 201
    assert lead.api.delete(membership_url(lead, other.member.id, "alpha")).status_code == 200
    team = lead.api.get(f"/api/0/teams/{lead.org}/alpha/").json
    assert team["teamRole"] == "admin" and "team:admin" in team["access"]


def test_team_role_changes_need_membership_and_a_valid_role(owner, make_actor, create_team):
    create_team(owner, slug="alpha")
    colleague = make_actor("member", organization=owner.organization)
    url = membership_url(owner, colleague.member.id, "alpha")
    assert owner.api.put(url, json={"teamRole": "admin"}).status_code == 404
    owner.api.post(url)
    for body in ({"teamRole": "boss"}, {}, {"teamRole": 3}):
        response = owner.api.put(url, json=body)
        assert response.status_code == 400 and "teamRole" in response.json
    assert owner.api.get(url).json == {"isActive": True, "teamRole": None}
    assert colleague.api.put(url, json={"teamRole": "admin"}).status_code == 403


def test_team_roles_on_member_create_and_update(owner, create_team):
    create_team(owner, slug="alpha")
    create_team(owner, slug="beta")
    members = f"/api/0/organizations/{owner.org}/members/"
    created = owner.api.post(members, json={
        "email": "new@example.com", "teamRoles": [{"teamSlug": "alpha", "role": "admin"}]})
    assert created.status_code == 201
    detail_url = f"{members}{created.json['id']}/"
    assert owner.api.get(detail_url).json["teams"] == ["alpha"]
    updated = owner.api.put(detail_url, json={"teamRoles": [{"teamSlug": "beta", "role": None}]})
    assert updated.status_code == 200 and updated.json["teams"] == ["beta"]


@pytest.mark.parametrize("team_roles", [
    [{"teamSlug": "nope"}],
    [{"teamSlug": "alpha", "role": "boss"}],
    [{"role": "admin"}],
    ["alpha"],
])
def test_bad_team_roles_are_400_and_change_nothing(owner, create_team, team_roles):
    create_team(owner, slug="alpha")
    members = f"/api/0/organizations/{owner.org}/members/"
    created = owner.api.post(members, json={"email": "bad@example.com", "teamRoles": team_roles})
    assert created.status_code == 400 and "teamRoles" in created.json
    assert "bad@example.com" not in [m["email"] for m in owner.api.get(members).json]
    existing = owner.api.post(members, json={"email": "ok@example.com",
                                             "teamRoles": [{"teamSlug": "alpha"}]}).json
    update = owner.api.put(f"{members}{existing['id']}/", json={"teamRoles": team_roles})
    assert update.status_code == 400
    assert owner.api.get(f"{members}{existing['id']}/").json["teams"] == ["alpha"]


def test_a_refused_member_is_not_written_by_a_later_commit_of_the_same_context(app, owner, create_team):
    """A request that fails after flushing (the member, then a bad team role) leaves nothing
    in its session, even when its app context outlives it and commits afterwards."""
    from sentryapi.api import db

    create_team(owner, slug="alpha")
    members = f"/api/0/organizations/{owner.org}/members/"
    with app.app_context():  # the requests below run in this context and its session
        created = owner.api.post(members, json={"email": "late@example.com",
                                                "teamRoles": [{"teamSlug": "alpha", "role": "boss"}]})
        assert created.status_code == 400
        db.session.commit()
    assert "late@example.com" not in [m["email"] for m in owner.api.get(members).json]
