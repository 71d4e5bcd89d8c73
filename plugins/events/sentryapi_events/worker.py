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

from sqlalchemy.engine import make_url

from . import digest, outcomes

log = logging.getLogger("sentryapi.events.worker")
POLL_SECONDS = 1.0
#: After a batch, wait this long so the next one gathers more events (fewer, larger
#: transactions under load; at most this much added to the time until visible).
GATHER_SECONDS = 0.1
MAX_BACKOFF = 30.0

_wakeup = threading.Event()
#: SQLite database path -> the open lock file this process holds (see sqlite_digester).
_sqlite_locks: dict[str, object] = {}
_lock = threading.Lock()
#: (process id, app id) -> its thread: one per app per process (tests hold several apps).
_started: dict[tuple[int, int], threading.Thread] = {}


def wake() -> None:
    _wakeup.set()


def ensure_started(app) -> None:
    """Start this process's thread once (a forked child starts its own)."""
    key = (os.getpid(), id(app))
    if key in _started:
        return
    with _lock:
        if key in _started:
            return
        thread = threading.Thread(target=run, args=(app,), name="sentryapi-events-digest",
                                  daemon=True)
        _started[key] = thread
        thread.start()
        atexit.register(_flush_at_exit, app)


def run(app, *, digest_events: bool | None = None, stop: threading.Event | None = None) -> None:
    """Digest and flush until ``stop`` is set (forever for the daemon thread)."""
    if digest_events is None:
        digest_events = app.config["EVENTS_DIGEST"] == "thread"
    batch = app.config["EVENTS_DIGEST_BATCH"]
    backoff = POLL_SECONDS
    while stop is None or not stop.is_set():
        _wakeup.wait(POLL_SECONDS)
        _wakeup.clear()
        try:
            with app.app_context():
                if digest_events and sqlite_digester(app):
                    while digest.digest_batch(batch) >= batch:
                        outcomes.flush()
                outcomes.flush()
            backoff = POLL_SECONDS
            time.sleep(GATHER_SECONDS)
        except Exception:  # noqa: BLE001 - the thread must survive a database outage
            log.exception("digest failed; retrying in %.0f s", backoff)
            time.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)


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


def _flush_at_exit(app) -> None:
    try:
        with app.app_context():
            outcomes.flush()
    except Exception:  # noqa: BLE001 - best effort while the interpreter stops
        log.warning("could not write the last outcome counters", exc_info=True)
