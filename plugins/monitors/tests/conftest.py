"""Fixtures: a project with its DSN key, check-ins sent the ways SDKs send them, the clock."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

import pytest
from sentryapi_events.testing import digest_now


@dataclass
class CronProject:
    org: str
    slug: str
    id: int
    public_key: str
    dsn: str
    crons_url: str
    api: object

    def checkin_url(self, monitor_slug: str) -> str:
        """The key's ``dsn.crons`` URL for a monitor, as a path on the test client."""
        url = self.crons_url.replace("___MONITOR_SLUG___", monitor_slug)
        return url[url.index("/api/"):]

    def envelope(self, *checkins: dict):
        """An envelope of ``check_in`` items, as sentry-sdk sends it."""
        lines = [json.dumps({"dsn": self.dsn, "sent_at": dt.datetime.now(dt.UTC).isoformat()})]
        for checkin in checkins:
            payload = json.dumps({"check_in_id": uuid.uuid4().hex, **checkin}).encode()
            lines += [json.dumps({"type": "check_in", "length": len(payload)}), payload.decode()]
        return self.api.client.post(f"/api/{self.id}/envelope/", data="\n".join(lines).encode(),
                                    headers={"Content-Type": "application/x-sentry-envelope"})


@pytest.fixture
def cron_project(app, owner, create_project):
    project = create_project(owner, name="Jobs", slug="jobs")
    keys = owner.api.get(f"/api/0/projects/{owner.org}/jobs/keys/").json
    return CronProject(owner.org, project["slug"], int(project["id"]), keys[0]["public"],
                       keys[0]["dsn"]["public"], keys[0]["dsn"]["crons"], owner.api)


@pytest.fixture
def digest(app):
    return lambda: digest_now(app, timeout=20)


@pytest.fixture
def tick(app):
    """``tick(now)``: the clock at ``now`` (aware), as the scheduler runs it."""
    from sentryapi_monitors.clock import tick as clock_tick

    def run(now: dt.datetime) -> dict:
        with app.app_context():
            return clock_tick(now)

    return run


@pytest.fixture
def monitor_state(owner):
    """``monitor_state(slug)``: the monitor's JSON and its check-ins, newest first."""

    def read(slug: str) -> tuple[dict, list[dict]]:
        base = f"/api/0/organizations/{owner.org}/monitors/{slug}/"
        monitor = owner.api.get(base)
        assert monitor.status_code == 200, monitor.json
        checkins = owner.api.get(base + "checkins/")
        assert checkins.status_code == 200, checkins.json
        return monitor.json, checkins.json

    return read
