"""Production path: RQ on a Redis server of the test's own, `flask sentryapi worker` processes.

The Redis server is stopped while changes commit and started again (empty, as a Redis
without persistence comes back): the outbox and the sweeper still deliver every webhook.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time

import pytest

from sentryapi.testing import service_unavailable

from .conftest import TEST_EVENTS, emit_in

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own on a free port (never the shared one)."""

    def __init__(self):
        self.port = free_port()
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        try:
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except FileNotFoundError as error:
            service_unavailable("redis-server (to start one of the test's own)", error)
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def own_redis():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def rq_setup(app, make_app, own_redis, tmp_path):
    """An app queueing on RQ, and ``start_worker()`` for worker processes on its database."""
    queue = "hooks-" + secrets.token_hex(4)
    config = {"REDIS_URL": own_redis.url, "WEBHOOK_DELIVERY": "rq", "WEBHOOK_QUEUE": queue,
              "WEBHOOK_ALLOW_PRIVATE": True, "WEBHOOK_RETRY_DELAY": 0.5}
    rq_app = make_app(**config)
    state = rq_app.extensions["sentryapi.webhooks"]
    state.declared = state.declared | TEST_EVENTS
    env = {**os.environ, "SENTRYAPI_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SENTRYAPI_REDIS_URL": own_redis.url, "SENTRYAPI_WEBHOOK_QUEUE": queue,
           "SENTRYAPI_WEBHOOK_ALLOW_PRIVATE": "1", "SENTRYAPI_WEBHOOK_REQUEUE_AFTER": "3",
           "SENTRYAPI_WEBHOOK_RETRY_DELAY": "0.5", "SENTRYAPI_SECRET_KEY": secrets.token_hex(16),
           "SENTRYAPI_INSTANCE_PATH": str(tmp_path), "SENTRYAPI_EVENTS_DIGEST": "off"}
    workers = []

    def start_worker():
        workers.append(subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "sentryapi", "worker"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=open(tmp_path / f"worker-{len(workers)}.log", "w")))
        return workers[-1]

    yield rq_app, start_worker
    for worker in workers:
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(5)


def org_hook(actor, url):
    response = actor.api.post(f"/api/0/organizations/{actor.org}/hooks/",
                              json={"url": url, "events": ["widget"]})
    assert response.status_code == 201, response.json
    return response.json


def attempts_per_delivery(app) -> list[int]:
    from sqlalchemy import func, select

    from sentryapi.extensions import db
    from sentryapi.webhooks.models import WebhookAttempt

    with app.app_context():
        counts = db.session.execute(select(func.count()).select_from(WebhookAttempt)
                                    .group_by(WebhookAttempt.outbox_id)).scalars().all()
        db.session.remove()
    return sorted(counts)


def test_every_webhook_arrives_when_redis_was_down_at_commit(app, hooks_app, rq_setup, own_redis, owner, receiver):
    from sentryapi.webhooks.receiver import verify

    rq_app, start_worker = rq_setup
    hook = org_hook(owner, receiver.url)
    worker = start_worker()
    emit_in(rq_app, owner.organization.id)  # Redis up: straight through the queue
    assert len(receiver.wait_for(1, timeout=30)) == 1

    own_redis.stop()
    for n in range(20):  # each change commits, though Redis is down
        emit_in(rq_app, owner.organization.id, data={"n": n})
    time.sleep(1)
    own_redis.start()

    got = receiver.wait_for(21, timeout=90)
    assert len(got) == 21
    assert worker.poll() is None  # the worker command outlives a Redis restart
    assert len({headers["request-id"] for headers, _ in got}) == 21
    assert sorted(p["data"]["n"] for p in receiver.payloads()[1:]) == list(range(20))
    assert all(verify(hook["secret"], headers, body) for headers, body in got)
    deadline = time.monotonic() + 10  # the last attempt is logged just after its POST
    while len(attempts_per_delivery(app)) < 21 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert attempts_per_delivery(app) == [1] * 21  # none sent twice, as far as the log tells


def test_a_failed_attempt_is_retried_by_rq(app, hooks_app, rq_setup, owner, receiver):
    rq_app, start_worker = rq_setup
    receiver.status = lambda n: 503 if n == 1 else 200
    org_hook(owner, receiver.url)
    start_worker()
    emit_in(rq_app, owner.organization.id)
    assert len(receiver.wait_for(1, timeout=60)) == 1
    assert receiver.seen == 2
    deadline = time.monotonic() + 10
    while attempts_per_delivery(app) != [2] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert attempts_per_delivery(app) == [2]
