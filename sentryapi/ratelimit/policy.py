"""Which limits apply to a request: the endpoint's own declaration, else the settings.

An endpoint declares overrides next to its routes, per HTTP method, as Sentry's views do::

    class ProjectKeyIndex(Endpoint):
        rate_limits = {"POST": RateLimit(limit=10, window=1, concurrent_limit=5)}

A method left out gets ``SENTRYAPI_RATELIMIT_DEFAULT`` / ``SENTRYAPI_RATELIMIT_CONCURRENT``;
a method mapped to ``None`` is not limited at all (a health check, say).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, request

API_PREFIX = "/api/0/"


@dataclass(frozen=True)
class RateLimit:
    """``limit`` requests per ``window`` seconds; ``concurrent_limit`` in flight at once
    (``None``: the ``RATELIMIT_CONCURRENT`` setting)."""

    limit: int
    window: int = 1
    concurrent_limit: int | None = None

    def __post_init__(self):
        for name in ("limit", "window", "concurrent_limit"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise ValueError(f"RateLimit.{name} must be a positive integer, got {value!r}")

    @property
    def expression(self) -> str:
        """The same limit in flask-limiter's notation."""
        return f"{self.limit} per {self.window} second"


@dataclass(frozen=True)
class Policy:
    """The limits of one request: a flask-limiter expression and a concurrency cap."""

    limits: str
    concurrent_limit: int


_POLICY = "_sentryapi_ratelimit_policy"


def policy_for_request() -> Policy | None:
    """The policy of the current request, or ``None`` when it is not rate-limited."""
    if _POLICY not in g:
        setattr(g, _POLICY, _resolve())
    return g.get(_POLICY)


def _resolve() -> Policy | None:
    if not request.path.startswith(API_PREFIX) or request.endpoint is None:
        return None
    view = current_app.view_functions.get(request.endpoint)
    declared = getattr(getattr(view, "view_class", None), "rate_limits", None)
    if declared is None:
        return None  # not a sentryapi Endpoint (check_routes refuses those under /api/0/)
    method = "GET" if request.method == "HEAD" else request.method
    config = current_app.config
    if method not in declared:
        return Policy(config["RATELIMIT_DEFAULT"], config["RATELIMIT_CONCURRENT"])
    limit = declared[method]
    if limit is None:
        return None
    return Policy(limit.expression, limit.concurrent_limit or config["RATELIMIT_CONCURRENT"])


def check_declarations(app) -> None:
    """Refuse to start when an endpoint's ``rate_limits`` is not a method -> RateLimit map."""
    problems = []
    for rule in app.url_map.iter_rules():
        cls = getattr(app.view_functions[rule.endpoint], "view_class", None)
        declared = getattr(cls, "rate_limits", None)
        if not rule.rule.startswith(API_PREFIX) or not declared:
            continue
        for method, limit in declared.items():
            if method not in (rule.methods or ()):
                problems.append(f"{cls.__name__}.rate_limits: {rule.rule} has no {method} method")
            if limit is not None and not isinstance(limit, RateLimit):
                problems.append(f"{cls.__name__}.rate_limits[{method!r}] is not a RateLimit or None")
    if problems:
        raise RuntimeError("Bad rate limit declarations: " + "; ".join(sorted(set(problems))))
