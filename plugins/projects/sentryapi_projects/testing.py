"""pytest fixtures for suites that use projects (a ``pytest11`` plugin, loaded automatically).

``create_project(actor, name=..., slug=..., team=...)`` makes a project through the API
as ``actor`` (a team ``team`` is made first when it does not exist) and returns its JSON;
``project_dsn(actor, project_slug)`` is the public DSN of its first key.
"""

from __future__ import annotations

import pytest
from sentryapi_teams.testing import TEAM

from sentryapi.api import PROJECT_WRITE
from sentryapi.testing import probe, unique


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


# Probes (see sentryapi.probes): how the access tests make this plugin's objects.


PROJECT = "/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/"
KEY = "/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/keys/<key_id>/"


@probe("/api/0/organizations/<organization_id_or_slug>/projects/",
       bodies={"POST": lambda ctx: {"name": unique("Project")}})
def no_project(ctx) -> dict:
    return {}


@probe("/api/0/teams/<organization_id_or_slug>/<team_id_or_slug>/projects/",
       bodies={"POST": lambda ctx: {"name": unique("Project")}})
def team_projects(ctx) -> dict:
    return ctx.need(TEAM)


@probe(PROJECT, bodies={"PUT": {"name": "Renamed"}}, requires={"PUT": PROJECT_WRITE})
@probe("/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/teams/")
@probe("/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/keys/",
       bodies={"POST": {"name": "probe key"}})
def project(ctx) -> dict:
    team = ctx.need(TEAM)["team_id_or_slug"]
    made = ctx.api.post(f"/api/0/teams/{ctx.org}/{team}/projects/",
                        json={"name": unique("Project"), "platform": "python"})
    assert made.status_code == 201, made.json
    return {"project_id_or_slug": made.json["slug"], "project_id": made.json["id"]}


@probe(KEY, bodies={"PUT": {"name": "renamed key"}})
def key(ctx) -> dict:
    project = ctx.need(PROJECT)["project_id_or_slug"]
    keys = ctx.api.get(f"/api/0/projects/{ctx.org}/{project}/keys/")
    assert keys.status_code == 200 and keys.json, keys.json
    return {"project_id_or_slug": project, "key_id": keys.json[0]["id"],
            "public_key": keys.json[0]["public"]}


@probe("/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/teams/<team_id_or_slug>/")
def project_team(ctx) -> dict:
    team = ctx.api.post(f"/api/0/organizations/{ctx.org}/teams/", json={"name": unique("Team")})
    assert team.status_code == 201, team.json
    return {"project_id_or_slug": ctx.need(PROJECT)["project_id_or_slug"],
            "team_id_or_slug": team.json["slug"]}
