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
import logging
import os
import threading
import time

from . import digest, outcomes

log = logging.getLogger("sentryapi.events.worker")
POLL_SECONDS = 1.0
MAX_BACKOFF = 30.0

_wakeup = threading.Event()
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
                if digest_events:
                    while digest.digest_batch(batch):
                        outcomes.flush()
                outcomes.flush()
            backoff = POLL_SECONDS
        except Exception:  # noqa: BLE001 - the thread must survive a database outage
            log.exception("digest failed; retrying in %.0f s", backoff)
            time.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)


def _flush_at_exit(app) -> None:
    try:
        with app.app_context():
            outcomes.flush()
    except Exception:  # noqa: BLE001 - best effort while the interpreter stops
        log.warning("could not write the last outcome counters", exc_info=True)
