"""Getting accepted events on disk fast: group commit, and one SQLite writer at a time.

SQLite lets one writer in at a time and makes the others poll with sleeps that grow to
tens of milliseconds; under concurrent SDK traffic most of a request's time went into
those sleeps. Two things fix it:

- Group commit: concurrent requests of a process hand their rows to whichever of them
  holds the commit lock, which writes them all in one transaction and commits once;
  every request still answers only after the commit that holds its row.
- On SQLite, every write of this plugin (the queue, the digest, the counters) takes an
  advisory file lock next to the database first, so writers of all processes take
  turns with no polling: the kernel wakes the next one the moment the lock is free.
"""

from __future__ import annotations

import fcntl
import functools
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.engine import make_url

_thread_locks: dict[str, threading.Lock] = {}
_files: dict[str, object] = {}
_guard = threading.Lock()


@functools.lru_cache(maxsize=64)
def sqlite_path(database_uri: str) -> str | None:
    """The database file of a SQLite URI (remembered: parsing the URI cost as much as the lock)."""
    url = make_url(database_uri)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return os.path.abspath(url.database)


@contextmanager
def sqlite_writer(database_uri: str):
    """Hold the database's write turn (SQLite files only; elsewhere a no-op)."""
    path = sqlite_path(database_uri)
    if path is None:
        yield
        return
    with _guard:
        lock = _thread_locks.setdefault(path, threading.Lock())
        handle = _files.get(path)
        if handle is None:
            handle = _files[path] = open(path + ".write-lock", "a")  # noqa: SIM115 - kept open
    # flock belongs to the open file, shared by this process's threads: a thread lock
    # first, then the file lock between processes.
    with lock:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class _Entry:
    row: tuple
    done: bool = False
    error: BaseException | None = None


class GroupCommit:
    """Rows from concurrent callers, written by one of them in one transaction."""

    def __init__(self, write_rows):
        self.write_rows = write_rows
        self.pending: list[_Entry] = []
        self.pending_lock = threading.Lock()
        self.commit_lock = threading.Lock()

    def write(self, row: tuple) -> None:
        """Return once ``row`` is committed (raise if its transaction failed)."""
        entry = _Entry(row)
        with self.pending_lock:
            self.pending.append(entry)
        with self.commit_lock:
            if not entry.done:
                with self.pending_lock:
                    batch, self.pending = self.pending, []
                try:
                    self.write_rows([e.row for e in batch])
                except BaseException as error:
                    for other in batch:
                        other.error = error
                    raise
                finally:
                    for other in batch:
                        other.done = True
        if entry.error is not None:
            raise entry.error
