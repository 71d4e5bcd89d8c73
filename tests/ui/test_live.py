"""Live updates: the socket's access checks, what it hears, and Redis pub/sub between hosts."""

from __future__ import annotations

import json
import time

import pytest
from sentryapi_events.testing import digest_now, envelope, exception_event
from simple_websocket import Client
from simple_websocket import ConnectionError as Refused

from sentryapi.testing import redis_url, served_app
from sentryapi.testing.actors import factories
from sentryapi.ui.live import Hub

from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.slow


class Served:
    """One served app: a signed-in owner's session cookie, their project's DSN key, and a
    project of another organization."""

    def __init__(self, app, server):
        from sentryapi.auth.models import User
        from sentryapi.extensions import db

        self.app, self.url = app, server.url
        make_actor = factories(app)[3]
        self.owner, self.stranger = make_actor("owner"), make_actor("owner")
        with app.app_context():
            db.session.get(User, self.owner.user.id).set_password(PASSWORD)
            db.session.commit()
        client = app.test_client()
        sign_in(client, self.owner.user.email)
        self.cookie = f"sentryapi_session={client.get_cookie('sentryapi_session').value}"
        self.mine = self.project(self.owner)
        self.theirs = self.project(self.stranger)

    def project(self, actor) -> dict:
        team = actor.api.post(f"/api/0/organizations/{actor.org}/teams/", json={"slug": "t"}).json
        project = actor.api.post(f"/api/0/teams/{actor.org}/{team['slug']}/projects/", json={"name": "p"}).json
        key = actor.api.get(f"/api/0/projects/{actor.org}/{project['slug']}/keys/").json[0]
        return {"id": project["id"], "key": key["public"]}

    def send(self, project: dict) -> None:
        answer = self.owner.api.client.post(
            f"/api/{project['id']}/envelope/", data=envelope(exception_event("LiveError")),
            headers={"X-Sentry-Auth": f"Sentry sentry_key={project['key']}, sentry_version=7",
                     "Content-Type": "application/x-sentry-envelope"})
        assert answer.status_code == 200

    def socket(self, **headers) -> Client:
        # simple-websocket's client sends ``Host`` without the port (a browser sends it), so
        # the Origin that matches the server's view of itself has none either.
        return Client(f"{self.url.replace('http', 'ws')}/ws/",
                      headers={"Cookie": self.cookie, "Origin": "http://127.0.0.1", **headers})


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    base = tmp_path_factory.mktemp("live")
    with served_app("sqlite", base / "instance", base / "db.sqlite") as (app, server):
        yield Served(app, server)


def receive(ws, deadline: float = 20.0) -> dict:
    message = ws.receive(timeout=deadline)
    assert message is not None, "nothing arrived"
    return json.loads(message)


def test_the_socket_needs_the_session_and_this_origin(served):
    for headers in ({"Cookie": ""}, {"Origin": "https://evil.example"}):
        with pytest.raises(Refused) as refused:
            served.socket(**headers)
        assert refused.value.status_code == 403


def test_the_socket_hears_its_organizations_events_only(served):
    ws = served.socket()
    try:
        assert receive(ws) == {"type": "hello", "organizations": [served.owner.org]}
        served.send(served.theirs)  # another tenant's event: never told
        served.send(served.mine)
        digest_now(served.app)
        message = receive(ws)
        assert message["type"] == "events" and message["organization"] == served.owner.org
        assert message["projects"] == [int(served.mine["id"])] and len(message["newIssues"]) == 1
        assert ws.receive(timeout=0.5) is None  # nothing about the other organization
    finally:
        ws.close()


def test_redis_carries_messages_between_hosts(redis_prefix):
    channel = f"{redis_prefix}:live"
    sender, listener = Hub(redis_url(), channel), Hub(redis_url(), channel)
    try:
        mine, other = listener.subscribe({7}), listener.subscribe({8})
        assert listener.listening.wait(10)
        deadline = time.monotonic() + 10
        message = None
        while message is None and time.monotonic() < deadline:
            sender.publish({"type": "events", "organizationId": 7, "count": 1})
            message = mine.get(timeout=0.5)
        assert message == {"type": "events", "organizationId": 7, "count": 1}
        assert other.get(timeout=0.2) is None
    finally:
        sender.stop()
        listener.stop()
