"""Shared by bench/webhooks.py and bench/worker_crash.py: a Redis server and a database of
their own, the app, a hook pointing at a local receiver, deliveries, and `rq worker`s."""

from __future__ import annotations

import contextlib
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def machine() -> str:
    return (f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}")


@contextlib.contextmanager
def redis_server():
    """A redis-server on a free loopback port, no persistence; its URL."""
    import redis

    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        with contextlib.suppress(redis.RedisError):
            client.ping()
            break
        time.sleep(0.05)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(10)


@contextlib.contextmanager
def database(sqlite: bool):
    """A fresh PostgreSQL schema (the local ``test`` database), or a SQLite file."""
    if sqlite:
        with tempfile.TemporaryDirectory(prefix="sentryapi-bench-") as tmp:
            yield f"sqlite:///{tmp}/db.sqlite"
        return
    from sentryapi.testing import postgres_schema

    with postgres_schema("bench_webhooks") as url:
        yield url


class Setup:
    """The app (queueing on RQ), an organization hook to ``receiver_url``, and workers."""

    def __init__(self, database_url: str, redis_url: str, receiver_url: str, *, requeue_after: int = 120):
        from sentryapi import create_app

        self.instance = tempfile.mkdtemp(prefix="sentryapi-bench-instance-")
        self.queue = "bench-" + secrets.token_hex(4)
        self.env = {**os.environ, "SENTRYAPI_DATABASE_URL": database_url, "SENTRYAPI_REDIS_URL": redis_url,
                    "SENTRYAPI_WEBHOOK_QUEUE": self.queue, "SENTRYAPI_WEBHOOK_ALLOW_PRIVATE": "1",
                    "SENTRYAPI_WEBHOOK_REQUEUE_AFTER": str(requeue_after),
                    "SENTRYAPI_SECRET_KEY": secrets.token_hex(16), "SENTRYAPI_INSTANCE_PATH": self.instance,
                    "SENTRYAPI_LOG_LEVEL": "WARNING", "SENTRYAPI_EVENTS_DIGEST": "off"}
        os.environ["SENTRYAPI_INSTANCE_PATH"] = self.instance
        self.redis_url = redis_url
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "REDIS_URL": redis_url,
                               "WEBHOOK_QUEUE": self.queue + "-staging", "WEBHOOK_ALLOW_PRIVATE": True,
                               "SECRET_KEY": secrets.token_hex(16), "LOG_LEVEL": "WARNING"})
        self.workers: list[subprocess.Popen] = []
        from sentryapi.extensions import db
        from sentryapi.organizations import services
        from sentryapi.webhooks import services as hooks

        with self.app.app_context():
            db.create_all()
            user = services.create_user(f"bench-{secrets.token_hex(4)}@example.com")
            organization = services.create_organization("Bench", user)
            db.session.commit()
            self.organization_id = organization.id
            hooks.create_hook(organization.id, None, receiver_url, ["issue"])

    def make_deliveries(self, count: int, batch: int = 1000) -> list[int]:
        """``count`` outbox rows (``issue.created``), committed; not on the workers' queue yet."""
        from sqlalchemy import select

        from sentryapi.extensions import db
        from sentryapi.webhooks import emit
        from sentryapi.webhooks.models import WebhookOutbox

        state = self.app.extensions["sentryapi.webhooks"]
        state.declared = state.declared | {"issue.created"}
        with self.app.app_context():
            for start in range(0, count, batch):
                for n in range(start, min(count, start + batch)):
                    emit(self.organization_id, "issue", "created", {"issue": {"id": str(n)}})
                db.session.commit()
            ids = list(db.session.scalars(select(WebhookOutbox.id).order_by(WebhookOutbox.id)))
            db.session.remove()
        return ids

    def enqueue(self, ids: list[int]) -> None:
        from sentryapi.webhooks.queue import enqueue

        self.app.config["WEBHOOK_QUEUE"] = self.queue
        for start in range(0, len(ids), 1000):
            enqueue(self.app, ids[start:start + 1000])

    def delivered(self) -> int:
        from sqlalchemy import func, select

        from sentryapi.extensions import db
        from sentryapi.webhooks.models import WebhookOutbox

        with self.app.app_context():
            n = db.session.scalar(select(func.count()).select_from(WebhookOutbox)
                                  .where(WebhookOutbox.status == "delivered"))
            db.session.remove()
        return n

    def start_worker(self) -> subprocess.Popen:
        """``rq worker`` with sentryapi's worker class, in a process group of its own."""
        process = subprocess.Popen(
            [str(BIN / "rq"), "worker", "-u", self.redis_url, "-w", "sentryapi.webhooks.worker.AppWorker",
             "--with-scheduler", "--quiet", "--logging_level", "WARNING", self.queue],
            cwd=ROOT, env=self.env, start_new_session=True, stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(self.instance, f"worker-{len(self.workers)}.log"), "w"))
        self.workers.append(process)
        return process

    def wait_workers(self, count: int, timeout: float = 60) -> None:
        from rq import Worker

        queue = self.rq_queue()
        deadline = time.monotonic() + timeout
        while len(Worker.all(queue=queue)) < count:
            if time.monotonic() > deadline:
                raise RuntimeError("the rq workers did not start")
            time.sleep(0.1)

    def rq_queue(self):
        from rq import Queue

        from sentryapi.webhooks.queue import redis_connection

        return Queue(self.queue, connection=redis_connection(self.app))

    def kill(self, process: subprocess.Popen) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def close(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.workers:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill(process)
        from sentryapi.extensions import db

        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()
