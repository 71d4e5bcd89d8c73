"""A per-process LRU of parsed bundles, source maps and sources, bounded in bytes.

Bundles are immutable (named by their checksum), so nothing here ever goes stale; the
bound (``SOURCEMAPS_MAP_CACHE_SIZE``) only decides how much is parsed again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

_MISSING = object()


class ByteBoundedCache:
    def __init__(self, capacity: int):
        self.capacity = capacity
        self.size = 0
        self._items: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key, make: Callable[[], tuple[Any, int]]):
        """The cached value for ``key``, else ``make()``'s ``(value, size)``, kept if it fits."""
        with self._lock:
            found = self._items.get(key, _MISSING)
            if found is not _MISSING:
                self._items.move_to_end(key)
                return found[0]
        value, size = make()
        if size <= self.capacity:
            with self._lock:
                if key not in self._items:
                    self._items[key] = (value, size)
                    self.size += size
                while self.size > self.capacity:
                    _, (_, dropped) = self._items.popitem(last=False)
                    self.size -= dropped
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0


_caches: dict[int, ByteBoundedCache] = {}


def process_cache(capacity: int) -> ByteBoundedCache:
    """This process's cache (one per configured capacity, so tests with another size get theirs)."""
    if capacity not in _caches:
        _caches[capacity] = ByteBoundedCache(capacity)
    return _caches[capacity]
