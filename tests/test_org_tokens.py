"""Organization tokens carry org:ci only, record their creator, and cannot escalate.

The two escalations of issue 16, replayed: an admin on no team minting a token with
team-scoped scopes, and a member's token outliving the member with write access.
"""

from __future__ import annotations

import pytest

from sentryapi.testing import ApiClient

ESCALATING = ["project:write", "project:admin", "team:write", "team:admin"]


@pytest.fixture
def closed_org(owner, create_project, set_org_option):
    """An organization with open membership off and a project `api` of team `backend`."""
    set_org_option(owner.organization, "openMembership", False)
    create_project(owner, name="Api", slug="api", team="backend")
    return owner


def org_token(actor, **body) -> dict:
    return actor.api.post(f"/api/0/organizations/{actor.org}/org-auth-tokens/",
                          json={"name": "ci", **body})


def attempt_everything(api: ApiClient, org: str, member_id: int) -> list[int]:
    """What reproduction 1 did with the token: rename/delete a project, add a key, rename
    a team, put the admin on the team."""
    return [
        api.put(f"/api/0/projects/{org}/api/", json={"name": "Owned"}).status_code,
        api.post(f"/api/0/projects/{org}/api/keys/", json={"name": "mine"}).status_code,
        api.put(f"/api/0/teams/{org}/backend/", json={"name": "Owned"}).status_code,
        api.post(f"/api/0/organizations/{org}/members/{member_id}/teams/backend/").status_code,
        api.delete(f"/api/0/projects/{org}/api/").status_code,
    ]


def test_an_org_token_with_any_scope_but_org_ci_is_refused_naming_it(closed_org, make_actor):
    admin = make_actor("admin", organization=closed_org.organization)
    refused = org_token(admin, scopes=["org:ci", *ESCALATING])
    assert refused.status_code == 400
    for scope in ESCALATING:
        assert scope in refused.json["detail"]
    assert refused.json["scopes"]
    listed = closed_org.api.get(f"/api/0/organizations/{closed_org.org}/org-auth-tokens/").json
    assert listed == []  # nothing was minted
    for scopes in (["org:read"], ["project:releases"], ["org:admin"]):
        assert org_token(closed_org, scopes=scopes).status_code == 400, scopes


def test_an_admin_on_no_team_cannot_escape_team_scoping_with_an_org_token(
        closed_org, make_actor, app):
    admin = make_actor("admin", organization=closed_org.organization)
    org = closed_org.org
    # Their own token: refused on another team's project (reading it too).
    assert admin.api.delete(f"/api/0/projects/{org}/api/").status_code == 403
    assert admin.api.get(f"/api/0/projects/{org}/api/").status_code == 403
    made = org_token(admin)
    assert made.status_code == 201 and made.json["scopes"] == ["org:ci"]
    ci = ApiClient(app.test_client(), made.json["token"])
    assert attempt_everything(ci, org, admin.member.id) == [403] * 5
    project = closed_org.api.get(f"/api/0/projects/{org}/api/").json
    assert project["name"] == "Api"
    assert len(closed_org.api.get(f"/api/0/projects/{org}/api/keys/").json) == 1
    team = closed_org.api.get(f"/api/0/teams/{org}/backend/members/").json
    assert [m["id"] for m in team] == [str(closed_org.member.id)]
    # What org:ci is for still works: releases of any project, the project list.
    assert ci.post(f"/api/0/organizations/{org}/releases/",
                   json={"version": "1.0", "projects": ["api"]}).status_code == 201
    assert [p["slug"] for p in ci.get(f"/api/0/organizations/{org}/projects/").json] == ["api"]


@pytest.mark.parametrize("change", ["remove", "demote"])
def test_a_members_org_token_outlives_them_but_never_writes(closed_org, make_actor, app, change):
    admin = make_actor("admin", organization=closed_org.organization)
    org = closed_org.org
    closed_org.api.post(f"/api/0/organizations/{org}/members/{admin.member.id}/teams/backend/")
    made = org_token(admin)
    assert made.status_code == 201
    if change == "remove":
        assert closed_org.api.delete(
            f"/api/0/organizations/{org}/members/{admin.member.id}/").status_code == 204
    else:
        assert closed_org.api.put(f"/api/0/organizations/{org}/members/{admin.member.id}/",
                                  json={"orgRole": "member"}).status_code == 200
    ci = ApiClient(app.test_client(), made.json["token"])
    assert attempt_everything(ci, org, admin.member.id)[:3] == [403, 403, 403]
    assert len(closed_org.api.get(f"/api/0/projects/{org}/api/keys/").json) == 1
    # The owner sees who made it, to revoke it if they want.
    listed = closed_org.api.get(f"/api/0/organizations/{org}/org-auth-tokens/").json
    assert listed[0]["createdBy"] == {"id": str(admin.user.id), "name": admin.user.email,
                                      "email": admin.user.email}
    assert ci.get(f"/api/0/organizations/{org}/releases/").status_code == 200


@pytest.mark.parametrize("open_membership", [False, True])
def test_an_org_token_stored_with_more_scopes_acts_with_org_ci_only(
        closed_org, make_token, make_actor, set_org_option, app, open_membership):
    """A token minted before the rule keeps only org:ci (and what it implies)."""
    set_org_option(closed_org.organization, "openMembership", open_membership)
    token = make_token(organization=closed_org.organization, scopes=["org:ci", *ESCALATING])
    ci = ApiClient(app.test_client(), token)
    assert ci.get("/api/0/").json["auth"]["scopes"] == ["org:ci"]
    outsider = make_actor("member", organization=closed_org.organization)
    assert attempt_everything(ci, closed_org.org, outsider.member.id) == [403] * 5


def test_the_token_list_names_no_creator_for_tokens_made_outside_the_api(closed_org, make_token):
    make_token(organization=closed_org.organization)
    listed = closed_org.api.get(f"/api/0/organizations/{closed_org.org}/org-auth-tokens/").json
    assert listed[0]["createdBy"] is None
