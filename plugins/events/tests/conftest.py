"""Fixtures: a project with a DSN key, envelopes to send, and running the digest."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
from sentryapi_events.testing import envelope


@dataclass
class SentryProject:
    org: str
    slug: str
    id: int
    public_key: str
    dsn: str
    api: object
    client: object

    @property
    def envelope_url(self) -> str:
        return f"/api/{self.id}/envelope/"

    @property
    def store_url(self) -> str:
        return f"/api/{self.id}/store/"

    def auth_header(self, key: str | None = None) -> dict:
        return {"X-Sentry-Auth": f"Sentry sentry_key={key or self.public_key}, sentry_version=7, "
                                 "sentry_client=tests/1.0"}

    def send(self, body: bytes, headers: dict | None = None, url: str | None = None):
        all_headers = {**self.auth_header(), "Content-Type": "application/x-sentry-envelope"}
        all_headers.update(headers or {})
        return self.client.post(url or self.envelope_url, data=body,
                                headers={k: v for k, v in all_headers.items() if v is not None})

    def send_event(self, event: dict, **kwargs):
        return self.send(envelope(event), **kwargs)


@pytest.fixture
def sentry_project(app, owner):
    """A team, a project and its default DSN key, owned by ``owner``."""
    response = owner.api.post(f"/api/0/organizations/{owner.org}/teams/", json={"name": "Core"})
    assert response.status_code == 201, response.json
    team = response.json["slug"]
    response = owner.api.post(f"/api/0/teams/{owner.org}/{team}/projects/",
                              json={"name": "Backend", "platform": "python"})
    assert response.status_code == 201, response.json
    project = response.json
    keys = owner.api.get(f"/api/0/projects/{owner.org}/{project['slug']}/keys/").json
    return SentryProject(owner.org, project["slug"], int(project["id"]), keys[0]["public"],
                         keys[0]["dsn"]["public"], owner.api, owner.api.client)


@pytest.fixture
def digest(app):
    """``digest()`` groups everything queued now (as the background thread does, which may
    be at it too: this waits until the queue is empty)."""
    from sentryapi_events.testing import digest_now

    def run() -> int:
        return digest_now(app, timeout=20)

    return run


@pytest.fixture
def rows(app):
    """``rows(Model)`` -> how many rows the table has."""
    from sqlalchemy import func, select

    from sentryapi.api import db

    def count(model) -> int:
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(model))

    return count


@pytest.fixture
def outcomes(app, sentry_project):
    """``outcomes()`` -> ``{(category, outcome, reason): quantity}`` this plugin reported for
    ``sentry_project`` through the core's ``record_outcomes`` hook (as the stats plugin,
    their store, receives them)."""
    from sentryapi.plugins import Plugin

    taken = []

    def record_outcomes(records):
        taken.extend(r for r in records if r.project_id == sentry_project.id)

    registry = app.extensions["sentryapi.plugins"]
    registry.add(Plugin("test-outcomes", hooks={"record_outcomes": record_outcomes}))

    def counted() -> Counter:
        tally = Counter()
        for record in list(taken):
            tally[(record.category, record.outcome, record.reason or "")] += record.quantity
        return tally

    yield counted
    registry.remove("test-outcomes")
