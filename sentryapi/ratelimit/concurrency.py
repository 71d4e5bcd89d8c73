"""Sentry's concurrent-request limit: how many requests of one caller run at once.

Each running request holds a slot, a member of a set per (caller, endpoint, method),
taken before the view runs and given back in teardown, whatever happened in between. In
Redis the set is a sorted set scored by start time, so the slots of a process that died
mid-request expire after ``SLOT_TTL`` instead of leaking; in memory it is a dict.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass

from .outage import StorageOutage

#: Longer than any request may run (gunicorn's timeout is 30 s), so live slots never expire.
SLOT_TTL = 60

_ACQUIRE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local ttl = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
local running = redis.call('ZCARD', KEYS[1])
if running >= tonumber(ARGV[1]) then
  return {running, 0}
end
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('EXPIRE', KEYS[1], ttl)
return {running + 1, 1}
"""


@dataclass
class Slot:
    key: str
    limit: int
    running: int  # requests of this caller running now, this one included when allowed
    allowed: bool
    token: str | None = None
    store: object = None

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.running)


class MemorySlots:
    """Slots of this process only: the embedded default, and the fallback during an outage."""

    def __init__(self):
        self._lock = threading.Lock()
        self._slots: dict[str, dict[str, float]] = {}

    def acquire(self, key: str, limit: int) -> tuple[int, str | None]:
        now = time.monotonic()
        with self._lock:
            slots = self._slots.setdefault(key, {})
            for token in [t for t, started in slots.items() if now - started > SLOT_TTL]:
                del slots[token]
            if len(slots) >= limit:
                return len(slots), None
            token = uuid.uuid4().hex
            slots[token] = now
            return len(slots), token

    def release(self, key: str, token: str) -> None:
        with self._lock:
            slots = self._slots.get(key)
            if slots is not None:
                slots.pop(token, None)
                if not slots:
                    del self._slots[key]

    def running(self, key: str) -> int:
        with self._lock:
            return len(self._slots.get(key, ()))


class RedisSlots:
    """Slots shared by every process and host using the same Redis."""

    def __init__(self, client):
        self.client = client
        self._acquire = client.register_script(_ACQUIRE)

    def acquire(self, key: str, limit: int) -> tuple[int, str | None]:
        token = uuid.uuid4().hex
        running, allowed = self._acquire(keys=[key], args=[limit, token, SLOT_TTL])
        return int(running), token if allowed else None

    def release(self, key: str, token: str) -> None:
        self.client.zrem(key, token)

    def running(self, key: str) -> int:
        return int(self.client.zcard(key))


class ConcurrencyLimiter:
    """Slots in the shared store, or in memory while the shared store is unreachable."""

    def __init__(self, shared: RedisSlots | MemorySlots, prefix: str, errors: tuple = ()):
        self.shared = shared
        self.local = shared if isinstance(shared, MemorySlots) else MemorySlots()
        self.prefix = prefix
        self.errors = errors
        self.outage = StorageOutage("Redis for concurrent-request limits")

    def key(self, caller: str, scope: str) -> str:
        return f"{self.prefix}:concurrent:{caller}:{scope}"

    def _store(self):
        return self.shared if self.outage.available() else self.local

    def acquire(self, key: str, limit: int) -> Slot:
        store = self._store()
        try:
            running, token = store.acquire(key, limit)
        except self.errors as error:
            self.outage.failed(error)
            store = self.local
            running, token = store.acquire(key, limit)
        else:
            if store is self.shared:
                self.outage.succeeded()
        return Slot(key, limit, running, token is not None, token, store)

    def release(self, slot: Slot) -> None:
        if slot.token is None:
            return
        try:
            slot.store.release(slot.key, slot.token)
        except self.errors as error:
            self.outage.failed(error)  # the slot expires by itself after SLOT_TTL

    def running(self, key: str) -> int:
        store = self._store()
        try:
            return store.running(key)
        except self.errors as error:
            self.outage.failed(error)
            return self.local.running(key)
