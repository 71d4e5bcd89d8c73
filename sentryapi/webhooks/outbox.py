"""``emit``: what plugins call when something happens that subscribers may want to know.

Emitting adds one outbox row per matching hook to the caller's session, so the rows
commit (or roll back) with the change that caused them. Once the transaction commits,
the new rows are handed to the delivery queue (``queue.dispatch``); if that fails (Redis
down), the sweeper sends them later. Nothing is written when no hook wants the event:
the organization's active hooks are read once per transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..database import utcnow
from ..extensions import db
from .models import ACTIVE, PENDING, ServiceHook, WebhookOutbox
from .names import UndeclaredWebhookEvent, expand

log = logging.getLogger("sentryapi.webhooks")
HOOKS_KEY = "sentryapi.webhooks.hooks"
NEW_ROWS_KEY = "sentryapi.webhooks.new_rows"
SENTRY_ACTOR = {"type": "application", "id": "sentry", "name": "Sentry"}


@dataclass(frozen=True)
class Subscriber:
    id: int
    guid: str
    project_id: int | None
    events: frozenset[str]


def emit(organization, resource: str, action: str, data: dict | Callable[[], dict],
         actor=None, *, project=None) -> int:
    """Queue ``resource.action`` for every hook of the organization that subscribes to it.

    ``organization`` and ``project`` are models or ids; ``project`` scopes the event
    (project hooks get only their project's events, organization hooks get all).
    ``data`` is the payload's ``data`` (or a function making it, called only when some
    hook wants the event); ``actor`` a user, a ready ``{"type", "id", "name"}`` dict, or
    ``None`` for Sentry itself. Call it inside the transaction of the change and commit
    as usual. Returns how many deliveries were queued.
    """
    name = f"{resource}.{action}"
    state = current_app.extensions["sentryapi.webhooks"]
    if name not in state.declared:
        error = UndeclaredWebhookEvent(
            f"webhook event {name!r} is not declared by any plugin (Plugin.webhook_events)")
        if current_app.testing:
            raise error
        log.error("%s; not sent", error)
        return 0
    targets = _targets(organization, name, project)
    if not targets:
        return 0
    add_deliveries(targets, resource, action, data() if callable(data) else data, actor)
    return len(targets)


def subscribed(organization, resource: str, action: str, *, project=None) -> bool:
    """Whether some active hook would receive ``resource.action`` (``emit``'s arguments).

    It reads what ``emit`` reads (the organization's hooks, once per transaction), so a
    plugin can decide before building a payload, or before doing anything at all.
    """
    return bool(_targets(organization, f"{resource}.{action}", project))


def _targets(organization, name: str, project) -> list[Subscriber]:
    organization_id = getattr(organization, "id", organization)
    project_id = getattr(project, "id", project)
    return [s for s in subscribers(organization_id) if name in s.events
            and (s.project_id is None or s.project_id == project_id)]


def subscribers(organization_id: int) -> list[Subscriber]:
    """The organization's active hooks, read once per transaction."""
    cache = db.session.info.setdefault(HOOKS_KEY, {})
    if organization_id not in cache:
        declared = current_app.extensions["sentryapi.webhooks"].declared
        rows = db.session.execute(
            select(ServiceHook.id, ServiceHook.guid, ServiceHook.project_id, ServiceHook.events)
            .where(ServiceHook.organization_id == organization_id, ServiceHook.status == ACTIVE))
        cache[organization_id] = [Subscriber(r.id, r.guid, r.project_id, expand(r.events or (), declared))
                                  for r in rows]
    return cache[organization_id]


def forget_subscribers() -> None:
    """Drop the transaction's cache of hooks (after changing hooks in it)."""
    db.session.info.pop(HOOKS_KEY, None)


def add_deliveries(targets, resource: str, action: str, data: Any, actor=None, *,
                   manual: bool = False, max_attempts: int | None = None) -> list[WebhookOutbox]:
    """Outbox rows (in the session) carrying ``{action, installation, data, actor}``."""
    data_json, actor_json = dumps(data), dumps(actor_json_of(actor))
    now = utcnow()
    limit = max_attempts or current_app.config["WEBHOOK_MAX_ATTEMPTS"]
    rows = []
    for target in targets:
        body = (f'{{"action":{dumps(action)},"installation":{{"uuid":{dumps(target.guid)}}},'
                f'"data":{data_json},"actor":{actor_json}}}')
        rows.append(WebhookOutbox(
            guid=uuid.uuid4().hex, hook_id=target.id, resource=resource, action=action, body=body,
            status=PENDING, attempts=0, max_attempts=limit, manual=manual, due_at=now,
            enqueued_at=now, date_created=now))
    db.session.add_all(rows)
    return rows


def actor_json_of(actor) -> dict:
    if actor is None:
        return SENTRY_ACTOR
    if isinstance(actor, dict):
        return actor
    name = getattr(actor, "name", None) or getattr(actor, "email", None) or ""
    return {"type": "user", "id": actor.id, "name": name}


def dumps(value) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=_json_default)


def _json_default(value):
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, (dt.date, uuid.UUID)):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


# Hand new rows to the queue once their transaction has committed.


@event.listens_for(Session, "after_flush")
def _collect_new_rows(session, flush_context) -> None:
    ids = [obj.id for obj in session.new if isinstance(obj, WebhookOutbox)]
    if ids:
        session.info.setdefault(NEW_ROWS_KEY, []).extend(ids)


@event.listens_for(Session, "after_commit")
def _dispatch_committed(session) -> None:
    session.info.pop(HOOKS_KEY, None)
    ids = session.info.pop(NEW_ROWS_KEY, None)
    if ids:
        from .queue import dispatch

        dispatch(current_app._get_current_object(), ids)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session) -> None:
    session.info.pop(HOOKS_KEY, None)
    session.info.pop(NEW_ROWS_KEY, None)
