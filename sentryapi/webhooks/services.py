"""Service hooks as the API manages them: create, change, render; the delivery log."""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy import select

from ..database import utcnow
from ..exceptions import ValidationFailed
from ..extensions import db
from . import ssrf
from .models import ACTIVE, DISABLED, PENDING, ServiceHook, WebhookAttempt, WebhookOutbox
from .names import PING
from .outbox import NEW_ROWS_KEY, Subscriber, add_deliveries, forget_subscribers

#: Attempts shown per delivery in the log (the newest).
ATTEMPTS_SHOWN = 20


def check_url(url: str) -> None:
    """400 unless the URL is one deliveries may go to (see ``ssrf``)."""
    from flask import current_app

    try:
        ssrf.resolve(url, allow_private=current_app.config["WEBHOOK_ALLOW_PRIVATE"])
    except ssrf.UnsafeURL as error:
        raise ValidationFailed({"url": [str(error)]}) from None


def unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def create_hook(organization_id: int, project_id: int | None, url: str, events: list[str]) -> ServiceHook:
    check_url(url)
    hook = ServiceHook(guid=uuid.uuid4().hex, organization_id=organization_id, project_id=project_id,
                       url=url, secret=secrets.token_hex(32), events=unique(events), status=ACTIVE,
                       consecutive_failures=0, date_created=utcnow())
    db.session.add(hook)
    forget_subscribers()
    db.session.commit()
    return hook


def update_hook(hook: ServiceHook, data: dict) -> ServiceHook:
    if "url" in data:
        check_url(data["url"])
        hook.url = data["url"]
    if "events" in data:
        hook.events = unique(data["events"])
    if data.get("status") == ACTIVE:
        hook.status, hook.disabled_reason = ACTIVE, None
        hook.consecutive_failures, hook.failing_since = 0, None
    elif data.get("status") == DISABLED and hook.status != DISABLED:
        hook.status, hook.disabled_reason = DISABLED, "Disabled through the API."
    forget_subscribers()
    db.session.commit()
    return hook


def serialize_hook(hook: ServiceHook) -> dict:
    return {"id": hook.guid, "url": hook.url, "events": list(hook.events or ()), "secret": hook.secret,
            "status": hook.status, "disabledReason": hook.disabled_reason,
            "dateCreated": hook.date_created}


def serialize_deliveries(rows: list[WebhookOutbox]) -> list[dict]:
    """A page of deliveries with their latest attempts (one query for the page)."""
    attempts: dict[int, list[dict]] = {row.id: [] for row in rows}
    if rows:
        for attempt in db.session.scalars(select(WebhookAttempt).where(
                WebhookAttempt.outbox_id.in_(list(attempts))).order_by(WebhookAttempt.id.desc())):
            shown = attempts[attempt.outbox_id]
            if len(shown) < ATTEMPTS_SHOWN:
                shown.append({
                    "id": str(attempt.id), "dateCreated": attempt.date_created, "success": attempt.success,
                    "statusCode": attempt.status_code, "duration": attempt.duration_ms,
                    "responseBody": attempt.response_body, "error": attempt.error})
    return [{
        "id": row.guid, "event": row.event, "status": row.status, "attempts": attempts[row.id],
        "dateCreated": row.date_created, "dateDelivered": row.date_delivered,
        "nextAttempt": row.due_at if row.status == PENDING else None,
    } for row in rows]


def schedule(rows: list[WebhookOutbox]) -> None:
    """Hand existing rows to the queue when the transaction commits."""
    db.session.flush()
    db.session.info.setdefault(NEW_ROWS_KEY, []).extend(row.id for row in rows)


def redeliver(row: WebhookOutbox) -> WebhookOutbox:
    """One more attempt of a delivery, with the same body and ``Request-ID`` (a pending
    one keeps the retries it has left)."""
    now = utcnow()
    if row.status != PENDING:
        row.status, row.manual = PENDING, True
        row.max_attempts = row.attempts + 1
    row.due_at = row.enqueued_at = now
    schedule([row])
    db.session.commit()
    return row


def ping(hook: ServiceHook, actor) -> WebhookOutbox:
    """A test delivery (``Sentry-Hook-Resource: ping``), one attempt, even when disabled."""
    target = Subscriber(hook.id, hook.guid, hook.project_id, frozenset())
    data = {"message": "A test delivery from sentryapi.",
            "hook": {"id": hook.guid, "url": hook.url, "events": list(hook.events or ())}}
    [row] = add_deliveries([target], *PING, data, actor, manual=True, max_attempts=1)
    db.session.commit()
    return row
