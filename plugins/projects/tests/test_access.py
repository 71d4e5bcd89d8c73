"""Who may do what with projects and keys (role x method, token scopes), and tenant isolation."""

from __future__ import annotations

import pytest

ROLES = ("member", "admin", "manager", "owner")
WRITERS = ("admin", "manager", "owner")


def status_for(role, ok, allowed=WRITERS):
    return ok if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(owner, make_actor, create_project, role):
    create_project(owner, name="Api", slug="api", team="backend")
    actor = make_actor(role, organization=owner.organization)
    api, org = actor.api, actor.org
    project = f"/api/0/projects/{org}/api/"
    key = api.get(f"{project}keys/").json[0]["id"]
    for url in (f"/api/0/organizations/{org}/projects/", project, f"{project}keys/",
                f"{project}keys/{key}/", f"{project}teams/", f"/api/0/teams/{org}/backend/projects/",
                f"/api/0/organizations/{org}/project-keys/"):
        assert api.get(url).status_code == 200, url
    # Anyone may bookmark; only writers may change the project.
    assert api.put(project, json={"isBookmarked": True}).status_code == 200
    assert api.put(project, json={"name": role}).status_code == status_for(role, 200)
    assert api.post(f"{project}keys/", json={"name": role}).status_code == status_for(role, 201)
    assert api.put(f"{project}keys/{key}/", json={"name": role}).status_code == status_for(role, 200)
    assert api.post(f"{project}teams/backend/").status_code == status_for(role, 201)
    assert api.post(f"/api/0/teams/{org}/backend/projects/",
                    json={"name": f"By {role}"}).status_code == status_for(role, 201)
    assert api.delete(f"{project}keys/{key}/").status_code == status_for(role, 204)
    assert api.delete(project).status_code == status_for(role, 204)


def test_members_on_a_team_may_create_projects_in_it(owner, make_actor, create_project, create_team):
    create_team(owner, slug="backend")
    member = make_actor("member", organization=owner.organization)
    url = f"/api/0/teams/{member.org}/backend/projects/"
    assert member.api.post(url, json={"name": "Nope"}).status_code == 403
    member.api.post(f"/api/0/organizations/{member.org}/members/me/teams/backend/")
    created = member.api.post(url, json={"name": "Mine"})
    assert created.status_code == 201 and created.json["isMember"] is True
    # Their own team through the organization endpoint (project:read is enough there).
    own = member.api.post(f"/api/0/organizations/{member.org}/projects/", json={"name": "Solo"})
    assert own.status_code == 201


@pytest.mark.parametrize("role, on_team, status", [
    ("admin", False, 403), ("admin", True, 200), ("manager", False, 200),
])
def test_closed_membership_limits_admins_to_projects_of_their_teams(
        owner, make_actor, create_project, set_org_option, role, on_team, status):
    set_org_option(owner.organization, "openMembership", False)
    create_project(owner, name="Api", slug="api", team="backend")
    actor = make_actor(role, organization=owner.organization)
    if on_team:
        owner.api.post(f"/api/0/organizations/{owner.org}/members/{actor.member.id}/teams/backend/")
    response = actor.api.put(f"/api/0/projects/{actor.org}/api/", json={"name": "Changed"})
    assert response.status_code == status
    # Out of reach, the project cannot even be read (Sentry's ProjectPermission).
    seen = actor.api.get(f"/api/0/projects/{actor.org}/api/")
    assert seen.status_code == status
    unchanged = owner.api.get(f"/api/0/projects/{owner.org}/api/").json
    assert unchanged["name"] == ("Changed" if status == 200 else "Api")


def test_token_scopes_limit_an_owner(owner, make_token, anonymous, create_project):
    create_project(owner, name="Api", slug="api")
    url = f"/api/0/projects/{owner.org}/api/"
    reader = anonymous.as_(make_token(owner.user, ["project:read"]))
    assert reader.get(url).status_code == 200
    assert reader.put(url, json={"isBookmarked": True}).status_code == 200
    refused = reader.put(url, json={"isBookmarked": False, "name": "x"})
    assert refused.status_code == 403
    assert reader.get(url).json["isBookmarked"] is True  # nothing of the refused request applied
    assert reader.post(f"{url}keys/", json={}).status_code == 403
    assert reader.delete(url).status_code == 403
    writer = anonymous.as_(make_token(owner.user, ["project:write"]))
    assert writer.put(url, json={"name": "ok"}).status_code == 200
    assert writer.delete(url).status_code == 403
    assert anonymous.as_(make_token(owner.user, ["team:read"])).get(url).status_code == 403


def test_organization_token_lists_projects_and_changes_none(owner, make_token, anonymous,
                                                           create_project):
    """org:ci reads the organization's project list (sentry-cli) and nothing writes: even a
    token stored with project scopes acts with org:ci alone."""
    create_project(owner, name="Api", slug="api")
    token = anonymous.as_(make_token(organization=owner.organization,
                                     scopes=["org:ci", "project:read", "project:write"]))
    listed = token.get(f"/api/0/organizations/{owner.org}/projects/").json
    assert [(p["slug"], p["hasAccess"]) for p in listed] == [("api", True)]
    assert token.get(f"/api/0/projects/{owner.org}/api/").status_code == 403
    assert token.put(f"/api/0/projects/{owner.org}/api/", json={"name": "CI"}).status_code == 403
    created = token.post(f"/api/0/teams/{owner.org}/default-team/projects/", json={"name": "From CI"})
    assert created.status_code == 403
    assert owner.api.get(f"/api/0/projects/{owner.org}/api/").json["name"] == "Api"


def test_another_organization_gets_404_and_never_sees_our_rows(owner, make_actor, create_project):
    ours = create_project(owner, name="Api", slug="api", team="backend")
    key = owner.api.get(f"/api/0/projects/{owner.org}/api/keys/").json[0]["id"]
    stranger = make_actor("owner")
    create_project(stranger, name="Api", slug="api", team="backend")
    project = f"/api/0/projects/{owner.org}/api/"
    calls = [
        ("GET", f"/api/0/organizations/{owner.org}/projects/"),
        ("POST", f"/api/0/organizations/{owner.org}/projects/"),
        ("GET", project), ("PUT", project), ("DELETE", project),
        ("GET", f"{project}keys/"), ("POST", f"{project}keys/"),
        ("GET", f"{project}keys/{key}/"), ("PUT", f"{project}keys/{key}/"),
        ("DELETE", f"{project}keys/{key}/"),
        ("GET", f"{project}teams/"), ("POST", f"{project}teams/backend/"),
        ("DELETE", f"{project}teams/backend/"),
        ("GET", f"/api/0/teams/{owner.org}/backend/projects/"),
        ("POST", f"/api/0/teams/{owner.org}/backend/projects/"),
        ("GET", f"/api/0/organizations/{owner.org}/project-keys/"),
    ]
    for method, url in calls:
        response = stranger.api.request(method, url, json={"name": "x"})
        assert response.status_code == 404, (method, url, response.status_code)
        assert response.json == {"detail": "The requested resource does not exist"}
    # Our ids under their organization are 404 too; their lists hold none of our rows.
    assert stranger.api.get(f"/api/0/projects/{stranger.org}/{ours['id']}/").status_code == 404
    assert stranger.api.get(f"/api/0/projects/{stranger.org}/api/keys/{key}/").status_code == 404
    assert stranger.api.post(f"/api/0/projects/{stranger.org}/api/teams/{ours['team']['id']}/").status_code == 404
    theirs = [p["id"] for p in stranger.api.get("/api/0/projects/").json]
    theirs += [p["id"] for p in stranger.api.get(f"/api/0/organizations/{stranger.org}/projects/").json]
    assert ours["id"] not in theirs
    their_keys = stranger.api.get(f"/api/0/organizations/{stranger.org}/project-keys/").json
    assert key not in [k["id"] for k in their_keys]
    assert stranger.api.get(f"/api/0/projects/?query=dsn:{key}").json == []
    # Nothing of ours changed.
    after = owner.api.get(project).json
    assert after["name"] == "Api" and [t["slug"] for t in after["teams"]] == ["backend"]
    assert owner.api.get(f"{project}keys/{key}/").json["isActive"] is True
