"""Getting outbox rows to a worker: RQ with Redis, or a thread of the server process.

- **RQ** (``SENTRYAPI_REDIS_URL`` set): after commit, one job per row on the queue
  ``SENTRYAPI_WEBHOOK_QUEUE``; ``flask sentryapi worker`` (or ``rq worker`` with
  :class:`sentryapi.webhooks.worker.AppWorker`) runs them. A failed attempt returns an RQ
  ``Retry`` with the backoff delay. The workers also run the sweeper.
- **thread** (no Redis, the embedded default): the commit wakes a thread of the server
  process, which sends every due row (a few at a time) and, the database being the
  queue, retries and anything left by an earlier run as they fall due.

Either way the outbox row is the truth. The **sweeper** re-enqueues rows no queue
holds: never enqueued (Redis was down at commit), or enqueued longer ago than
``SENTRYAPI_WEBHOOK_REQUEUE_AFTER`` and still not sent (a job lost with Redis, a killed
worker). A row in two queues is sent once: each attempt claims it first.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import and_, or_, select, update

from ..background import on_stop
from ..database import failure_summary, probe_engine, utcnow
from ..extensions import db
from . import delivery
from .models import DELIVERED, FAILED, PENDING, WebhookOutbox

log = logging.getLogger("sentryapi.webhooks")
JOB = "sentryapi.webhooks.worker.deliver_job"
#: Seconds between sweeps, and between looks at the outbox when idle (thread mode).
SWEEP_SECONDS = 1.0
SWEEP_BATCH = 500
#: A retry far in the future is still taken by the RQ job that scheduled it.
RETRY_CAP = 1000


def mode(app) -> str:
    """``rq`` or ``thread``: where this app's deliveries run."""
    chosen = app.config["WEBHOOK_DELIVERY"]
    if chosen == "auto":
        return "rq" if app.config["REDIS_URL"] else "thread"
    return chosen


def dispatch(app, ids: list[int]) -> None:
    """Called after a commit that added outbox rows; never raises."""
    try:
        if mode(app) == "thread":
            runner(app).wake()
            return
        enqueue(app, ids)
    except Exception as error:  # noqa: BLE001 - the change is committed; the sweeper sends them
        log.warning("could not enqueue %d webhook deliveries (%s); the sweeper will", len(ids), error)
        try:
            with db.engine.begin() as connection:
                connection.execute(update(WebhookOutbox).where(WebhookOutbox.id.in_(ids))
                                   .values(enqueued_at=None))
        except Exception:  # noqa: BLE001 - they are found after REQUEUE_AFTER then
            log.warning("could not mark the deliveries unqueued", exc_info=True)


# RQ


def redis_connection(app):
    state = app.extensions["sentryapi.webhooks"]
    if state.redis is None:
        import redis

        state.redis = redis.Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=1,
                                           socket_timeout=5)
    return state.redis


def rq_queue(app, connection=None):
    from rq import Queue

    return Queue(app.config["WEBHOOK_QUEUE"], connection=connection or redis_connection(app))


def enqueue(app, ids: list[int]) -> None:
    from rq import Queue

    queue = rq_queue(app)
    jobs = [Queue.prepare_data(JOB, (outbox_id,), result_ttl=0, failure_ttl=86400,
                               timeout=delivery.LEASE) for outbox_id in ids]
    queue.enqueue_many(jobs)


# The sweeper


def sweep(app, *, rq: bool) -> list[int]:
    """Ids of rows to (re)send now, claimed for the queue; also fails rows out of attempts
    and prunes old ones. Runs in an app context."""
    now = utcnow()
    pending_unlocked = (WebhookOutbox.status == PENDING,
                        or_(WebhookOutbox.locked_until.is_(None), WebhookOutbox.locked_until < now))
    db.session.execute(update(WebhookOutbox).where(
        *pending_unlocked, WebhookOutbox.attempts >= WebhookOutbox.max_attempts).values(
        status=FAILED, locked_until=None))
    if rq:
        stale = now - dt.timedelta(seconds=app.config["WEBHOOK_REQUEUE_AFTER"])
        lost = or_(WebhookOutbox.enqueued_at.is_(None),
                   and_(WebhookOutbox.enqueued_at < stale, WebhookOutbox.due_at < stale))
        ids = list(db.session.scalars(select(WebhookOutbox.id).where(*pending_unlocked, lost)
                                      .order_by(WebhookOutbox.id).limit(SWEEP_BATCH)))
        if ids:
            db.session.execute(update(WebhookOutbox).where(WebhookOutbox.id.in_(ids))
                               .values(enqueued_at=now))
    else:
        ids = list(db.session.scalars(select(WebhookOutbox.id).where(*delivery.claimable(now))
                                      .order_by(WebhookOutbox.due_at).limit(SWEEP_BATCH)))
    _prune(app, now)
    db.session.commit()
    return ids


def _prune(app, now: dt.datetime) -> None:
    """Delete finished deliveries (and their attempts) past the retention, hourly."""
    state = app.extensions["sentryapi.webhooks"]
    if state.pruned_at and now - state.pruned_at < dt.timedelta(hours=1):
        return
    state.pruned_at = now
    cutoff = now - dt.timedelta(days=app.config["WEBHOOK_RETENTION_DAYS"])
    db.session.execute(WebhookOutbox.__table__.delete().where(
        WebhookOutbox.status.in_((DELIVERED, FAILED)), WebhookOutbox.date_created < cutoff))


def sweep_into_rq(app) -> int:
    """One sweep by one of the workers (a Redis lock elects it); returns rows enqueued."""
    connection = redis_connection(app)
    lock = f"{app.config['WEBHOOK_QUEUE']}:sweeper"
    if not connection.set(lock, "1", nx=True, px=int(SWEEP_SECONDS * 1000 * 0.9)):
        return 0
    ids = sweep(app, rq=True)
    if ids:
        try:
            enqueue(app, ids)
        except Exception:
            with db.engine.begin() as c:
                c.execute(update(WebhookOutbox).where(WebhookOutbox.id.in_(ids)).values(enqueued_at=None))
            raise
    return len(ids)


# The thread of the embedded default


class Runner:
    """The delivery thread of one app in this process; holds the app weakly, so a
    dropped app (tests make many) ends it, as does :meth:`stop`."""

    def __init__(self, app):
        self.app_ref = weakref.ref(app)
        self.wakeup = threading.Event()
        self.stopping = threading.Event()
        self.pool = ThreadPoolExecutor(app.config["WEBHOOK_THREADS"], thread_name_prefix="sentryapi-webhook")
        self.probe = probe_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        self.thread = threading.Thread(target=self._run, name="sentryapi-webhooks", daemon=True)
        weakref.finalize(app, self.stop, wait=False)
        self.thread.start()

    def wake(self) -> None:
        self.wakeup.set()

    def stop(self, wait: bool = True) -> None:
        self.stopping.set()
        self.wakeup.set()
        if wait and self.thread is not threading.current_thread():
            self.thread.join(10)
        self.pool.shutdown(wait=wait, cancel_futures=True)
        if self.probe is not None:
            self.probe.dispose()

    def _run(self) -> None:
        failing = False
        while not self.stopping.is_set():
            self.wakeup.wait(10 if failing else SWEEP_SECONDS)
            self.wakeup.clear()
            if self.stopping.is_set():
                return
            app = self.app_ref()
            if app is None:
                return
            try:
                self._step(app)
            except Exception as error:  # noqa: BLE001 - survive a database outage
                if not failing:
                    log.error("webhook sweep failed (%s); retrying", failure_summary(error))
                log.debug("webhook sweep failed", exc_info=True)
                failing = True
            else:
                failing = False
            del app

    def _anything_due(self) -> bool:
        """Asked on a connection of its own, so idle polling stays out of the app's pool."""
        if self.probe is None:
            return True
        now = utcnow()
        with self.probe.connect() as connection:
            return connection.execute(select(WebhookOutbox.id).where(*delivery.claimable(now))
                                      .limit(1)).first() is not None

    def _step(self, app) -> None:
        while not self.stopping.is_set() and self._anything_due():
            with app.app_context():
                ids = sweep(app, rq=False)
            if not ids:
                return
            futures = [self.pool.submit(_deliver_in_context, self.app_ref, i) for i in ids]
            for future in futures:
                future.result()


def _deliver_in_context(app_ref, outbox_id: int) -> None:
    app = app_ref()
    if app is None:
        return
    try:
        with app.app_context():
            delivery.deliver(outbox_id)
    except Exception as error:  # noqa: BLE001 - the row stays pending and is tried again
        log.error("webhook delivery %s failed (%s)", outbox_id, failure_summary(error))
        log.debug("webhook delivery %s failed", outbox_id, exc_info=True)


_lock = threading.Lock()


def runner(app) -> Runner:
    """This process's delivery thread for ``app``, started on first use."""
    state = app.extensions["sentryapi.webhooks"]
    if state.runner is None or state.runner.stopping.is_set():
        with _lock:
            if state.runner is None or state.runner.stopping.is_set():
                state.runner = Runner(app)
                on_stop(app, state.runner.stop)
    return state.runner


def stop(app) -> None:
    """Stop this app's delivery thread (tests, shutdown); waits for it."""
    state = app.extensions.get("sentryapi.webhooks")
    if state is not None and state.runner is not None:
        state.runner.stop()


def wait_idle(app, timeout: float = 30.0) -> bool:
    """Whether every pending row got sent (or failed) within ``timeout`` (tests, benches)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            pending = db.session.scalar(select(WebhookOutbox.id).where(WebhookOutbox.status == PENDING).limit(1))
            db.session.remove()
        if pending is None:
            return True
        time.sleep(0.05)
    return False
