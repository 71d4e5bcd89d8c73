"""Who may do what with releases: Sentry's scopes, team access, organization tokens, and
other tenants (404, exactly like a missing release)."""

from __future__ import annotations

import pytest
from sentryapi_releases.testing import release_path

RELEASES = "/api/0/organizations/{org}/releases/"
READ = ["project:read", "project:write", "project:admin", "project:releases", "org:ci"]
WRITE = ["project:write", "project:admin", "project:releases", "org:ci"]
ADMIN = ["project:admin", "project:releases"]


@pytest.fixture
def setup(owner, create_project, create_release):
    create_project(owner, name="Web", slug="web", team="web-team")
    create_project(owner, name="Api", slug="api", team="api-team")
    create_release(owner, "1.0", ["web"])
    create_release(owner, "both", ["web", "api"])
    return owner


def call(api, method, path, body=None):
    return api.request(method, path, json=body)


OPERATIONS = [
    ("GET", lambda org: RELEASES.format(org=org), None, READ),
    ("POST", lambda org: RELEASES.format(org=org), {"version": "new", "projects": ["web"]}, WRITE),
    ("GET", lambda org: release_path(org, "1.0"), None, READ),
    ("PUT", lambda org: release_path(org, "1.0"), {"ref": "x"}, WRITE),
    ("DELETE", lambda org: release_path(org, "1.0"), None, ADMIN),
    ("GET", lambda org: release_path(org, "1.0", "deploys"), None, READ),
    ("POST", lambda org: release_path(org, "1.0", "deploys"), {"environment": "prod"}, WRITE),
    ("GET", lambda org: release_path(org, "1.0", "commits"), None, READ),
    ("GET", lambda org: f"/api/0/projects/{org}/web/releases/", None, READ),
]
SCOPES = ["project:read", "project:write", "project:admin", "project:releases", "org:read",
          "event:read", "team:write"]


@pytest.mark.parametrize("method, path, body, allowed", OPERATIONS)
def test_scope_matrix(setup, make_token, anonymous, method, path, body, allowed):
    url = path(setup.org)
    assert call(anonymous, method, url, body).status_code == 401
    for scope in SCOPES:
        api = setup.api.as_(make_token(setup.user, [scope]))
        status = call(api, method, url, body).status_code
        if scope in allowed:
            assert status < 400, (scope, status)
            if method in ("POST", "DELETE"):  # put it back for the next scope
                setup.api.post(RELEASES.format(org=setup.org), json={"version": "1.0", "projects": ["web"]})
                setup.api.delete(release_path(setup.org, "new"))
        else:
            assert status == 403, (scope, status)


def test_organization_token_manages_every_release(setup, make_token):
    """``org:ci`` implies ``project:releases`` in the core, so its tokens also delete."""
    api = setup.api.as_(make_token(organization=setup.organization))
    assert call(api, "POST", RELEASES.format(org=setup.org), {"version": "ci", "projects": ["api"]}).status_code == 201
    assert [r["version"] for r in call(api, "GET", RELEASES.format(org=setup.org)).json] == ["ci", "both", "1.0"]
    assert call(api, "PUT", release_path(setup.org, "ci"), {"dateReleased": "2024-01-01T00:00:00Z"}).status_code == 200
    assert call(api, "POST", release_path(setup.org, "ci", "deploys"), {"environment": "prod"}).status_code == 201
    assert call(api, "DELETE", release_path(setup.org, "ci")).status_code == 204


def test_members_see_their_teams_releases(setup, make_actor):
    """Without open membership a member reaches the projects of their teams only."""
    closed = setup.api.put(f"/api/0/organizations/{setup.org}/", json={"openMembership": False})
    assert closed.status_code == 200, closed.json
    member = make_actor("member", organization=setup.organization)
    # On no team: nothing listed by default, nothing readable; -1 changes nothing for them.
    assert call(member.api, "GET", RELEASES.format(org=setup.org)).json == []
    assert call(member.api, "GET", release_path(setup.org, "1.0")).status_code == 404
    assert call(member.api, "GET", RELEASES.format(org=setup.org) + "?project=web").status_code == 403
    assert call(member.api, "POST", RELEASES.format(org=setup.org),
                {"version": "m", "projects": ["web"]}).json["projects"] == ["Invalid project ids or slugs"]
    joined = setup.api.post(f"/api/0/organizations/{setup.org}/members/{member.member.id}/teams/web-team/")
    assert joined.status_code == 201, joined.json
    assert [r["version"] for r in call(member.api, "GET", RELEASES.format(org=setup.org)).json] == ["both", "1.0"]
    assert call(member.api, "GET", release_path(setup.org, "both")).status_code == 200
    # Changing a release takes access to all of its projects.
    assert call(member.api, "PUT", release_path(setup.org, "both"), {"ref": "x"}).status_code == 404
    assert call(member.api, "PUT", release_path(setup.org, "1.0"), {"ref": "x"}).status_code == 200
    again = call(member.api, "POST", RELEASES.format(org=setup.org), {"version": "both", "projects": ["web"]})
    assert again.status_code == 400 and "api" in again.json["projects"][0]


def test_an_owner_on_no_team_lists_with_project_all(setup, make_actor):
    other_owner = make_actor("owner", organization=setup.organization)
    assert call(other_owner.api, "GET", RELEASES.format(org=setup.org)).json == []
    listed = call(other_owner.api, "GET", RELEASES.format(org=setup.org) + "?project=-1")
    assert [r["version"] for r in listed.json] == ["both", "1.0"]
    assert call(other_owner.api, "GET", release_path(setup.org, "1.0")).status_code == 200


def test_other_tenants_get_404_like_a_missing_release(setup, make_actor):
    stranger = make_actor("owner")
    for method, path, body, _ in OPERATIONS:
        url = path(setup.org)
        response = call(stranger.api, method, url, body)
        missing = call(setup.api, method, url.replace(setup.org, "no-such-org"), body)
        assert response.status_code == 404 == missing.status_code, (method, url)
        assert response.json == missing.json
    # Same version in two organizations: two releases.
    stranger_project = stranger.api.post(f"/api/0/organizations/{stranger.org}/projects/", json={"name": "S"})
    made = stranger.api.post(RELEASES.format(org=stranger.org),
                             json={"version": "1.0", "projects": [stranger_project.json["slug"]]})
    assert made.status_code == 201
    assert call(setup.api, "GET", release_path(setup.org, "1.0")).json["id"] != made.json["id"]
    missing = call(setup.api, "GET", release_path(setup.org, "nope"))
    assert missing.status_code == 404 and missing.json == {"detail": "The requested resource does not exist"}
