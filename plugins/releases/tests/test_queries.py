"""Release lists cost the same number of SQL queries for 1 row as for 25."""

from __future__ import annotations

import pytest
from sentryapi_releases.testing import release_path


def fill(actor, create_project, count):
    """``count`` releases on two projects, each with an owner, commits, authors and deploys."""
    create_project(actor, name="Web", slug="web")
    create_project(actor, name="Api", slug="api")
    for n in range(count):
        version = f"app@1.{n}.0"
        made = actor.api.post(f"/api/0/organizations/{actor.org}/releases/", json={
            "version": version, "projects": ["web", "api"], "owner": actor.user.email,
            "commits": [{"id": f"{n:04x}{i}" * 8, "repository": f"repo-{i}", "message": "m",
                         "author_email": f"dev{i}@example.com" if i else actor.user.email}
                        for i in range(3)],
        })
        assert made.status_code == 201, made.json
        actor.api.post(release_path(actor.org, version, "deploys"), json={"environment": "prod"})
        actor.api.post(release_path(actor.org, version, "deploys"), json={"environment": "stage"})


PATHS = [
    "/api/0/organizations/{org}/releases/",
    "/api/0/organizations/{org}/releases/?project=-1&environment=prod&query=app",
    "/api/0/projects/{org}/web/releases/",
]


@pytest.mark.parametrize("path", PATHS)
def test_release_lists_run_constant_queries(make_actor, create_project, count_queries, path):
    counts = []
    for size in (1, 25):
        actor = make_actor("owner")
        fill(actor, create_project, size)
        url = path.format(org=actor.org)
        with count_queries() as statements:
            response = actor.api.get(url)
        assert response.status_code == 200 and len(response.json) == size, response.json
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("tail", ["deploys", "commits"])
def test_deploy_and_commit_lists_run_constant_queries(owner, create_project, count_queries, tail):
    create_project(owner, name="Web", slug="web")
    counts = []
    for size in (1, 30):
        version = f"v{size}"
        commits = [{"id": f"{i:040x}", "author_email": f"d{i}@example.com"} for i in range(size)]
        owner.api.post(f"/api/0/organizations/{owner.org}/releases/",
                       json={"version": version, "projects": ["web"], "commits": commits})
        for i in range(size):
            owner.api.post(release_path(owner.org, version, "deploys"), json={"environment": f"env-{i}"})
        with count_queries() as statements:
            response = owner.api.get(release_path(owner.org, version, tail))
        assert response.status_code == 200 and len(response.json) == size, response.json
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
