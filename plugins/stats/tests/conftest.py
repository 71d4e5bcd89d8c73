"""Fixtures: a project to count for, and counting outcomes at exact times."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from sentryapi.api import Outcome, OutcomeRecord, db, record_outcomes


@dataclass
class StatsProject:
    org: str
    slug: str
    id: int
    organization_id: int
    public_key: str
    api: object

    def path(self, tail: str) -> str:
        return f"/api/0/projects/{self.org}/{self.slug}/{tail}"


def make_project(owner, name: str) -> StatsProject:
    teams = owner.api.get(f"/api/0/organizations/{owner.org}/teams/").json
    if teams:
        team = teams[0]["slug"]
    else:
        team = owner.api.post(f"/api/0/organizations/{owner.org}/teams/",
                              json={"name": "Core"}).json["slug"]
    response = owner.api.post(f"/api/0/teams/{owner.org}/{team}/projects/", json={"name": name})
    assert response.status_code == 201, response.json
    project = response.json
    key = owner.api.get(f"/api/0/projects/{owner.org}/{project['slug']}/keys/").json[0]
    return StatsProject(owner.org, project["slug"], int(project["id"]), owner.organization.id,
                        key["public"], owner.api)


@pytest.fixture
def new_project(app):
    """``new_project(actor, name)``: a project of the actor's organization."""
    return make_project


@pytest.fixture
def project(owner):
    return make_project(owner, "Backend")


#: Keep every bucket for ten years: the tests count at fixed dates in the past.
KEEP_ALL = {10: 10 * 366 * 86400, 3600: 10 * 366 * 86400, 86400: 10 * 366 * 86400}


@pytest.fixture
def count(app, monkeypatch):
    """``count(project, "2026-03-01T23:59:59Z", "accepted", quantity=1, ...)``: one outcome
    record at that exact time, through the core's hook (as ingestion reports them)."""
    monkeypatch.setitem(app.config, "STATS_RETENTION", KEEP_ALL)

    def record(project, when: str, outcome: str = "accepted", quantity: int = 1, *,
               category: str = "error", reason: str | None = None,
               times_seen: int | None = None) -> None:
        moment = dt.datetime.fromisoformat(when)
        with app.app_context():
            record_outcomes([OutcomeRecord(
                Outcome(outcome), category, quantity, project.organization_id,
                project.id, None, reason, moment, times_seen=times_seen)])
            db.session.commit()

    return record
