"""Remember that the shared storage (Redis) is unreachable, and say so once per interval.

While it is down, callers count in process memory instead and nothing is refused for
want of Redis; a request every ``retry_after`` seconds tries Redis again.
"""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger("sentryapi.ratelimit")


class StorageOutage:
    def __init__(self, what: str, retry_after: float = 5.0, log_interval: float = 60.0):
        self.what = what
        self.retry_after = retry_after
        self.log_interval = log_interval
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._logged_at: float | None = None
        self._down = False

    def available(self) -> bool:
        """Whether to use the shared storage now (always, unless it failed a moment ago)."""
        return time.monotonic() >= self._down_until

    def failed(self, error: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            self._down = True
            self._down_until = now + self.retry_after
            if self._logged_at is not None and now - self._logged_at < self.log_interval:
                return
            self._logged_at = now
        log.warning("%s unreachable (%s: %s); counting in this process's memory, requests are "
                    "still served", self.what, error.__class__.__name__, error)

    def succeeded(self) -> None:
        if self._down:
            with self._lock:
                if not self._down:
                    return
                self._down, self._logged_at = False, None
            log.info("%s reachable again", self.what)
