"""Probes for sentryapi's access tests (how to make a monitor), and fixtures for tests."""

from __future__ import annotations

import pytest
from sentryapi_projects.testing import KEY, PROJECT

from sentryapi.testing import probe, unique

MONITORS = "/api/0/organizations/<organization_id_or_slug>/monitors/"
ORG_MONITOR = MONITORS + "<monitor_id_or_slug>/"
PROJECT_MONITOR = PROJECT + "monitors/<monitor_id_or_slug>/"
CONFIG = {"schedule": "0 * * * *", "checkin_margin": 5, "max_runtime": 30}


def monitor_body(ctx) -> dict:
    project = ctx.need(PROJECT)["project_id_or_slug"]
    return {"project": project, "name": unique("Job"), "config": dict(CONFIG)}


@probe(MONITORS, bodies={"POST": monitor_body})
def monitors(ctx) -> dict:
    return {}


def _made(ctx) -> dict:
    made = ctx.api.post(f"/api/0/organizations/{ctx.org}/monitors/", json=monitor_body(ctx))
    assert made.status_code == 201, made.json
    return made.json


@probe(ORG_MONITOR, bodies={"PUT": {"name": "Renamed job"}})
@probe(ORG_MONITOR + "checkins/")
def monitor(ctx) -> dict:
    return {"monitor_id_or_slug": _made(ctx)["slug"]}


@probe(PROJECT_MONITOR, bodies={"PUT": {"name": "Renamed job"}})
@probe(PROJECT_MONITOR + "checkins/")
def project_monitor(ctx) -> dict:
    made = _made(ctx)
    return {"project_id_or_slug": made["project"]["slug"], "monitor_id_or_slug": made["slug"]}


@probe(ORG_MONITOR + "environments/<environment>/", bodies={"PUT": {"isMuted": True}},
       selectors=("environment",))
def monitor_environment(ctx) -> dict:
    made = _made(ctx)
    key = ctx.need(KEY)
    project_id = ctx.need(PROJECT)["project_id"]
    sent = ctx.api.get(f"/api/{project_id}/cron/{made['slug']}/{key['public_key']}/"
                       "?status=ok&environment=production")
    assert sent.status_code == 202, sent.data
    return {"monitor_id_or_slug": made["slug"], "environment": "production"}


@pytest.fixture
def create_monitor():
    """``create_monitor(owner, project_slug, **fields)``: a monitor made through the API."""

    def create(owner, project, **fields):
        body = {"project": project, "name": unique("Job"), "config": dict(CONFIG), **fields}
        made = owner.api.post(f"/api/0/organizations/{owner.org}/monitors/", json=body)
        assert made.status_code == 201, made.json
        return made.json

    return create
