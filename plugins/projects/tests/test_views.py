"""Projects through HTTP: create (under a team or with a team of your own), list, read,
update, delete; bad input changes nothing."""

from __future__ import annotations

import pytest
from sentryapi_projects import Project, ProjectKey, find_ingest_key

from sentryapi.api import db


def org_projects(actor, **params):
    response = actor.api.get(f"/api/0/organizations/{actor.org}/projects/", query_string=params)
    assert response.status_code == 200, response.json
    return [project["slug"] for project in response.json]


def test_create_under_a_team_with_a_default_key(owner, create_team):
    create_team(owner, slug="backend")
    response = owner.api.post(f"/api/0/teams/{owner.org}/backend/projects/",
                              json={"name": "The Spoiled Yoghurt", "platform": "python"})
    assert response.status_code == 201
    project = response.json
    assert (project["slug"], project["name"], project["platform"]) == (
        "the-spoiled-yoghurt", "The Spoiled Yoghurt", "python")
    assert project["team"]["slug"] == "backend" and [t["slug"] for t in project["teams"]] == ["backend"]
    assert project["isMember"] is True and project["hasAccess"] is True
    keys = owner.api.get(f"/api/0/projects/{owner.org}/the-spoiled-yoghurt/keys/").json
    assert [key["name"] for key in keys] == ["Default"]
    assert keys[0]["isActive"] is True


def test_generated_slugs_are_unique_and_explicit_duplicates_are_409(owner, create_team):
    create_team(owner, slug="backend")
    url = f"/api/0/teams/{owner.org}/backend/projects/"
    assert owner.api.post(url, json={"name": "Api"}).json["slug"] == "api"
    assert owner.api.post(url, json={"name": "API"}).json["slug"] == "api-2"
    clash = owner.api.post(url, json={"name": "Another", "slug": "api"})
    assert clash.status_code == 409
    assert clash.json["detail"] == "A project with this slug already exists."
    assert org_projects(owner) == ["api", "api-2"]


@pytest.mark.parametrize("body, field", [
    ({}, "name"),
    ({"name": ""}, "name"),
    ({"name": 42}, "name"),
    ({"name": "x" * 65}, "name"),
    ({"name": "Ok", "slug": "Bad Slug"}, "slug"),
    ({"name": "Ok", "slug": "2024"}, "slug"),
    ({"name": "Ok", "platform": "Python 3!"}, "platform"),
    ({"name": "Ok", "platform": 7}, "platform"),
    ({"name": "Ok", "default_rules": "maybe"}, "default_rules"),
])
def test_bad_project_input_is_400_and_creates_nothing(owner, create_team, app, body, field):
    create_team(owner, slug="backend")
    response = owner.api.post(f"/api/0/teams/{owner.org}/backend/projects/", json=body)
    assert response.status_code == 400
    assert field in response.json and response.json["detail"]
    with app.app_context():
        assert db.session.query(Project).count() == 0
        assert db.session.query(ProjectKey).count() == 0


def test_unknown_team_is_404(owner):
    response = owner.api.post(f"/api/0/teams/{owner.org}/nope/projects/", json={"name": "x"})
    assert response.status_code == 404
    assert org_projects(owner) == []


def test_create_with_a_team_of_your_own(owner):
    response = owner.api.post(f"/api/0/organizations/{owner.org}/projects/", json={"name": "Solo"})
    assert response.status_code == 201
    local = owner.user.email.split("@")[0]
    assert response.json["team_slug"] == f"team-{local}"
    team = owner.api.get(f"/api/0/teams/{owner.org}/team-{local}/").json
    assert team["teamRole"] == "admin" and team["isMember"] is True
    second = owner.api.post(f"/api/0/organizations/{owner.org}/projects/", json={"name": "Duo"})
    assert second.json["team_slug"] == f"team-{local}-2"


def test_create_with_a_team_of_your_own_rolls_back_on_a_slug_clash(owner, create_project):
    create_project(owner, name="Taken", slug="taken")
    teams_before = owner.api.get(f"/api/0/organizations/{owner.org}/teams/").json
    response = owner.api.post(f"/api/0/organizations/{owner.org}/projects/",
                              json={"name": "x", "slug": "taken"})
    assert response.status_code == 409
    assert owner.api.get(f"/api/0/organizations/{owner.org}/teams/").json == teams_before


def test_organization_tokens_cannot_create_projects(owner, make_token, anonymous):
    token = anonymous.as_(make_token(organization=owner.organization,
                                     scopes=["org:ci", "project:write"]))
    response = token.post(f"/api/0/organizations/{owner.org}/projects/", json={"name": "x"})
    assert response.status_code == 403
    assert owner.api.get(f"/api/0/organizations/{owner.org}/projects/").json == []


def test_list_orders_by_slug_filters_and_pages(owner, create_project, create_team):
    create_project(owner, name="Web", slug="web", platform="javascript", team="frontend")
    create_project(owner, name="Api", slug="api", platform="python", team="backend")
    worker = create_project(owner, name="Worker", slug="worker", platform="python", team="backend")
    create_team(owner, slug="empty")
    assert org_projects(owner) == ["api", "web", "worker"]
    assert org_projects(owner, query="wor") == ["worker"]
    assert org_projects(owner, query="platform:python") == ["api", "worker"]
    assert org_projects(owner, query="team:backend") == ["api", "worker"]
    assert org_projects(owner, query="!team:backend") == ["web"]
    assert org_projects(owner, query=f"id:{worker['id']}") == ["worker"]
    assert org_projects(owner, query="slug:[api, web]") == ["api", "web"]
    assert org_projects(owner, query="name:Web") == ["web"]
    assert org_projects(owner, query="is_member:1") == ["api", "web", "worker"]
    first = owner.api.get(f"/api/0/organizations/{owner.org}/projects/?per_page=2")
    assert [p["slug"] for p in first.json] == ["api", "web"]
    next_link = first.headers["Link"].split(", ")[1]
    assert 'results="true"' in next_link
    cursor = next_link.split('cursor="')[1].rstrip('"')
    rest = owner.api.get(f"/api/0/organizations/{owner.org}/projects/?per_page=2&cursor={cursor}")
    assert [p["slug"] for p in rest.json] == ["worker"]


@pytest.mark.parametrize("query", ["id:abc", "color:blue", "team:"])
def test_bad_project_queries_are_400(owner, query):
    response = owner.api.get(f"/api/0/organizations/{owner.org}/projects/", query_string={"query": query})
    assert response.status_code == 400 and response.json["detail"]


def test_your_projects_are_those_of_your_teams_across_organizations(owner, make_actor, create_project):
    create_project(owner, name="Mine", slug="mine", team="alpha")
    create_project(owner, name="Not Mine", slug="not-mine", team="beta")
    owner.api.delete(f"/api/0/organizations/{owner.org}/members/me/teams/beta/")
    elsewhere = make_actor("owner")
    create_project(elsewhere, name="Far", slug="far")
    # A member of the other organization sees its projects once on one of its teams.
    newcomer = make_actor("member", organization=elsewhere.organization)
    response = owner.api.get("/api/0/projects/")
    assert response.status_code == 200
    assert [p["slug"] for p in response.json] == ["mine"]
    assert response.json[0]["organization"]["slug"] == owner.org
    assert newcomer.api.get("/api/0/projects/").json == []
    elsewhere.api.post(f"/api/0/organizations/{elsewhere.org}/members/{newcomer.member.id}/teams/default-team/")
    theirs = newcomer.api.get("/api/0/projects/").json
    assert [(p["slug"], p["organization"]["slug"], p["isMember"]) for p in theirs] == [
        ("far", elsewhere.org, True)]


def test_your_projects_filters(owner, create_project):
    create_project(owner, name="Old", slug="old")
    create_project(owner, name="New", slug="new")
    slugs = [p["slug"] for p in owner.api.get("/api/0/projects/").json]
    assert slugs == ["new", "old"]  # newest first
    assert [p["slug"] for p in owner.api.get("/api/0/projects/?query=slug:old").json] == ["old"]
    assert owner.api.get("/api/0/projects/?status=deleted").json == []
    assert owner.api.get("/api/0/projects/?status=nonsense").status_code == 400
    assert owner.api.get("/api/0/projects/?organizationId=999999").json == []


def test_project_detail_by_slug_or_id(owner, create_project):
    project = create_project(owner, name="Api", slug="api", platform="python")
    by_slug = owner.api.get(f"/api/0/projects/{owner.org}/api/")
    by_id = owner.api.get(f"/api/0/projects/{owner.org}/{project['id']}/")
    assert by_slug.status_code == by_id.status_code == 200
    assert by_slug.json == by_id.json
    detail = by_slug.json
    assert detail["organization"]["slug"] == owner.org
    assert detail["subjectTemplate"] == "$shortID - $title" and detail["resolveAge"] == 0
    assert detail["securityToken"] and len(detail["securityToken"]) == 32
    assert owner.api.get(f"/api/0/projects/{owner.org}/nope/").status_code == 404


def test_update_renames_keeps_the_id_and_stores_settings(owner, create_project):
    project = create_project(owner, name="Api", slug="api")
    response = owner.api.put(f"/api/0/projects/{owner.org}/api/", json={
        "name": "Public API", "slug": "public-api", "platform": "python-flask",
        "subjectPrefix": "[api] ", "resolveAge": 48, "highlightTags": ["release"],
        "highlightContext": {"user": ["email"]}, "isBookmarked": True,
    })
    assert response.status_code == 200, response.json
    detail = response.json
    assert detail["id"] == project["id"]
    assert (detail["slug"], detail["name"], detail["platform"]) == ("public-api", "Public API", "python-flask")
    assert (detail["subjectPrefix"], detail["resolveAge"], detail["isBookmarked"]) == ("[api] ", 48, True)
    assert detail["highlightContext"] == {"user": ["email"]}
    assert owner.api.get(f"/api/0/projects/{owner.org}/api/").status_code == 404
    again = owner.api.get(f"/api/0/projects/{owner.org}/public-api/").json
    assert again["highlightTags"] == ["release"] and again["isBookmarked"] is True
    cleared = owner.api.put(f"/api/0/projects/{owner.org}/public-api/",
                            json={"platform": None, "isBookmarked": False, "resolveAge": None})
    assert (cleared.json["platform"], cleared.json["isBookmarked"], cleared.json["resolveAge"]) == (
        None, False, 0)


def test_update_to_a_taken_slug_is_409_and_changes_nothing(owner, create_project):
    create_project(owner, name="Api", slug="api")
    create_project(owner, name="Web", slug="web")
    response = owner.api.put(f"/api/0/projects/{owner.org}/api/", json={"slug": "web", "name": "Changed"})
    assert response.status_code == 409
    assert response.json["slug"] == ["Another project (web) is already using that slug"]
    assert owner.api.get(f"/api/0/projects/{owner.org}/api/").json["name"] == "Api"


@pytest.mark.parametrize("body", [
    {"slug": "Bad Slug"}, {"name": ""}, {"platform": "NOT OK"}, {"resolveAge": -1},
    {"resolveAge": "soon"}, {"highlightTags": "release"}, {"isBookmarked": "yes please"},
    {"subjectTemplate": ""},
])
def test_bad_updates_are_400_and_change_nothing(owner, create_project, body):
    create_project(owner, name="Api", slug="api", platform="python")
    before = owner.api.get(f"/api/0/projects/{owner.org}/api/").json
    response = owner.api.put(f"/api/0/projects/{owner.org}/api/", json=body)
    assert response.status_code == 400 and response.json["detail"]
    assert owner.api.get(f"/api/0/projects/{owner.org}/api/").json == before


def test_server_owned_project_fields_are_never_written(owner, create_project):
    project = create_project(owner, name="Api", slug="api")
    response = owner.api.put(f"/api/0/projects/{owner.org}/api/", json={
        "id": "1", "dateCreated": "2001-01-01T00:00:00Z", "status": "disabled", "firstEvent":
        "2001-01-01T00:00:00Z", "securityToken": "mine", "organization": {"slug": "elsewhere"},
        "teams": [], "hasSessions": True,
    })
    assert response.status_code == 200
    detail = response.json
    assert (detail["id"], detail["dateCreated"], detail["status"]) == (
        project["id"], project["dateCreated"], "active")
    assert detail["firstEvent"] is None and detail["securityToken"] != "mine"
    assert detail["organization"]["slug"] == owner.org and detail["teams"]
    assert detail["hasSessions"] is False


def test_delete_project_stops_its_keys_and_touches_nothing_else(owner, create_project, app):
    doomed = create_project(owner, name="Doomed", slug="doomed")
    kept = create_project(owner, name="Kept", slug="kept")
    doomed_key = owner.api.get(f"/api/0/projects/{owner.org}/doomed/keys/").json[0]["public"]
    kept_key = owner.api.get(f"/api/0/projects/{owner.org}/kept/keys/").json[0]["public"]
    assert owner.api.delete(f"/api/0/projects/{owner.org}/doomed/").status_code == 204
    assert owner.api.get(f"/api/0/projects/{owner.org}/doomed/").status_code == 404
    assert owner.api.get(f"/api/0/projects/{owner.org}/{doomed['id']}/").status_code == 404
    assert org_projects(owner) == ["kept"]
    with app.app_context():
        assert find_ingest_key(doomed_key) is None
        assert find_ingest_key(kept_key).is_active
        assert db.session.get(Project, int(doomed["id"])) is None
        assert db.session.query(ProjectKey).filter_by(project_id=int(doomed["id"])).count() == 0
        assert db.session.get(Project, int(kept["id"])) is not None
    # The slug is free again.
    assert owner.api.post(f"/api/0/teams/{owner.org}/default-team/projects/",
                          json={"name": "Doomed", "slug": "doomed"}).status_code == 201


def test_deleting_a_team_keeps_its_projects(owner, create_project):
    create_project(owner, name="Api", slug="api", team="backend")
    assert owner.api.delete(f"/api/0/teams/{owner.org}/backend/").status_code == 204
    project = owner.api.get(f"/api/0/projects/{owner.org}/api/").json
    assert project["teams"] == [] and "team" not in project
    listed = owner.api.get(f"/api/0/organizations/{owner.org}/projects/").json[0]
    assert listed["team"] is None


def test_team_lists_and_the_organization_embed_projects(owner, create_project):
    create_project(owner, name="Api", slug="api", team="backend")
    team = owner.api.get(f"/api/0/organizations/{owner.org}/teams/").json[0]
    assert [p["slug"] for p in team["projects"]] == ["api"]
    expanded = owner.api.get(f"/api/0/teams/{owner.org}/backend/?expand=projects").json
    assert [p["slug"] for p in expanded["projects"]] == ["api"]
    organization = owner.api.get(f"/api/0/organizations/{owner.org}/").json
    assert [p["slug"] for p in organization["projects"]] == ["api"]
    team_projects = owner.api.get(f"/api/0/teams/{owner.org}/backend/projects/")
    assert [p["slug"] for p in team_projects.json] == ["api"] and "Link" in team_projects.headers


def test_deleting_the_organization_takes_its_teams_projects_and_keys(owner, make_actor, create_project, app):
    create_project(owner, name="Api", slug="api")
    key = owner.api.get(f"/api/0/projects/{owner.org}/api/keys/").json[0]["public"]
    other = make_actor("owner")
    create_project(other, name="Api", slug="api")
    other_key = other.api.get(f"/api/0/projects/{other.org}/api/keys/").json[0]["public"]
    assert owner.api.delete(f"/api/0/organizations/{owner.org}/").status_code == 202
    with app.app_context():
        assert find_ingest_key(key) is None
        assert find_ingest_key(other_key).is_active
        assert db.session.query(Project).filter_by(organization_id=owner.organization.id).count() == 0
    assert [p["slug"] for p in other.api.get("/api/0/projects/").json] == ["api"]
