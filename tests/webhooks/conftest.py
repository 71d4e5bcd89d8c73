"""Fixtures for the webhook tests: a real receiver, an app that may deliver to it."""

from __future__ import annotations

import pytest

from sentryapi.webhooks.receiver import Receiver

#: Events only these tests emit, declared for them (as a plugin declares its own).
TEST_EVENTS = frozenset({"widget.created", "widget.deleted"})


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.stop()


@pytest.fixture
def hooks_app(app, monkeypatch):
    """The test app, allowed to deliver to 127.0.0.1, with quick retries and the test
    events declared; its delivery thread is stopped afterwards."""
    from sentryapi.webhooks.queue import stop

    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    monkeypatch.setitem(app.config, "WEBHOOK_RETRY_DELAY", 0.2)
    state = app.extensions["sentryapi.webhooks"]
    monkeypatch.setattr(state, "declared", state.declared | TEST_EVENTS)
    yield app
    stop(app)


def make_project(actor) -> str:
    """A team and a project through the API; the project's slug."""
    team = actor.api.post(f"/api/0/organizations/{actor.org}/teams/", json={"name": "Hooks team"})
    assert team.status_code == 201, team.json
    project = actor.api.post(f"/api/0/teams/{actor.org}/{team.json['slug']}/projects/",
                             json={"name": "Hooks project"})
    assert project.status_code == 201, project.json
    return project.json["slug"]


def emit_in(app, organization_id, resource="widget", action="created", data=None, project=None, actor=None):
    """Emit one event the way a plugin does: inside a transaction, then commit."""
    from sentryapi.extensions import db
    from sentryapi.webhooks import emit

    with app.app_context():
        count = emit(organization_id, resource, action, data or {"widget": {"id": "1"}}, actor,
                     project=project)
        db.session.commit()
    return count
