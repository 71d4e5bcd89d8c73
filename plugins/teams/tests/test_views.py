"""Teams through HTTP: create, list, read, rename, delete; bad input changes nothing."""

from __future__ import annotations

import pytest
from sentryapi_teams import Team, TeamMember

from sentryapi.api import db


def teams_url(actor):
    return f"/api/0/organizations/{actor.org}/teams/"


def team_slugs(actor, **params):
    response = actor.api.get(teams_url(actor), query_string=params)
    assert response.status_code == 200, response.json
    return [team["slug"] for team in response.json]


def test_create_team_from_a_name_generates_a_unique_slug(owner):
    first = owner.api.post(teams_url(owner), json={"name": "Ancient Gabelers"})
    second = owner.api.post(teams_url(owner), json={"name": "Ancient Gabelers!"})
    assert first.status_code == second.status_code == 201
    assert first.json["slug"] == "ancient-gabelers"
    assert second.json["slug"] == "ancient-gabelers-2"
    assert first.json["name"] == "Ancient Gabelers"
    # The creator joins the team.
    assert first.json["isMember"] is True and first.json["memberCount"] == 1
    assert first.json["id"].isdigit()
    assert first.json["dateCreated"].endswith("Z")


def test_create_team_from_a_slug_names_it_after_the_slug(owner):
    response = owner.api.post(teams_url(owner), json={"slug": "backend"})
    assert response.status_code == 201
    assert (response.json["slug"], response.json["name"]) == ("backend", "backend")


def test_duplicate_team_slug_is_a_conflict_with_sentrys_body(owner, create_team):
    create_team(owner, slug="backend", name="Backend")
    response = owner.api.post(teams_url(owner), json={"slug": "backend", "name": "Other"})
    assert response.status_code == 409
    assert response.json == {
        "detail": "A team with this slug already exists.",
        "non_field_errors": ["A team with this slug already exists."],
    }
    assert team_slugs(owner) == ["backend"]


@pytest.mark.parametrize("body, field", [
    ({}, "non_field_errors"),
    ({"name": "", "slug": None}, "non_field_errors"),
    ({"slug": "Not A Slug"}, "slug"),
    ({"slug": "12345"}, "slug"),
    ({"slug": "x" * 51}, "slug"),
    ({"name": 123}, "name"),
    ({"name": "x" * 65}, "name"),
    ({"name": ["a"]}, "name"),
    ({"slug": {"a": 1}}, "slug"),
])
def test_bad_team_input_is_a_400_naming_the_field_and_creates_nothing(owner, body, field):
    response = owner.api.post(teams_url(owner), json=body)
    assert response.status_code == 400
    assert field in response.json and response.json["detail"]
    assert team_slugs(owner) == []


def test_missing_name_and_slug_message_is_sentrys(owner):
    response = owner.api.post(teams_url(owner), json={})
    assert response.json["non_field_errors"] == ["Name or slug is required"]


def test_server_owned_fields_are_never_written(owner, app):
    response = owner.api.post(teams_url(owner), json={
        "name": "Mass", "id": "999999", "dateCreated": "2001-01-01T00:00:00Z", "memberCount": 50,
        "isMember": False,
    })
    assert response.status_code == 201
    assert response.json["id"] != "999999"
    assert not response.json["dateCreated"].startswith("2001")
    assert response.json["memberCount"] == 1
    renamed = owner.api.put(f"/api/0/teams/{owner.org}/mass/",
                            json={"id": "12345", "dateCreated": "2001-01-01T00:00:00Z"})
    assert renamed.status_code == 200
    assert renamed.json["id"] == response.json["id"]
    assert renamed.json["dateCreated"] == response.json["dateCreated"]


def test_non_json_and_broken_json_bodies_are_refused(owner):
    wrong_type = owner.api.post(teams_url(owner), data="name=x",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    broken = owner.api.post(teams_url(owner), data="{", headers={"Content-Type": "application/json"})
    assert wrong_type.status_code == 415 and wrong_type.json["detail"]
    assert broken.status_code == 400 and broken.json["detail"].startswith("JSON parse error")
    assert team_slugs(owner) == []


def test_list_is_ordered_by_slug_and_pages_with_sentry_cursors(owner, create_team):
    for slug in ("delta", "alpha", "echo", "charlie", "bravo"):
        create_team(owner, slug=slug)
    seen, url = [], teams_url(owner) + "?per_page=2"
    while url:
        response = owner.api.get(url)
        assert response.status_code == 200
        seen += [team["slug"] for team in response.json]
        links = response.headers["Link"].split(", ")
        assert 'rel="previous"' in links[0] and 'rel="next"' in links[1]
        url = None
        if 'results="true"' in links[1]:
            url = links[1].split(">")[0].lstrip("<").replace("http://localhost", "")
    assert seen == ["alpha", "bravo", "charlie", "delta", "echo"]


def test_list_query_forms(owner, create_team):
    alpha = create_team(owner, name="Alpha Squad", slug="alpha")
    create_team(owner, name="Beta Squad", slug="beta")
    create_team(owner, name="Gamma", slug="gamma")
    assert team_slugs(owner, query="squad") == ["alpha", "beta"]
    assert team_slugs(owner, query="slug:gamma") == ["gamma"]
    assert team_slugs(owner, query="slug:[alpha, gamma]") == ["alpha", "gamma"]
    assert team_slugs(owner, query=f"id:{alpha['id']}") == ["alpha"]
    assert team_slugs(owner, query="!slug:alpha") == ["beta", "gamma"]
    assert team_slugs(owner, query="hasExternalTeams:true") == []
    assert team_slugs(owner, query="hasExternalTeams:false") == ["alpha", "beta", "gamma"]


@pytest.mark.parametrize("query", ["id:abc", "nosuchkey:1", 'slug:"open'])
def test_bad_list_queries_are_400(owner, query):
    response = owner.api.get(teams_url(owner), query_string={"query": query})
    assert response.status_code == 400 and response.json["detail"]


def test_detailed_zero_leaves_out_projects(owner, create_team):
    create_team(owner, slug="alpha")
    detailed = owner.api.get(teams_url(owner)).json[0]
    plain = owner.api.get(teams_url(owner), query_string={"detailed": "0"}).json[0]
    assert detailed["projects"] == [] and detailed["externalTeams"] == []
    assert "projects" not in plain and "externalTeams" not in plain


def test_team_detail_includes_the_organization_unless_collapsed(owner, create_team):
    create_team(owner, slug="alpha")
    url = f"/api/0/teams/{owner.org}/alpha/"
    full = owner.api.get(url)
    assert full.status_code == 200
    assert full.json["organization"]["slug"] == owner.org
    collapsed = owner.api.get(url, query_string={"collapse": "organization", "expand": "projects"})
    assert "organization" not in collapsed.json and collapsed.json["projects"] == []
    assert owner.api.get(url, query_string={"expand": "nonsense"}).status_code == 400


def test_team_found_by_id_or_slug(owner, create_team):
    team = create_team(owner, slug="alpha")
    by_id = owner.api.get(f"/api/0/teams/{owner.org}/{team['id']}/")
    assert by_id.status_code == 200 and by_id.json["slug"] == "alpha"
    assert owner.api.get(f"/api/0/teams/{owner.org}/99999999999999999999999/").status_code == 404
    assert owner.api.get(f"/api/0/teams/{owner.org}/nope/").json == {
        "detail": "The requested resource does not exist"}


def test_rename_keeps_the_id_and_a_taken_slug_is_a_conflict(owner, create_team):
    team = create_team(owner, slug="alpha", name="Alpha")
    create_team(owner, slug="beta")
    renamed = owner.api.put(f"/api/0/teams/{owner.org}/alpha/", json={"slug": "omega", "name": "Omega"})
    assert renamed.status_code == 200
    assert (renamed.json["id"], renamed.json["slug"], renamed.json["name"]) == (team["id"], "omega", "Omega")
    assert owner.api.get(f"/api/0/teams/{owner.org}/alpha/").status_code == 404
    clash = owner.api.put(f"/api/0/teams/{owner.org}/omega/", json={"slug": "beta", "name": "Changed"})
    assert clash.status_code == 409
    assert clash.json["slug"] == ['The slug "beta" is already in use.']
    unchanged = owner.api.get(f"/api/0/teams/{owner.org}/omega/").json
    assert unchanged["name"] == "Omega"


@pytest.mark.parametrize("body", [{"slug": "Bad Slug"}, {"name": ""}, {"name": 5}, {"slug": "999"}])
def test_bad_rename_is_400_and_changes_nothing(owner, create_team, body):
    create_team(owner, slug="alpha", name="Alpha")
    response = owner.api.put(f"/api/0/teams/{owner.org}/alpha/", json=body)
    assert response.status_code == 400
    team = owner.api.get(f"/api/0/teams/{owner.org}/alpha/").json
    assert (team["slug"], team["name"]) == ("alpha", "Alpha")


def test_delete_team_removes_its_memberships_and_nothing_else(owner, create_team, app):
    doomed = create_team(owner, slug="doomed")
    kept = create_team(owner, slug="kept")
    assert owner.api.delete(f"/api/0/teams/{owner.org}/doomed/").status_code == 204
    assert owner.api.get(f"/api/0/teams/{owner.org}/doomed/").status_code == 404
    assert team_slugs(owner) == ["kept"]
    with app.app_context():
        assert db.session.get(Team, int(doomed["id"])) is None
        assert db.session.query(TeamMember).filter_by(team_id=int(doomed["id"])).count() == 0
        assert db.session.query(TeamMember).filter_by(team_id=int(kept["id"])).count() == 1
    # The slug is free again.
    assert owner.api.post(teams_url(owner), json={"slug": "doomed"}).status_code == 201


def test_team_members_leave_out_pending_invitations(owner, make_actor, create_team):
    create_team(owner, slug="alpha")
    colleague = make_actor("member", organization=owner.organization)
    invited = owner.api.post(f"/api/0/organizations/{owner.org}/members/",
                             json={"email": "later@example.com", "teamRoles": [{"teamSlug": "alpha"}]})
    assert invited.status_code == 201
    added = owner.api.post(f"/api/0/organizations/{owner.org}/members/{colleague.member.id}/teams/alpha/")
    assert added.status_code == 201
    members = owner.api.get(f"/api/0/teams/{owner.org}/alpha/members/")
    assert members.status_code == 200
    emails = sorted(m["email"] for m in members.json)
    assert emails == sorted([owner.user.email, colleague.user.email])
    by_email = {m["email"]: m for m in members.json}
    assert by_email[colleague.user.email]["teamRole"] == "contributor"
    assert by_email[owner.user.email]["teamRole"] == "admin"  # owners are at least Team Admin
    assert {m["teamSlug"] for m in members.json} == {"alpha"}
    assert "Link" in members.headers
    team = owner.api.get(f"/api/0/teams/{owner.org}/alpha/").json
    assert team["memberCount"] == 2


def test_user_teams_are_the_callers_teams(owner, make_actor, create_team):
    create_team(owner, slug="mine")
    colleague = make_actor("admin", organization=owner.organization)
    create_team(colleague, slug="theirs")
    mine = owner.api.get(f"/api/0/organizations/{owner.org}/user-teams/")
    assert mine.status_code == 200
    assert [team["slug"] for team in mine.json] == ["mine"]
    assert mine.json[0]["projects"] == []


def test_user_teams_refuses_organization_tokens(owner, make_token, anonymous):
    token = make_token(organization=owner.organization, scopes=["org:read"])
    response = anonymous.as_(token).get(f"/api/0/organizations/{owner.org}/user-teams/")
    assert response.status_code == 403


def test_organization_detail_lists_its_teams(owner, create_team):
    create_team(owner, slug="alpha")
    detail = owner.api.get(f"/api/0/organizations/{owner.org}/")
    assert detail.status_code == 200
    assert [team["slug"] for team in detail.json["teams"]] == ["alpha"]
    assert detail.json["teams"][0]["isMember"] is True
