"""Live updates: who listens for which organization, and how a message reaches them.

Every server process keeps a :class:`Hub` of the WebSockets it serves (one queue each,
subscribed to the user's organizations). :func:`publish` delivers a message to the hub
of this process on the embedded default; with ``SENTRYAPI_REDIS_URL`` set it goes through
Redis pub/sub instead, and one listener thread per process hands what arrives to its
hub, so a socket served by one app host hears events stored by another.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time

log = logging.getLogger("sentryapi.ui.live")
#: Messages a slow socket may fall behind by before older ones are dropped (the UI
#: refetches on any message, so the newest is what matters).
QUEUE_SIZE = 100
EXTENSION = "sentryapi.ui.live"


class Subscription:
    """One socket's queue and the organizations it may hear of."""

    def __init__(self, organization_ids):
        self.organization_ids = frozenset(organization_ids)
        self.queue: queue.Queue = queue.Queue(QUEUE_SIZE)

    def get(self, timeout: float):
        """The next message, or ``None`` after ``timeout`` seconds."""
        try:
            return self.queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def offer(self, message: dict) -> None:
        while True:
            try:
                self.queue.put_nowait(message)
                return
            except queue.Full:
                try:
                    self.queue.get_nowait()
                except queue.Empty:
                    pass


class Hub:
    """The subscriptions of this process, and (with Redis) the thread that feeds them."""

    def __init__(self, redis_url: str | None, channel: str):
        self.redis_url = redis_url
        self.channel = channel
        self._lock = threading.Lock()
        self._subscriptions: set[Subscription] = set()
        self._listener: threading.Thread | None = None
        self._publisher = None  # one Redis client (and its connection pool) for publishing
        self._stopped = threading.Event()
        #: Set once the Redis listener has subscribed (tests wait on it).
        self.listening = threading.Event()

    def subscribe(self, organization_ids) -> Subscription:
        subscription = Subscription(organization_ids)
        with self._lock:
            self._subscriptions.add(subscription)
            if self.redis_url and self._listener is None:
                self._listener = threading.Thread(target=self._listen, name="sentryapi-live",
                                                  daemon=True)
                self._listener.start()
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscriptions.discard(subscription)

    def deliver(self, message: dict) -> int:
        """Hand ``message`` to every local socket of its organization; answer how many."""
        organization_id = message.get("organizationId")
        with self._lock:
            wanted = [s for s in self._subscriptions if organization_id in s.organization_ids]
        for subscription in wanted:
            subscription.offer(message)
        return len(wanted)

    def publish(self, message: dict) -> None:
        if not self.redis_url:
            self.deliver(message)
            return
        try:
            if self._publisher is None:
                self._publisher = self._redis()
            self._publisher.publish(self.channel, json.dumps(message))
        except Exception:  # noqa: BLE001 - a lost live update only delays a refresh
            log.warning("could not publish a live update", exc_info=True)

    def stop(self) -> None:
        self._stopped.set()

    def _redis(self):
        import redis

        return redis.Redis.from_url(self.redis_url, socket_connect_timeout=1, socket_timeout=5)

    def _listen(self) -> None:
        """Redis messages -> this process's sockets; reconnects (with back-off) after an outage."""
        backoff = 0.5
        while not self._stopped.is_set():
            try:
                pubsub = self._redis().pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.channel)
                self.listening.set()
                backoff = 0.5
                while not self._stopped.is_set():
                    item = pubsub.get_message(timeout=1.0)
                    if item and item.get("type") == "message":
                        self.deliver(json.loads(item["data"]))
                pubsub.close()
            except Exception:  # noqa: BLE001 - Redis restarting: try again
                self.listening.clear()
                log.warning("live updates: Redis listener lost, retrying", exc_info=True)
                time.sleep(backoff)
                backoff = min(backoff * 2, 10.0)


def hub_of(app) -> Hub:
    return app.extensions[EXTENSION]


def install(app) -> None:
    channel = f"{app.config['RATELIMIT_KEY_PREFIX']}:live"
    app.extensions[EXTENSION] = Hub(app.config.get("REDIS_URL"), channel)
