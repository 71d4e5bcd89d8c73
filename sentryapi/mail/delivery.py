"""Deliver one outbox row: claim it, send it, then mark it sent or due again later.

Claiming is one conditional UPDATE (pending, due, not held), so the RQ job, the mail
thread and the ``mail.outbox`` sweep never send a row at the same time; an attempt holds
it for :data:`LEASE` seconds, after which a crashed worker's row is free again. A row
stays pending, due again after a backoff, while the SMTP server is away, until it has
used ``SENTRYAPI_MAIL_MAX_ATTEMPTS``.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import current_app
from sqlalchemy import or_, select, update

from ..database import failure_summary, utcnow
from ..extensions import db
from . import smtp
from .models import FAILED, PENDING, SENT, MailOutbox

log = logging.getLogger("sentryapi.mail")
LEASE = 120
FIRST_DELAY, MAX_DELAY = 10.0, 3600.0
SWEEP_BATCH = 100


def claimable(now: dt.datetime):
    return (MailOutbox.status == PENDING, MailOutbox.due_at <= now,
            MailOutbox.attempts < MailOutbox.max_attempts,
            or_(MailOutbox.locked_until.is_(None), MailOutbox.locked_until < now))


def backoff(attempts: int) -> float:
    return min(MAX_DELAY, FIRST_DELAY * 2 ** max(0, attempts - 1))


def deliver(outbox_id: int, now: dt.datetime | None = None) -> bool | None:
    """One attempt: ``True`` sent, ``False`` failed (due again later), ``None`` not ours."""
    now = now or utcnow()
    claimed = db.session.execute(
        update(MailOutbox).where(MailOutbox.id == outbox_id, *claimable(now))
        .values(locked_until=now + dt.timedelta(seconds=LEASE), attempts=MailOutbox.attempts + 1)
    ).rowcount
    db.session.commit()
    if not claimed:
        return None
    row = db.session.get(MailOutbox, outbox_id)
    config = current_app.config
    try:
        smtp.send(config, smtp.build(config, row))
    except Exception as error:  # noqa: BLE001 - SMTP down, refused, timed out: try again later
        row.last_error = failure_summary(error)[:500]
        row.locked_until = None
        row.due_at = utcnow() + dt.timedelta(seconds=backoff(row.attempts))
        if row.attempts >= row.max_attempts:
            row.status = FAILED
        log.warning("e-mail %s to %s failed (attempt %d): %s", row.guid, row.to_address,
                    row.attempts, row.last_error)
        db.session.commit()
        return False
    row.status, row.locked_until, row.date_sent, row.last_error = SENT, None, utcnow(), ""
    db.session.commit()
    return True


def deliver_due(now: dt.datetime | None = None) -> int:
    """Send what is due (retries, and rows no queue took); the ``mail.outbox`` task."""
    now = now or utcnow()
    ids = list(db.session.scalars(select(MailOutbox.id).where(*claimable(now))
                                  .order_by(MailOutbox.due_at).limit(SWEEP_BATCH)))
    db.session.commit()
    return sum(1 for outbox_id in ids if deliver(outbox_id, now))


def deliver_job(outbox_id: int) -> None:
    """The RQ job (run by ``flask sentryapi worker``, in the app context)."""
    deliver(outbox_id)
