"""RQ side: the delivery job, a worker that runs it inside the app, the worker command.

Run ``flask --app wsgi sentryapi worker`` (one or more, on any host with the settings),
or RQ's own command with this worker class::

    rq worker -u "$SENTRYAPI_REDIS_URL" -w sentryapi.webhooks.worker.AppWorker \\
        --with-scheduler sentryapi-webhooks

:class:`AppWorker` builds the app from the same settings (``SENTRYAPI_*``), runs each job
in its app context, in the worker process itself (no fork per job: the database
connections are reused), and sweeps the outbox in a thread (one worker at a time). An
attempt's log is written with the next job's claim, one commit per delivery
(``delivery.AttemptLog``); a thread writes it when no job follows soon.
"""

from __future__ import annotations

import logging
import threading
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from rq import Retry, SimpleWorker

from .delivery import HOLD_SECONDS, AttemptLog, deliver

log = logging.getLogger("sentryapi.webhooks")
#: Pause before a new worker replaces one that lost Redis.
RESTART_SECONDS = 1.0
#: This process's held attempt log (one AppWorker per process).
ATTEMPT_LOG = AttemptLog()


def deliver_job(outbox_id: int):
    """The RQ job: one attempt; an RQ ``Retry`` with the backoff delay when it failed."""
    from .queue import RETRY_CAP

    log = ATTEMPT_LOG if ATTEMPT_LOG.active else None
    with ATTEMPT_LOG.lock:
        delay = deliver(outbox_id, log)
    if delay is not None:
        return Retry(max=RETRY_CAP, interval=max(1, round(delay)))
    return None


def noop_job():
    """A job doing nothing (``bench/webhooks.py`` measures the bare RQ rate with it)."""


class Sweeper(threading.Thread):
    """Re-enqueues lost outbox rows every second (see ``queue.sweep``)."""

    def __init__(self, app):
        super().__init__(name="sentryapi-webhook-sweeper", daemon=True)
        self.app = app
        self.stopping = threading.Event()

    def run(self) -> None:
        from .queue import SWEEP_SECONDS, sweep_into_rq

        failing = False
        while not self.stopping.wait(3 if failing else SWEEP_SECONDS):
            try:
                with self.app.app_context():
                    count = sweep_into_rq(self.app)
                if count:
                    log.info("sweeper re-enqueued %d webhook deliveries", count)
                failing = False
            except Exception:  # noqa: BLE001 - Redis or the database away: try again
                log.log(logging.DEBUG if failing else logging.WARNING, "webhook sweep failed",
                        exc_info=True)
                failing = True


class LogFlusher(threading.Thread):
    """Writes the held attempt log once it has waited ``HOLD_SECONDS`` (an idle worker)."""

    def __init__(self, app):
        super().__init__(name="sentryapi-webhook-log", daemon=True)
        self.app = app
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(HOLD_SECONDS):
            try:
                with self.app.app_context():
                    ATTEMPT_LOG.flush(older_than=HOLD_SECONDS)
            except Exception:  # noqa: BLE001 - the database away: its lease frees the row
                log.warning("could not write a webhook attempt's log", exc_info=True)


class AppWorker(SimpleWorker):
    """An RQ worker for sentryapi's jobs: the app context around each, and the sweeper."""

    def __init__(self, *args, app=None, **kwargs):
        if app is None:
            from .. import create_app

            app = create_app()
        self.app = app
        super().__init__(*args, **kwargs)

    def perform_job(self, *args, **kwargs):
        with self.app.app_context():
            return super().perform_job(*args, **kwargs)

    def work(self, *args, **kwargs):
        from ..scheduler import scheduler_mode, start_scheduler

        sweeper, flusher = Sweeper(self.app), LogFlusher(self.app)
        sweeper.start()
        flusher.start()
        ATTEMPT_LOG.active = True
        if scheduler_mode(self.app) == "worker":  # the periodic tasks run in the workers
            start_scheduler(self.app)
        try:
            return super().work(*args, **kwargs)
        finally:
            ATTEMPT_LOG.active = False
            flusher.stopping.set()
            flusher.join(5)
            with self.app.app_context():
                ATTEMPT_LOG.flush()
            sweeper.stopping.set()


def stop_requested(worker) -> bool:
    """Whether SIGTERM/SIGINT asked the worker to stop (RQ's handler stamps the date)."""
    return worker._shutdown_requested_date is not None


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs queued now, then exit.")
@with_appcontext
def worker_command(burst):
    """Run webhook deliveries from Redis (RQ), with the scheduler for retries."""
    import redis

    app = current_app._get_current_object()
    if not app.config["REDIS_URL"]:
        raise click.ClickException(
            "SENTRYAPI_REDIS_URL is not set: without Redis, deliveries run in the server process.")
    while True:
        # A connection of its own: the worker blocks on Redis for minutes between jobs.
        connection = redis.Redis.from_url(app.config["REDIS_URL"])
        worker = None
        try:
            # RQ's worker talks to Redis as it is made, so a restart during an outage fails here.
            worker = AppWorker([app.config["WEBHOOK_QUEUE"]], connection=connection, app=app)
            worker.work(burst=burst, with_scheduler=True)
        except redis.exceptions.ConnectionError as error:
            # RQ's worker quits when Redis drops a connection it was using (a restart);
            # the deliveries wait in the outbox, so a new worker takes over when it is back.
            log.warning("webhook worker lost Redis (%s); starting again", error)
        connection.close()
        if burst or (worker is not None and stop_requested(worker)):
            return
        time.sleep(RESTART_SECONDS)
        if worker is not None and stop_requested(worker):
            return
