"""The release endpoints: create (201/208), list, detail, update, finalize, delete, deploys,
commits, and versions with awkward characters."""

from __future__ import annotations

import pytest
from sentryapi_releases.testing import release_path

RELEASES = "/api/0/organizations/{org}/releases/"


@pytest.fixture
def project(owner, create_project):
    return create_project(owner, name="Frontend", slug="frontend", platform="javascript")


def create(actor, version, projects, **body):
    return actor.api.post(RELEASES.format(org=actor.org),
                          json={"version": version, "projects": projects, **body})


def test_create_then_again_is_208_and_new_projects_201(owner, project, create_project):
    made = create(owner, "frontend@1.0.0", ["frontend"])
    assert made.status_code == 201, made.json
    body = made.json
    assert isinstance(body["id"], int) and body["version"] == "frontend@1.0.0"
    assert body["dateCreated"].endswith("Z") and body["dateReleased"] is None
    assert body["projects"][0]["id"] == int(project["id"]) and body["projects"][0]["slug"] == "frontend"
    assert body["versionInfo"]["package"] == "frontend"
    assert body["versionInfo"]["version"]["major"] == 1
    again = create(owner, "frontend@1.0.0", [int(project["id"])])
    assert again.status_code == 208 and again.json["id"] == body["id"]
    create_project(owner, name="Backend", slug="backend")
    grown = create(owner, "frontend@1.0.0", ["backend"])
    assert grown.status_code == 201
    assert [p["slug"] for p in grown.json["projects"]] == ["backend", "frontend"]


def test_unknown_project_is_400(owner, project):
    response = create(owner, "1.0", ["nope"])
    assert response.status_code == 400
    assert response.json["projects"] == ["Invalid project ids or slugs"]
    assert create(owner, "1.0", [2**70]).status_code == 400
    assert create(owner, "1.0", [True]).status_code == 400
    missing = owner.api.post(RELEASES.format(org=owner.org), json={"version": "1.0"})
    assert missing.status_code == 400 and "projects" in missing.json


@pytest.mark.parametrize("version", ["", " ", ".", "..", "latest", "LATEST", "a\tb", "a\nb",
                                     "a\\b", "x" * 201, "v1/deploys"])
def test_refused_versions(owner, project, version):
    response = create(owner, version, ["frontend"])
    assert response.status_code == 400, response.json
    assert "version" in response.json


@pytest.mark.parametrize("version", ["1.0", "my app@2.0 (beta)", "feature/login", "a//b",
                                     "100%", "what?#x", "ünïcode"])
def test_awkward_versions_round_trip(owner, project, version):
    assert create(owner, version, ["frontend"]).status_code == 201
    got = owner.api.get(release_path(owner.org, version))
    assert got.status_code == 200, got.json
    assert got.json["version"] == version
    assert owner.api.put(release_path(owner.org, version), json={"ref": "main"}).json["ref"] == "main"
    deploys = owner.api.post(release_path(owner.org, version, "deploys"), json={"environment": "prod"})
    assert deploys.status_code == 201, deploys.json
    assert owner.api.delete(release_path(owner.org, version)).status_code == 204
    assert owner.api.get(release_path(owner.org, version)).status_code == 404


def test_finalize_update_and_list(owner, project):
    create(owner, "1.0", ["frontend"])
    create(owner, "2.0", ["frontend"], url="https://example.com/2.0", ref="abc")
    listed = owner.api.get(RELEASES.format(org=owner.org) + "?cursor=")
    assert listed.status_code == 200 and 'rel="next"' in listed.headers["Link"]
    assert [r["version"] for r in listed.json] == ["2.0", "1.0"]
    done = owner.api.put(release_path(owner.org, "1.0"), json={"dateReleased": "2024-05-01T10:00:00Z"})
    assert done.status_code == 200 and done.json["dateReleased"] == "2024-05-01T10:00:00Z"
    assert owner.api.get(RELEASES.format(org=owner.org) + "?query=finalized:true").json[0]["version"] == "1.0"
    assert [r["version"] for r in owner.api.get(RELEASES.format(org=owner.org) + "?query=2.").json] == ["2.0"]
    project_list = owner.api.get(f"/api/0/projects/{owner.org}/frontend/releases/")
    assert [r["version"] for r in project_list.json] == ["2.0", "1.0"]
    kept = owner.api.put(release_path(owner.org, "2.0"), json={"url": None})
    assert kept.json["url"] == "https://example.com/2.0"
    archived = owner.api.put(release_path(owner.org, "2.0"), json={"status": "archived"})
    assert archived.json["status"] == "archived"
    assert [r["version"] for r in owner.api.get(RELEASES.format(org=owner.org)).json] == ["1.0"]
    assert [r["version"] for r in owner.api.get(RELEASES.format(org=owner.org) + "?status=").json] == ["2.0", "1.0"]


def test_deploys(owner, project):
    create(owner, "1.0", ["frontend"])
    path = release_path(owner.org, "1.0", "deploys")
    first = owner.api.post(path, json={"environment": "staging", "name": "d1"})
    assert first.status_code == 201, first.json
    assert first.json["environment"] == "staging" and first.json["dateFinished"].endswith("Z")
    owner.api.post(path, json={"environment": "production", "url": "https://ci.example/1"})
    release = owner.api.get(release_path(owner.org, "1.0")).json
    assert release["deployCount"] == 2 and release["lastDeploy"]["environment"] == "production"
    listed = owner.api.get(path)
    assert [d["environment"] for d in listed.json] == ["production", "staging"]
    assert owner.api.post(path, json={}).status_code == 400
    assert owner.api.post(path, json={"environment": "a/b"}).status_code == 400
    by_env = owner.api.get(RELEASES.format(org=owner.org) + "?environment=production")
    assert [r["version"] for r in by_env.json] == ["1.0"]
    assert owner.api.get(RELEASES.format(org=owner.org) + "?environment=nowhere").json == []


def test_commits_and_refs(owner, project):
    commits = [
        {"id": "c" * 40, "repository": "acme/web", "message": "newest", "author_name": "Jane",
         "author_email": "jane@example.com", "timestamp": "2024-01-02T00:00:00Z",
         "patch_set": [{"path": "a.py", "type": "M"}]},
        {"id": "b" * 40, "repository": "acme/web", "message": "older", "author_name": "Bob Smith"},
        {"id": "a" * 40, "message": "no repository"},
    ]
    made = create(owner, "1.0", ["frontend"], commits=commits,
                  refs=[{"repository": "acme/web", "commit": "c" * 40, "previousCommit": "0" * 40}])
    assert made.status_code == 201, made.json
    body = made.json
    assert body["commitCount"] == 3 and body["lastCommit"]["id"] == "c" * 40
    assert body["lastCommit"]["repository"]["name"] == "acme/web"
    assert [a["email"] for a in body["authors"]] == ["jane@example.com", "bobsmith@localhost"]
    listed = owner.api.get(release_path(owner.org, "1.0", "commits"))
    assert [c["message"] for c in listed.json] == ["newest", "older", "no repository"]
    assert listed.json[2]["repository"]["name"].startswith("organization-")
    project_commits = owner.api.get(f"/api/0/projects/{owner.org}/frontend/releases/1.0/commits/")
    assert len(project_commits.json) == 3
    replaced = owner.api.put(release_path(owner.org, "1.0"), json={"commits": commits[:1]})
    assert replaced.json["commitCount"] == 1
    cleared = owner.api.put(release_path(owner.org, "1.0"), json={"refs": []})
    assert cleared.json["commitCount"] == 0 and cleared.json["lastCommit"] is None
    bad = create(owner, "2.0", ["frontend"], commits=[{"id": "x", "patch_set": [{"path": "a", "type": "X"}]}])
    assert bad.status_code == 400
    bad_ref = create(owner, "2.0", ["frontend"], refs=[{"repository": "r", "commit": "..abc"}])
    assert bad_ref.status_code == 400


def test_owner_and_detail_project_meta(owner, project):
    create(owner, "1.0", ["frontend"])
    create(owner, "2.0", ["frontend"], owner=owner.user.email)
    create(owner, "3.0", ["frontend"])
    detail = owner.api.get(release_path(owner.org, "2.0") + "?project=frontend").json
    assert detail["owner"]["email"] == owner.user.email
    assert detail["currentProjectMeta"] == {
        "prevReleaseVersion": "1.0", "nextReleaseVersion": "3.0",
        "firstReleaseVersion": "1.0", "lastReleaseVersion": "3.0"}
    assert create(owner, "4.0", ["frontend"], owner="nobody@example.com").status_code == 400


def test_walking_the_list_returns_each_release_once(owner, project):
    from sentryapi.testing import follow_links

    for n in range(7):
        assert create(owner, f"r{n}", ["frontend"]).status_code == 201
    pages, links = follow_links(owner.api, RELEASES.format(org=owner.org) + "?per_page=3&query=r")
    seen = [r["version"] for page in pages for r in page]
    assert seen == [f"r{n}" for n in range(6, -1, -1)]
    assert [len(page) for page in pages] == [3, 3, 1]
    assert owner.api.get(RELEASES.format(org=owner.org) + "?per_page=101").status_code == 400
    assert owner.api.get(RELEASES.format(org=owner.org) + "?cursor=bad").status_code == 400
    assert owner.api.get(RELEASES.format(org=owner.org) + "?query=%22open").status_code == 400


def test_update_ignores_projects_like_sentry(owner, project, create_project):
    create(owner, "1.0", ["frontend"])
    create_project(owner, name="Other", slug="other")
    updated = owner.api.put(release_path(owner.org, "1.0"),
                            json={"projects": ["other", "no-such-project"], "dateReleased": "2024-01-01T00:00:00Z"})
    assert updated.status_code == 200, updated.json
    assert [p["slug"] for p in updated.json["projects"]] == ["frontend"]


def test_a_cursor_beyond_the_sort_column_is_a_400(owner, project):
    """Found by fuzzing: a commit position is a 32-bit integer on PostgreSQL."""
    create(owner, "1.0", ["frontend"], commits=[{"id": "a" * 40}])
    for cursor in ("9999999999:1:0", "-5914831947408:7047248:1"):
        response = owner.api.get(release_path(owner.org, "1.0", "commits") + f"?cursor={cursor}")
        assert (response.status_code, response.json) == (400, {"detail": "Invalid cursor parameter."})
    assert owner.api.get(release_path(owner.org, "1.0", "commits") + "?cursor=5:0:0").status_code == 200
