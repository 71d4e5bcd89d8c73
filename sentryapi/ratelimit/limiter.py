"""flask-limiter set up the way Sentry limits its API: per caller, endpoint and method.

One ``Limiter`` per app, made by :func:`install` from the settings. The order within a
request is: flask-limiter's ``before_request`` counts the request (the key function
authenticates the caller, and the view reuses that result); then a concurrency slot is
taken; the view runs; ``after_request`` writes Sentry's five headers on the response,
a 429 included; teardown gives the slot back, even after an exception.

Over the limit the answer is 429 with ``{"detail": "You are attempting to use this
endpoint too frequently. Limit is N requests in S seconds"}`` -- the body current Sentry
sends (older Sentry sent the bare string), and our one error shape -- plus an integer
``Retry-After``, on 429s only. flask-limiter's own headers are off: it would put
``Retry-After`` on every response and knows nothing of the concurrent pair.

Storage is ``memory://`` unless ``SENTRYAPI_REDIS_URL`` is set; then every process and
host shares one budget. If Redis cannot be reached, each process counts in its own memory
until Redis answers again: requests are served, and the outage is logged once.
"""

from __future__ import annotations

import logging
import math
import time

from flask import current_app, g, request
from flask_limiter import Limiter, RateLimitExceeded
from limits.storage import RedisStorage

from ..exceptions import TooManyRequests
from ..web.errors import render
from . import quotas
from .concurrency import ConcurrencyLimiter, MemorySlots, RedisSlots
from .identity import caller_key
from .outage import StorageOutage
from .policy import check_declarations, policy_for_request

STRATEGIES = ("moving-window", "fixed-window", "sliding-window-counter")
#: A Redis that does not answer must not hold requests up for long.
REDIS_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
TOO_FREQUENT = ("You are attempting to use this endpoint too frequently. "
                "Limit is {limit} requests in {window} seconds")
TOO_CONCURRENT = ("You are attempting to go above the allowed concurrency for this endpoint. "
                  "Concurrency limit is {limit}")
HEADER = "X-Sentry-Rate-Limit-"
EXTENSION = "sentryapi.ratelimit"
_SLOT = "_sentryapi_ratelimit_slot"


def _not_each_refusal(record: logging.LogRecord) -> bool:
    """flask-limiter logs every refused request at INFO: a log flood under exactly the load
    limits are for. Outage and recovery messages still pass."""
    return not str(record.msg).startswith("ratelimit %s (%s) exceeded")


class RateLimiting:
    """What :func:`install` sets up, kept in ``app.extensions["sentryapi.ratelimit"]``."""

    def __init__(self, limiter: Limiter, concurrency: ConcurrencyLimiter):
        self.limiter = limiter
        self.concurrency = concurrency
        self.header_outage = StorageOutage("Rate-limit storage (for headers)")


def install(app) -> RateLimiting | None:
    """Rate limits for ``app`` (unless RATELIMIT_ENABLED is off) and its ingestion quotas."""
    check_declarations(app)
    storage_uri = app.config.get("RATELIMIT_STORAGE_URI") or app.config["REDIS_URL"] or "memory://"
    app.config["RATELIMIT_STORAGE_URI"] = storage_uri
    is_redis = storage_uri.startswith(("redis://", "rediss://", "unix://"))
    storage_options = dict(REDIS_OPTIONS) if is_redis else {}
    quotas.install(app, storage_uri, storage_options)
    if not app.config["RATELIMIT_ENABLED"]:
        return None
    limiter = _ApiLimiter(
        caller_key,
        default_limits=[_limits_of_request],
        default_limits_per_method=True,
        headers_enabled=False,
        strategy=app.config["RATELIMIT_STRATEGY"],
        storage_uri=storage_uri,
        storage_options=storage_options,
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        key_prefix=app.config["RATELIMIT_KEY_PREFIX"],
    )
    limiter.init_app(app)
    limiter.logger.addFilter(_not_each_refusal)
    storage = limiter.storage
    if isinstance(storage, RedisStorage):
        slots, errors = RedisSlots(storage.storage), storage.base_exceptions
    else:
        slots, errors = MemorySlots(), ()
    concurrency = ConcurrencyLimiter(slots, app.config["RATELIMIT_KEY_PREFIX"], errors)
    state = RateLimiting(limiter, concurrency)
    app.extensions[EXTENSION] = state

    app.before_request(_take_slot)
    app.after_request(_add_headers)
    app.teardown_request(_give_slot_back)
    app.register_error_handler(RateLimitExceeded, _too_frequent)
    return state


class _ApiLimiter(Limiter):
    """flask-limiter, asked only about requests that have a policy.

    Its own request filters run after it has looked up the view's limits; SDK ingestion,
    the docs pages and OAuth forms (no policy) skip it entirely instead.
    """

    def _check_request_limit(self, callable_name=None, in_middleware=True):
        if policy_for_request() is not None:
            super()._check_request_limit(callable_name, in_middleware)


def _state() -> RateLimiting:
    return current_app.extensions[EXTENSION]


def _limits_of_request() -> str:
    policy = policy_for_request()
    return policy.limits if policy else ""


def _scope() -> str:
    return f"{request.endpoint}:{request.method}"


def _take_slot():
    """Runs after flask-limiter's check passed: hold one of the caller's concurrent slots."""
    policy = policy_for_request()
    if policy is None or _state().limiter.current_limit is None:
        return
    concurrency = _state().concurrency
    slot = concurrency.acquire(concurrency.key(caller_key(), _scope()), policy.concurrent_limit)
    setattr(g, _SLOT, slot)
    if not slot.allowed:
        raise TooManyRequests(TOO_CONCURRENT.format(limit=slot.limit), headers={"Retry-After": "1"})


def _give_slot_back(_error=None):
    slot = g.pop(_SLOT, None)
    if slot is not None:
        _state().concurrency.release(slot)


def _add_headers(response):
    state = _state()
    counted = state.limiter.current_limit
    policy = policy_for_request()
    if counted is None or policy is None:
        return response
    try:
        remaining = 0 if counted.breached else max(0, counted.remaining)
        reset = counted.reset_at
    except Exception as error:  # noqa: BLE001 - storage gone mid-request; serve anyway
        state.header_outage.failed(error)
        remaining, reset = 0, int(time.time()) + counted.limit.get_expiry()
    response.headers[HEADER + "Limit"] = str(counted.limit.amount)
    response.headers[HEADER + "Remaining"] = str(remaining)
    response.headers[HEADER + "Reset"] = str(reset)
    slot = g.get(_SLOT)
    if slot is None:  # refused before taking a slot: report how many are running
        concurrency = state.concurrency
        running = concurrency.running(concurrency.key(caller_key(), _scope()))
        concurrent_remaining = max(0, policy.concurrent_limit - running)
    else:
        concurrent_remaining = slot.remaining
    response.headers[HEADER + "ConcurrentLimit"] = str(policy.concurrent_limit)
    response.headers[HEADER + "ConcurrentRemaining"] = str(concurrent_remaining)
    return response


def _too_frequent(error: RateLimitExceeded):
    item = error.limit.limit
    counted = _state().limiter.current_limit
    try:
        reset = counted.reset_at if counted is not None else None
    except Exception:  # noqa: BLE001 - storage gone mid-request
        reset = None
    wait = item.get_expiry() if reset is None else reset - time.time()
    detail = TOO_FREQUENT.format(limit=item.amount, window=item.get_expiry())
    return render(TooManyRequests(detail, headers={"Retry-After": str(max(1, math.ceil(wait)))}))
