"""``send_mail``: a message added to the caller's transaction, handed to the queue after commit."""

from __future__ import annotations

import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..background import on_stop
from ..database import utcnow
from ..extensions import db
from .models import PENDING, MailOutbox

log = logging.getLogger("sentryapi.mail")
NEW_ROWS_KEY = "sentryapi.mail.new_rows"
EXTENSION = "sentryapi.mail"
JOB = "sentryapi.mail.delivery.deliver_job"


def send_mail(to: str, subject: str, text: str, html: str = "", *, kind: str = "") -> MailOutbox:
    """Queue an e-mail to ``to`` (a plain-text body, and an HTML one if given).

    The row is added to the caller's session: it is sent once that transaction commits,
    and never if it rolls back. ``kind`` says what sent it (for the log).
    """
    now = utcnow()
    row = MailOutbox(guid=uuid.uuid4().hex, to_address=to[:254], subject=subject[:500].replace("\n", " "),
                     text_body=text, html_body=html, kind=kind[:32], status=PENDING, attempts=0,
                     max_attempts=current_app.config["MAIL_MAX_ATTEMPTS"], due_at=now,
                     last_error="", date_created=now)
    db.session.add(row)
    return row


def dispatch(app, ids: list[int]) -> None:
    """After a commit that added mail: send it from RQ or this process's mail thread.
    Never raises: what is not handed over now is sent by the ``mail.outbox`` task."""
    from ..webhooks.queue import mode, rq_queue

    try:
        if mode(app) == "rq":
            from rq import Queue

            rq_queue(app).enqueue_many([Queue.prepare_data(JOB, (i,), result_ttl=0, failure_ttl=86400)
                                        for i in ids])
            return
        pool = _pool(app)
        for outbox_id in ids:
            pool.submit(_deliver_in_context, app, outbox_id)
    except Exception as error:  # noqa: BLE001 - the rows wait in the outbox for the sweep
        log.warning("could not queue %d e-mails (%s); the mail.outbox task sends them", len(ids), error)


_lock = threading.Lock()


def _pool(app) -> ThreadPoolExecutor:
    with _lock:
        pool = app.extensions.get(EXTENSION)
        if pool is None:
            pool = ThreadPoolExecutor(1, thread_name_prefix="sentryapi-mail")
            app.extensions[EXTENSION] = pool

            def stop():
                app.extensions.pop(EXTENSION, None)
                pool.shutdown(wait=True, cancel_futures=True)

            on_stop(app, stop)
    return pool


def _deliver_in_context(app, outbox_id: int) -> None:
    from .delivery import deliver

    try:
        with app.app_context():
            deliver(outbox_id)
    except Exception:  # noqa: BLE001 - the row stays pending; the sweep tries it again
        log.warning("e-mail %s could not be delivered now", outbox_id, exc_info=True)


@event.listens_for(Session, "after_flush")
def _collect_new_rows(session, flush_context) -> None:
    ids = [obj.id for obj in session.new if isinstance(obj, MailOutbox)]
    if ids:
        session.info.setdefault(NEW_ROWS_KEY, []).extend(ids)


@event.listens_for(Session, "after_commit")
def _dispatch_committed(session) -> None:
    ids = session.info.pop(NEW_ROWS_KEY, None)
    if ids:
        dispatch(current_app._get_current_object(), ids)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session) -> None:
    session.info.pop(NEW_ROWS_KEY, None)
