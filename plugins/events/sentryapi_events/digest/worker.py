"""The background side: digest the queue and write outcome counters, in a thread or a CLI.

Embedded default (``EVENTS_DIGEST=thread``): each server process runs one daemon
thread, started on its first request (after gunicorn forks, never in the master or in
CLI commands). An accepted event wakes it at once; otherwise it looks at the queue
every second, so it also drains what other processes (or a previous run) left.
Production may set ``EVENTS_DIGEST=off`` and run ``flask events digest`` processes
instead; the thread then only writes the outcome counters of its own process.
"""

from __future__ import annotations

import atexit
import fcntl
import logging
import os
import threading
import time
import weakref

from sqlalchemy import text
from sqlalchemy.engine import make_url

from sentryapi.api import failure_summary, on_stop, probe_engine

from .. import outcomes
from . import batch as digest

log = logging.getLogger("sentryapi.events.worker")
POLL_SECONDS = 1.0
#: After a batch, wait this long so the next one gathers more events (fewer, larger
#: transactions under load; at most this much added to the time until visible).
GATHER_SECONDS = 0.1
MAX_BACKOFF = 10.0

#: id(app) -> the event that wakes that app's thread (tests run several apps at once).
_wakeups: dict[int, threading.Event] = {}
#: SQLite database path -> the open lock file this process holds (see sqlite_digester).
_sqlite_locks: dict[str, object] = {}
#: Database URI -> a one-connection engine that only asks whether anything is queued.
_probes: dict[str, object] = {}


def queue_has_rows(app) -> bool:
    """Whether events are queued, asked on a connection of its own (``probe_engine``)."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri not in _probes:
        _probes.setdefault(uri, probe_engine(uri))
    engine = _probes[uri]
    if engine is None:  # in-memory SQLite: only the app's own engine sees it
        return True
    with engine.connect() as connection:
        return connection.execute(text("SELECT 1 FROM ingest_event LIMIT 1")).first() is not None


_lock = threading.Lock()
#: (process id, app id) -> its thread: one per app per process (tests hold several apps).
_started: dict[tuple[int, int], threading.Thread] = {}


def _wakeup_of(app) -> threading.Event:
    return _wakeups.setdefault(id(app), threading.Event())


def wake() -> None:
    """Tell this app's thread that an event was queued (called by the ingest endpoint);
    a no-op when the thread does not digest (``flask events digest`` does, elsewhere)."""
    from flask import current_app

    if current_app.config["EVENTS_DIGEST"] == "thread":
        _wakeup_of(current_app._get_current_object()).set()


def ensure_started(app) -> None:
    """Start this process's thread once (a forked child starts its own)."""
    key = (os.getpid(), id(app))
    if key in _started:
        return
    with _lock:
        if key in _started:
            return
        # The thread holds the app weakly: an app that is dropped (tests make many) ends it.
        app_ref = weakref.ref(app)
        stopping = threading.Event()
        thread = threading.Thread(target=_run_while_alive, args=(app_ref, stopping),
                                  name="sentryapi-events-digest", daemon=True)
        _started[key] = thread
        thread.start()
        on_stop(app, lambda: _stop(app, thread, stopping))
        atexit.register(_flush_at_exit, app_ref)


def _run_while_alive(app_ref, stopping: threading.Event) -> None:
    failing = False
    while not stopping.is_set():
        app = app_ref()
        if app is None:
            return
        failing = _step(app, app.config["EVENTS_DIGEST"] == "thread", failing)
        del app


def _stop(app, thread: threading.Thread, stopping: threading.Event) -> None:
    """End the thread after its current step (``sentryapi.api.stop_background``)."""
    stopping.set()
    _wakeup_of(app).set()
    if thread is not threading.current_thread():
        thread.join(15)


def run(app, *, digest_events: bool = True) -> None:
    """Digest and flush forever (``flask events digest``)."""
    failing = False
    while True:
        failing = _step(app, digest_events, failing)


def _step(app, digest_events: bool, failing: bool) -> bool:
    """Wait for work (or a second), then digest and flush; returns whether it failed.

    A failure is logged with its traceback once, then quietly retried (every
    ``MAX_BACKOFF`` seconds at most, or at once when a new event arrives).
    """
    wakeup = _wakeup_of(app)
    wakeup.wait(MAX_BACKOFF if failing else POLL_SECONDS)
    wakeup.clear()
    try:
        with app.app_context():
            if digest_events and queue_has_rows(app) and sqlite_digester(app):
                while digest.digest_batch(app.config["EVENTS_DIGEST_BATCH"]) >= \
                        app.config["EVENTS_DIGEST_BATCH"]:
                    outcomes.flush()
            outcomes.flush()
    except Exception as error:  # noqa: BLE001 - the thread must survive a database outage
        if not failing:
            log.error("digest failed (%s); retrying", failure_summary(error))
        log.debug("digest failed", exc_info=True)
        return True
    if failing:
        log.warning("digest works again")
    time.sleep(GATHER_SECONDS)
    return False


def sqlite_digester(app) -> bool:
    """On SQLite, whether this process is the one that digests (always true elsewhere).

    Several processes digesting one SQLite file would only queue for its write lock and
    redo each other's parsing; the first to take an advisory lock next to the database
    does the work, and when it exits the lock passes to the next process that asks.
    """
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return True
    path = os.path.abspath(url.database) + ".digest-lock"
    if path in _sqlite_locks:
        return True
    handle = open(path, "a")  # noqa: SIM115 - held open for the life of the process
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return False
    _sqlite_locks[path] = handle
    return True


def _flush_at_exit(app_ref) -> None:
    app = app_ref()
    if app is None:
        return
    try:
        with app.app_context():
            outcomes.flush()
    except Exception:  # noqa: BLE001 - best effort while the interpreter stops
        log.warning("could not write the last outcome counters", exc_info=True)
