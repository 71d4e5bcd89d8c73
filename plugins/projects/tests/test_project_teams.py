"""Which teams hold a project: list, give access, take it away."""

from __future__ import annotations


def test_add_list_and_remove_teams(owner, create_project, create_team):
    create_project(owner, name="Api", slug="api", team="backend")
    create_team(owner, slug="ops")
    url = f"/api/0/projects/{owner.org}/api/teams/"
    added = owner.api.post(f"{url}ops/")
    assert added.status_code == 201
    assert [t["slug"] for t in added.json["teams"]] == ["backend", "ops"]
    assert owner.api.post(f"{url}ops/").status_code == 201  # already there: fine
    listed = owner.api.get(url)
    assert [t["slug"] for t in listed.json] == ["backend", "ops"] and "Link" in listed.headers
    assert owner.api.get(f"/api/0/teams/{owner.org}/ops/projects/").json[0]["slug"] == "api"
    removed = owner.api.delete(f"{url}backend/")
    assert removed.status_code == 200 and [t["slug"] for t in removed.json["teams"]] == ["ops"]
    last = owner.api.delete(f"{url}ops/")
    assert last.status_code == 200 and last.json["teams"] == [] and "team" not in last.json
    assert owner.api.get(f"/api/0/projects/{owner.org}/api/").status_code == 200
    assert owner.api.get(f"/api/0/teams/{owner.org}/backend/").status_code == 200


def test_unknown_team_or_project_is_404(owner, create_project):
    create_project(owner, name="Api", slug="api")
    assert owner.api.post(f"/api/0/projects/{owner.org}/api/teams/nope/").status_code == 404
    assert owner.api.post(f"/api/0/projects/{owner.org}/nope/teams/default-team/").status_code == 404
    assert owner.api.get(f"/api/0/projects/{owner.org}/nope/teams/").status_code == 404


def test_closed_membership_admin_needs_to_be_on_both_teams(owner, make_actor, create_project,
                                                            create_team, set_org_option):
    set_org_option(owner.organization, "openMembership", False)
    create_project(owner, name="Api", slug="api", team="backend")
    create_team(owner, slug="ops")
    admin = make_actor("admin", organization=owner.organization)
    url = f"/api/0/projects/{admin.org}/api/teams/ops/"
    assert admin.api.post(url).status_code == 403
    owner.api.post(f"/api/0/organizations/{owner.org}/members/{admin.member.id}/teams/backend/")
    assert admin.api.post(url).status_code == 403  # on the project's team, not on ops
    owner.api.post(f"/api/0/organizations/{owner.org}/members/{admin.member.id}/teams/ops/")
    assert admin.api.post(url).status_code == 201


def test_teams_of_a_project_filter_by_name_or_slug_and_sort(owner, create_project, create_team):
    from sentryapi.testing import walk_sorted

    create_project(owner, name="Api", slug="api", team="backend")
    for slug, name in (("ops", "zulu ops"), ("web", "alpha web")):
        create_team(owner, slug=slug, name=name)
        assert owner.api.post(f"/api/0/projects/{owner.org}/api/teams/{slug}/").status_code == 201
    url = f"/api/0/projects/{owner.org}/api/teams/"
    assert [t["slug"] for t in owner.api.get(f"{url}?query=ZULU").json] == ["ops"]
    assert [t["slug"] for t in owner.api.get(f"{url}?query=back").json] == ["backend"]
    by_name = walk_sorted(owner.api, url, "-name", key=lambda t: t["name"])
    assert [t["slug"] for t in by_name] == ["ops", "backend", "web"]
    walk_sorted(owner.api, url, "-slug", key=lambda t: t["slug"])
    assert owner.api.get(f"{url}?sort=members").status_code == 400
