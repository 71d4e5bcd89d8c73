"""Built-in plugin: service hooks (webhook subscriptions), their deliveries and log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete

from ..extensions import db
from ..plugins import BackgroundProcess, Plugin
from . import views
from .models import MODELS, ServiceHook, WebhookOutbox
from .outbox import forget_subscribers
from .queue import mode, runner


@dataclass
class State:
    """Per app: the declared events, the Redis client, the delivery thread."""

    declared: frozenset[str]
    redis: object = None
    runner: object = None
    pruned_at: object = None


def init_app(app) -> None:
    registry = app.extensions["sentryapi.plugins"]
    app.extensions["sentryapi.webhooks"] = State(declared=frozenset(registry.webhook_events))

    if mode(app) == "thread":
        @app.before_request
        def start_delivery_thread():
            # Once per process, on its first request (after gunicorn forks): it also
            # sends what an earlier run left pending.
            state = app.extensions["sentryapi.webhooks"]
            if state.runner is None:
                runner(app)


def fuzz_seed(organization, member) -> dict:
    """An organization hook (and a delivery of it) for the API fuzzing tests."""
    hook = ServiceHook(guid=uuid.uuid4().hex, organization_id=organization.id, url="https://example.com/hook",
                       secret="0" * 64, events=["event.created"], status="disabled")
    db.session.add(hook)
    db.session.flush()
    row = WebhookOutbox(guid=uuid.uuid4().hex, hook_id=hook.id, resource="ping", action="test", body="{}",
                        status="failed", attempts=1, max_attempts=1)
    db.session.add(row)
    db.session.flush()
    return {"hook_id": hook.guid, "delivery_id": row.guid}


def project_deleted(project_id: int) -> None:
    """A project's hooks go with it (its id may be given to a new project on SQLite)."""

    db.session.execute(delete(ServiceHook).where(ServiceHook.project_id == project_id))
    forget_subscribers()


plugin = Plugin(
    name="webhooks",
    requires=("organizations", "scheduler"),  # probes build on organizations; its worker runs the tasks
    blueprints=(views.blp,),
    tags=({"name": "Service Hooks", "description": "Webhooks: subscriptions to events, signed "
           "deliveries (`Sentry-Hook-Signature`), retries, the delivery log, redelivery and pings."},),
    scopes=("project:read", "project:write", "project:admin", "org:read", "org:write", "org:admin"),
    models=MODELS,
    init_app=init_app,
    hooks={"fuzz_seed": fuzz_seed, "project_deleted": project_deleted},
    # With Redis, deliveries and periodic tasks run in `flask sentryapi worker` processes.
    processes=(BackgroundProcess("webhook worker", ("sentryapi", "worker"),
                                 wanted=lambda app: mode(app) == "rq"),),
)
