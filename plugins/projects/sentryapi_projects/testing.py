"""pytest fixtures for suites that use projects (a ``pytest11`` plugin, loaded automatically).

``create_project(actor, name=..., slug=..., team=...)`` makes a project through the API
as ``actor`` (a team ``team`` is made first when it does not exist) and returns its JSON;
``project_dsn(actor, project_slug)`` is the public DSN of its first key.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def create_project():
    def create(actor, *, team: str = "default-team", **body):
        teams = f"/api/0/organizations/{actor.org}/teams/"
        if actor.api.get(f"/api/0/teams/{actor.org}/{team}/").status_code == 404:
            made = actor.api.post(teams, json={"slug": team})
            assert made.status_code == 201, made.json
        response = actor.api.post(f"/api/0/teams/{actor.org}/{team}/projects/",
                                  json=body or {"name": "Project"})
        assert response.status_code == 201, response.json
        return response.json

    return create


@pytest.fixture
def project_dsn():
    def dsn(actor, project_slug: str) -> str:
        keys = actor.api.get(f"/api/0/projects/{actor.org}/{project_slug}/keys/")
        assert keys.status_code == 200 and keys.json, keys.json
        return keys.json[-1]["dsn"]["public"]

    return dsn
