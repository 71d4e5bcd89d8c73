"""An app's background threads (the events digest, webhook deliveries), stopped together.

A thread registers how to stop it with :func:`on_stop`; :func:`stop_background` stops
them all, before the app's database goes away (tests drop theirs at the end of a session,
and a thread still polling it would log errors into a closed output).
"""

from __future__ import annotations

from collections.abc import Callable

EXTENSION = "sentryapi.background"


def on_stop(app, stop: Callable[[], None]) -> None:
    """Call ``stop()`` when the app's background threads are stopped."""
    app.extensions.setdefault(EXTENSION, []).append(stop)


def stop_background(app) -> None:
    """Stop every background thread of ``app`` (each ``stop`` waits for its thread)."""
    for stop in app.extensions.pop(EXTENSION, []):
        stop()
