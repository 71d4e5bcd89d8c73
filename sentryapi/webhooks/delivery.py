"""Deliver one outbox row: claim it, POST it, log the attempt, decide what comes next.

The same function runs in the embedded worker thread and in RQ jobs. Claiming is one
conditional UPDATE (pending, due, not held by another attempt), so two queues holding
the same row (a job and the sweeper's copy of it) never send it at once; an attempt
holds the row for :data:`LEASE` seconds, after which a crashed worker's row is free
again. Delivery is at least once: a worker killed after the POST but before the log
was written sends it again, with the same ``Request-ID``.

An RQ worker writes an attempt's log in the transaction of its next claim
(:class:`AttemptLog`): one commit per delivery instead of two, and still at most one
attempt per worker whose log a kill can lose (so at most one duplicate per kill). An
idle worker writes it after :data:`HOLD_SECONDS`.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, insert, or_, select, update

from ..database import utcnow
from ..extensions import db
from . import sender, signing, ssrf
from .models import (
    ACTIVE,
    DELIVERED,
    DISABLED,
    FAILED,
    PENDING,
    ServiceHook,
    WebhookAttempt,
    WebhookOutbox,
)

log = logging.getLogger("sentryapi.webhooks")
#: Seconds an attempt holds its row (far beyond the HTTP timeout; a lookup may be slow).
LEASE = 15
#: A row due this soon may be attempted now (clocks and schedulers are not exact).
EARLY = dt.timedelta(seconds=2)
MAX_DELAY = 3600.0
#: Longest an RQ worker keeps an attempt's log for its next claim's transaction.
HOLD_SECONDS = 0.05


@dataclass(frozen=True)
class Claimed:
    """What an attempt needs, read before the claim's transaction ends."""

    id: int
    guid: str
    resource: str
    body: bytes
    manual: bool
    attempts: int
    max_attempts: int
    hook_id: int
    url: str
    secret: str
    active: bool
    hook_failing: bool


def claimable(now: dt.datetime):
    """Rows an attempt may take now."""
    return (
        WebhookOutbox.status == PENDING,
        WebhookOutbox.attempts < WebhookOutbox.max_attempts,
        WebhookOutbox.due_at <= now + EARLY,
        or_(WebhookOutbox.locked_until.is_(None), WebhookOutbox.locked_until < now),
    )


def claim(outbox_id: int, log: AttemptLog | None = None) -> Claimed | None:
    """Take the row for one attempt (committed, so other workers see it taken); the
    attempt ``log`` holds is written in the same transaction."""
    now = utcnow()
    logged = log is not None and log.write()
    taken = db.session.execute(
        update(WebhookOutbox).where(WebhookOutbox.id == outbox_id, *claimable(now))
        .values(locked_until=now + dt.timedelta(seconds=LEASE), attempts=WebhookOutbox.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        if logged:
            db.session.commit()  # the claim changed nothing; the held log is still written
        else:
            db.session.rollback()
        return None
    row = db.session.execute(
        select(WebhookOutbox.guid, WebhookOutbox.resource, WebhookOutbox.body, WebhookOutbox.manual,
               WebhookOutbox.attempts, WebhookOutbox.max_attempts, ServiceHook.id, ServiceHook.url,
               ServiceHook.secret, ServiceHook.status, ServiceHook.consecutive_failures)
        .join(ServiceHook, ServiceHook.id == WebhookOutbox.hook_id)
        .where(WebhookOutbox.id == outbox_id)
    ).one()
    db.session.commit()
    return Claimed(outbox_id, row[0], row[1], row[2].encode("utf-8"), row[3], row[4], row[5],
                   row[6], row[7], row[8], row[9] == ACTIVE, row[10] > 0)


def deliver(outbox_id: int, log: AttemptLog | None = None) -> float | None:
    """Make one attempt at a row, if it is free and due; the delay until the next
    attempt when one is scheduled, else ``None``. With ``log`` (RQ workers), the
    attempt's log is written with the next claim (or by ``log.flush``)."""
    item = claim(outbox_id, log)
    if item is None:
        return None
    if not item.active and not item.manual:
        _finish(item, FAILED)
        db.session.commit()
        return None
    config = current_app.config
    try:
        target = ssrf.resolve(item.url, allow_private=config["WEBHOOK_ALLOW_PRIVATE"])
        if config["WEBHOOK_LOOPBACK_ONLY"]:
            target = ssrf.require_loopback(target)
    except ssrf.UnsafeURL as error:
        result = sender.Result(False, None, 0, None, f"Refused: {error}")
    else:
        headers = signing.headers(secret=item.secret, body=item.body, request_id=item.guid,
                                  resource=item.resource)
        result = sender.post(target, item.body, headers, config["WEBHOOK_TIMEOUT"])
    delay = next_delay(item, result)
    if log is not None:
        log.hold(item, result, delay)
        return delay
    return record(item, result, delay)


def next_delay(item: Claimed, result: sender.Result) -> float | None:
    """Seconds until the next attempt, or ``None`` when this one settles the row."""
    if not result.success and result.retry and item.attempts < item.max_attempts:
        return retry_delay(item.attempts)
    return None


def record(item: Claimed, result: sender.Result, delay: float | None) -> float | None:
    """Log the attempt and move the row (and the hook's health) on, in one transaction.

    Three statements when it went well: the row, the attempt, the commit.
    """
    if not _write_record(item, result, delay, utcnow()):
        db.session.rollback()
        return None
    db.session.commit()
    return delay


def _write_record(item: Claimed, result: sender.Result, delay: float | None,
                  now: dt.datetime) -> bool:
    """The attempt's statements, uncommitted; ``False`` if its row is gone."""
    if result.success:
        moved = _finish(item, DELIVERED, delivered=now)
    elif delay is not None:
        moved = db.session.execute(update(WebhookOutbox).where(*_same_row(item)).values(
            due_at=now + dt.timedelta(seconds=delay), locked_until=None,
            enqueued_at=now)).rowcount  # the queue that ran this attempt schedules the next
    else:
        moved = _finish(item, FAILED)
    if not moved:  # the hook (and its deliveries) was deleted meanwhile
        return False
    db.session.execute(insert(WebhookAttempt).values(
        outbox_id=item.id, date_created=now, success=result.success, status_code=result.status_code,
        duration_ms=result.duration_ms, response_body=result.response_body, error=result.error))
    if not item.manual and (item.hook_failing or not result.success):
        _update_health(item.hook_id, result, now)
    return True


class AttemptLog:
    """An RQ worker's last attempt, logged with its next claim or after ``HOLD_SECONDS``.

    ``lock`` is held by a job from its claim to its hold, and by :meth:`flush`; the
    worker's flushing thread and its jobs each use their own app context (session).
    """

    def __init__(self):
        self.lock = threading.RLock()
        self.held: tuple | None = None
        self.since = 0.0
        #: Whether a flushing thread runs (``AppWorker.work``); without one nothing is held.
        self.active = False

    def hold(self, item: Claimed, result: sender.Result, delay: float | None) -> None:
        self.held = (item, result, delay, utcnow())
        self.since = time.monotonic()

    def write(self) -> bool:
        """Add the held attempt's statements to the session's transaction (not committed)."""
        held, self.held = self.held, None
        return held is not None and _write_record(*held)

    def flush(self, older_than: float = 0.0) -> None:
        """Commit the held attempt if it waited ``older_than`` seconds (call in an app context)."""
        with self.lock:
            if self.held is None or time.monotonic() - self.since < older_than:
                return
            try:
                if self.write():
                    db.session.commit()
                else:
                    db.session.rollback()
            except Exception:
                db.session.rollback()
                raise


def _same_row(item: Claimed) -> tuple:
    """The row this attempt claimed: by id and guid, since SQLite may give a deleted row's
    id to a new one while the attempt was under way."""
    return WebhookOutbox.id == item.id, WebhookOutbox.guid == item.guid


def _finish(item: Claimed, status: str, delivered: dt.datetime | None = None) -> int:
    return db.session.execute(update(WebhookOutbox).where(*_same_row(item)).values(
        status=status, locked_until=None, date_delivered=delivered)).rowcount


def retry_delay(attempts: int) -> float:
    """Seconds before attempt ``attempts + 1``: the base delay doubling, +-10% jitter."""
    base = current_app.config["WEBHOOK_RETRY_DELAY"] * 2 ** max(attempts - 1, 0)
    return min(base, MAX_DELAY) * random.uniform(0.9, 1.1)


def _update_health(hook_id: int, result: sender.Result, now: dt.datetime) -> None:
    """Reset the failure streak on success; on failure extend it, and disable the hook
    when it has lasted long enough (or at once on 410 Gone)."""
    if result.success:
        db.session.execute(update(ServiceHook).where(
            ServiceHook.id == hook_id, ServiceHook.consecutive_failures > 0).values(
            consecutive_failures=0, failing_since=None))
        return
    db.session.execute(update(ServiceHook).where(ServiceHook.id == hook_id).values(
        consecutive_failures=ServiceHook.consecutive_failures + 1,
        failing_since=func.coalesce(ServiceHook.failing_since, now)))
    config = current_app.config
    if result.gone:
        reason = f"Disabled {now:%Y-%m-%d %H:%M} UTC: the receiver answered 410 Gone."
        disable = update(ServiceHook).where(ServiceHook.id == hook_id)
    else:
        since = now - dt.timedelta(seconds=config["WEBHOOK_DISABLE_AFTER"])
        reason = (f"Disabled {now:%Y-%m-%d %H:%M} UTC: every delivery failed for "
                  f"{_duration(config['WEBHOOK_DISABLE_AFTER'])}. Last error: {result.error}")
        disable = update(ServiceHook).where(
            ServiceHook.id == hook_id,
            ServiceHook.consecutive_failures >= config["WEBHOOK_DISABLE_MIN_FAILURES"],
            ServiceHook.failing_since <= since)
    disabled = db.session.execute(disable.where(ServiceHook.status == ACTIVE).values(
        status=DISABLED, disabled_reason=reason[:500])).rowcount
    if disabled:
        log.warning("webhook %s disabled: %s", hook_id, reason)


def _duration(seconds: int) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{seconds} seconds"
