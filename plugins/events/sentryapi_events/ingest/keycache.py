"""DSN key lookups for ingestion, remembered for a few seconds (misses too).

An SDK sends its key with every envelope; reading the key, its project and its
organization each time would be the most frequent query of the server. A lookup is
kept for ``EVENTS_KEY_CACHE_SECONDS``; a change to a key or a project made through this
process (disable, delete, rename) empties the cache at once, and other processes see
it when their entry expires. The cache is bounded so random keys cannot grow it.
"""

from __future__ import annotations

import threading
import time

from sentryapi_projects import IngestKey, Project, ProjectKey, find_ingest_key
from sqlalchemy import event
from sqlalchemy.orm import Session

MAX_ENTRIES = 10_000

_entries: dict[str, tuple[float, IngestKey | None]] = {}
_lock = threading.Lock()


def lookup(public_key: str, ttl: float) -> IngestKey | None:
    now = time.monotonic()
    cached = _entries.get(public_key)
    if cached is not None and cached[0] > now:
        return cached[1]
    key = find_ingest_key(public_key)
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[public_key] = (now + ttl, key)
    return key


def clear() -> None:
    with _lock:
        _entries.clear()


FLAG = "sentryapi_events.keys_changed"


def _note_key_changes(session, flush_context=None):
    if any(isinstance(obj, (ProjectKey, Project))
           for obj in (*session.dirty, *session.deleted, *session.new)):
        session.info[FLAG] = True


def _clear_after_commit(session):
    # After the commit, not the flush: a lookup between the two would cache the old row.
    if session.info.pop(FLAG, False):
        clear()


def install() -> None:
    """Empty the cache whenever this process commits a change to a key or a project."""
    if not event.contains(Session, "after_flush", _note_key_changes):
        event.listen(Session, "after_flush", _note_key_changes)
        event.listen(Session, "after_commit", _clear_after_commit)
