"""One dataset per module and backend: errors and transactions sent as SDKs send them."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from sentryapi_discover.testing import transaction_event
from sentryapi_events.testing import digest_now, envelope, exception_event

from sentryapi.testing import BACKENDS
from sentryapi.testing.actors import factories
from sentryapi.testing.apps import build_app
from sentryapi.testing.services import postgres_schema

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


class Seeded:
    """An organization with two projects, four errors and five transactions."""

    def __init__(self, app, owner):
        self.app, self.owner, self.org, self.api = app, owner, owner.org, owner.api
        team = self.api.post(f"/api/0/organizations/{self.org}/teams/", json={"name": "Core"}).json
        self.projects = {}
        for name in ("Backend", "Frontend"):
            made = self.api.post(f"/api/0/teams/{self.org}/{team['slug']}/projects/", json={"name": name}).json
            key = self.api.get(f"/api/0/projects/{self.org}/{made['slug']}/keys/").json[0]
            self.projects[made["slug"]] = (made, key["public"])
        self.backend, self.frontend = list(self.projects)
        minute = dt.timedelta(minutes=1)
        errors = [
            ("backend", exception_event("KeyError", environment="prod", tags={"browser": "Chrome"},
                                        user={"id": "1", "email": "a@example.com"}, release="1.0",
                                        timestamp=(NOW - 3 * minute).timestamp())),
            ("backend", exception_event("KeyError", environment="prod", tags={"browser": "Firefox"},
                                        user={"id": "2", "email": "b@example.com"}, release="1.0",
                                        timestamp=(NOW - 2 * minute).timestamp())),
            ("backend", exception_event("ValueError", "bad", function="parse", environment="staging",
                                        timestamp=(NOW - 90 * minute).timestamp())),
            ("frontend", exception_event("TypeError", "x is undefined", function="render",
                                         level="warning", environment="prod",
                                         timestamp=(NOW - minute).timestamp())),
        ]
        for slug, event in errors:
            self.send(slug, envelope(event))
        self.transactions = [
            ("backend", transaction_event("/api/users", 100, environment="prod", end=NOW - 4 * minute,
                                          tags={"browser": "Chrome"}, measurements={"lcp": {"value": 1500}})),
            ("backend", transaction_event("/api/users", 200, environment="prod", end=NOW - 3 * minute)),
            ("backend", transaction_event("/api/users", 300, status="internal_error", environment="prod",
                                          end=NOW - 2 * minute, user={"email": "a@example.com"})),
            ("backend", transaction_event("/api/orders", 1000, environment="staging", end=NOW - 70 * minute)),
            ("frontend", transaction_event("/checkout", 400, op="pageload", environment="prod",
                                           end=NOW - minute)),
        ]
        for slug, event in self.transactions:
            self.send(slug, envelope(None, event_id=event["event_id"], items=[("transaction", event)]))
        digest_now(app)
        self.issues = {i["title"].split(":")[0]: i for i in self.api.get(
            f"/api/0/organizations/{self.org}/issues/?query=&project=-1").json}

    def send(self, slug: str, body: bytes) -> None:
        project, public = self.projects[self.backend if slug == "backend" else self.frontend]
        sent = self.api.client.post(f"/api/{project['id']}/envelope/", data=body, headers={
            "X-Sentry-Auth": f"Sentry sentry_key={public}, sentry_version=7",
            "Content-Type": "application/x-sentry-envelope"})
        assert sent.status_code == 200, sent.json

    def get(self, path: str, **params):
        params.setdefault("statsPeriod", "24h")
        return self.api.get(f"/api/0/organizations/{self.org}/{path}", query_string=params)


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(request, tmp_path_factory):
    base = tmp_path_factory.mktemp("discover")
    with contextlib.ExitStack() as stack:
        if request.param == "postgresql":
            url = stack.enter_context(postgres_schema("sentryapi_discover"))
        else:
            url = f"sqlite:///{base / 'db.sqlite'}"
        app = build_app(url, base / "instance")
        from sentryapi.api import db, stop_background

        stack.callback(stop_background, app)
        with app.app_context():
            db.create_all()
        yield Seeded(app, factories(app)[3]("owner"))
        with app.app_context():
            db.session.remove()
