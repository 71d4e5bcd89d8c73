"""Who may do what with teams (role x method, token scopes), and tenant isolation."""

from __future__ import annotations

import pytest

ROLES = ("member", "admin", "manager", "owner")


def expected(allowed_roles, role, ok):
    return ok if role in allowed_roles else 403


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_with_open_membership(owner, make_actor, create_team, role):
    create_team(owner, slug="alpha")
    actor = make_actor(role, organization=owner.organization)
    api, org = actor.api, actor.org
    writers = ("admin", "manager", "owner")
    assert api.get(f"/api/0/organizations/{org}/teams/").status_code == 200
    assert api.get(f"/api/0/teams/{org}/alpha/").status_code == 200
    assert api.get(f"/api/0/teams/{org}/alpha/members/").status_code == 200
    created = api.post(f"/api/0/organizations/{org}/teams/", json={"slug": f"by-{role}"})
    assert created.status_code == expected(writers, role, 201)
    renamed = api.put(f"/api/0/teams/{org}/alpha/", json={"name": f"Renamed by {role}"})
    assert renamed.status_code == expected(writers, role, 200)
    deleted = api.delete(f"/api/0/teams/{org}/alpha/")
    assert deleted.status_code == expected(writers, role, 204)


@pytest.mark.parametrize("role, on_team, status", [
    ("admin", False, 403), ("admin", True, 200), ("manager", False, 200), ("owner", False, 200),
])
def test_closed_membership_limits_admins_to_their_teams(owner, make_actor, create_team,
                                                        set_org_option, role, on_team, status):
    set_org_option(owner.organization, "openMembership", False)
    create_team(owner, slug="alpha")
    actor = make_actor(role, organization=owner.organization)
    if on_team:
        owner.api.post(f"/api/0/organizations/{owner.org}/members/{actor.member.id}/teams/alpha/")
    response = actor.api.put(f"/api/0/teams/{actor.org}/alpha/", json={"name": "Changed"})
    assert response.status_code == status
    team = owner.api.get(f"/api/0/teams/{owner.org}/alpha/").json
    assert team["name"] == ("Changed" if status == 200 else "alpha")
    hidden = actor.api.get(f"/api/0/teams/{actor.org}/alpha/").json
    assert hidden["hasAccess"] is (on_team or role in ("manager", "owner"))


def test_token_scopes_limit_an_owner(owner, make_token, create_team, anonymous):
    create_team(owner, slug="alpha")
    reader = anonymous.as_(make_token(owner.user, ["team:read", "org:read"]))
    assert reader.get(f"/api/0/teams/{owner.org}/alpha/").status_code == 200
    assert reader.post(f"/api/0/organizations/{owner.org}/teams/", json={"slug": "x"}).status_code == 403
    assert reader.put(f"/api/0/teams/{owner.org}/alpha/", json={"name": "x"}).status_code == 403
    assert reader.delete(f"/api/0/teams/{owner.org}/alpha/").status_code == 403
    writer = anonymous.as_(make_token(owner.user, ["team:write"]))
    assert writer.put(f"/api/0/teams/{owner.org}/alpha/", json={"name": "ok"}).status_code == 200
    assert writer.delete(f"/api/0/teams/{owner.org}/alpha/").status_code == 403
    nothing = anonymous.as_(make_token(owner.user, ["event:read"]))
    assert nothing.get(f"/api/0/teams/{owner.org}/alpha/").status_code == 403
    assert anonymous.get(f"/api/0/teams/{owner.org}/alpha/").status_code == 401


def test_organization_token_reads_the_team_list_and_changes_no_team(owner, make_token, create_team,
                                                                   anonymous):
    """An organization token is org:ci (org:read): even one stored with team scopes."""
    create_team(owner, slug="alpha")
    token = anonymous.as_(make_token(organization=owner.organization,
                                     scopes=["org:ci", "team:read", "team:write"]))
    assert [t["slug"] for t in token.get(f"/api/0/organizations/{owner.org}/teams/").json] == ["alpha"]
    assert token.get(f"/api/0/teams/{owner.org}/alpha/").status_code == 403
    assert token.put(f"/api/0/teams/{owner.org}/alpha/", json={"name": "CI"}).status_code == 403
    created = token.post(f"/api/0/organizations/{owner.org}/teams/", json={"slug": "from-ci"})
    assert created.status_code == 403
    assert owner.api.get(f"/api/0/teams/{owner.org}/alpha/").json["name"] == "alpha"


def test_another_organization_sees_404_and_never_our_teams(owner, make_actor, create_team):
    ours = create_team(owner, slug="alpha")
    colleague = make_actor("member", organization=owner.organization)
    stranger = make_actor("owner")  # owns an organization of their own
    create_team(stranger, slug="alpha")
    urls = [
        ("GET", f"/api/0/teams/{owner.org}/alpha/"),
        ("PUT", f"/api/0/teams/{owner.org}/alpha/"),
        ("DELETE", f"/api/0/teams/{owner.org}/alpha/"),
        ("GET", f"/api/0/teams/{owner.org}/{ours['id']}/members/"),
        ("GET", f"/api/0/organizations/{owner.org}/teams/"),
        ("POST", f"/api/0/organizations/{owner.org}/teams/"),
        ("GET", f"/api/0/organizations/{owner.org}/user-teams/"),
        ("POST", f"/api/0/organizations/{owner.org}/members/{colleague.member.id}/teams/alpha/"),
        ("DELETE", f"/api/0/organizations/{owner.org}/members/{owner.member.id}/teams/alpha/"),
    ]
    for method, url in urls:
        response = stranger.api.request(method, url, json={"name": "x", "slug": "x"})
        assert response.status_code == 404, (method, url, response.json)
        assert response.json == {"detail": "The requested resource does not exist"}
    # Their own org's URLs with our team's id: still nothing of ours.
    assert stranger.api.get(f"/api/0/teams/{stranger.org}/{ours['id']}/").status_code == 404
    mine = owner.api.post(f"/api/0/organizations/{owner.org}/members/{owner.member.id}/teams/alpha/")
    assert mine.status_code == 204  # still on it: the stranger's DELETE changed nothing
    theirs = stranger.api.get(f"/api/0/organizations/{stranger.org}/teams/").json
    assert ours["id"] not in [team["id"] for team in theirs] and len(theirs) == 1
    assert owner.api.get(f"/api/0/teams/{owner.org}/alpha/").json["name"] == "alpha"
    # A member of theirs cannot be put on our team either.
    foreign = owner.api.post(
        f"/api/0/organizations/{owner.org}/members/{stranger.member.id}/teams/alpha/")
    assert foreign.status_code == 404
