"""Settings: defaults, then instance/config.py, then SENTRYAPI_* variables, then overrides.

Every setting is listed in ``SETTINGS`` with its type, so an environment variable is
parsed the same way everywhere and a bad value fails start-up with one clear line.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

ENV_PREFIX = "SENTRYAPI_"

#: A secret key that must never be used outside tests (documentation examples use it).
INSECURE_SECRET_KEY = "change-me"


class ConfigError(Exception):
    """A setting is missing or invalid; the message is one line for the operator."""


@dataclass(frozen=True)
class Setting:
    key: str  # Flask config key
    env: str  # name after the SENTRYAPI_ prefix
    kind: type  # str, int, float, bool or list
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("SQLALCHEMY_DATABASE_URI", "DATABASE_URL", str, None,
            "Database URL: sqlite:///path or postgresql://user@host/db (default: SQLite in instance/)"),
    Setting("PUBLIC_URL", "PUBLIC_URL", str, "http://127.0.0.1:9000",
            "Base URL clients reach; DSNs and organization tokens embed it"),
    Setting("SECRET_KEY", "SECRET_KEY", str, None,
            "Signing key for sessions; generated into instance/secret_key when unset"),
    Setting("REDIS_URL", "REDIS_URL", str, None,
            "Redis URL for rate limits and the webhook queue (default: in-process)"),
    Setting("DISABLED_PLUGINS", "DISABLED_PLUGINS", list, [],
            "Comma-separated plugin names not to load"),
    Setting("SQLITE_SYNCHRONOUS", "SQLITE_SYNCHRONOUS", str, "NORMAL",
            "SQLite durability: NORMAL survives a killed process, FULL also a power loss"),
    Setting("API_MAX_BODY_SIZE", "API_MAX_BODY_SIZE", int, 1024 * 1024,
            "Largest request body accepted by /api/0/ endpoints, in bytes"),
    Setting("ALLOW_ORGANIZATION_CREATION", "ALLOW_ORGANIZATION_CREATION", bool, True,
            "Let any user create organizations (otherwise superusers only)"),
    Setting("OAUTH_ACCESS_TOKEN_LIFETIME", "OAUTH_ACCESS_TOKEN_LIFETIME", int, 30 * 24 * 3600,
            "Seconds an OAuth access token lives (Sentry: 30 days); refresh tokens rotate"),
    Setting("LOG_LEVEL", "LOG_LEVEL", str, "INFO", "Python logging level"),
    Setting("RATELIMIT_ENABLED", "RATELIMIT_ENABLED", bool, True,
            "Rate-limit /api/0/ per caller and endpoint (Sentry's X-Sentry-Rate-Limit-* headers)"),
    # Sentry allows 40 per 1 s. Here: bursts of 200, 20/s sustained; and a client must be
    # faster than 50 ms a request (not 25 ms) to hit it, even when one small host is busy.
    Setting("RATELIMIT_DEFAULT", "RATELIMIT_DEFAULT", str, "200 per 10 seconds",
            "Requests per caller, endpoint and method, e.g. '40 per second' or '1000/hour'"),
    Setting("RATELIMIT_CONCURRENT", "RATELIMIT_CONCURRENT", int, 25,
            "Requests one caller may have in flight on one endpoint and method"),
    Setting("RATELIMIT_STRATEGY", "RATELIMIT_STRATEGY", str, "moving-window",
            "moving-window (no more than N in any S seconds) or fixed-window (Sentry's, cheaper)"),
    Setting("RATELIMIT_KEY_PREFIX", "RATELIMIT_KEY_PREFIX", str, "sentryapi",
            "Prefix of the rate-limit keys in Redis (several deployments may share one Redis)"),
    Setting("INGEST_ORGANIZATION_QUOTA", "INGEST_ORGANIZATION_QUOTA", str, "",
            "Events one organization may send, e.g. '100000 per hour' (default: no quota)"),
    Setting("WEBHOOK_ALLOW_PRIVATE", "WEBHOOK_ALLOW_PRIVATE", bool, False,
            "Let webhooks go to loopback and private addresses (local setups, tests); refused otherwise"),
    Setting("WEBHOOK_DELIVERY", "WEBHOOK_DELIVERY", str, "auto",
            "Where deliveries run: rq (Redis + `flask sentryapi worker`), thread (in each server "
            "process), auto (rq when SENTRYAPI_REDIS_URL is set)"),
    Setting("WEBHOOK_QUEUE", "WEBHOOK_QUEUE", str, "sentryapi-webhooks",
            "RQ queue of deliveries (deployments sharing one Redis need different names)"),
    Setting("WEBHOOK_TIMEOUT", "WEBHOOK_TIMEOUT", float, 1.0,
            "Seconds a receiver has to answer a delivery (connect and response)"),
    Setting("WEBHOOK_MAX_ATTEMPTS", "WEBHOOK_MAX_ATTEMPTS", int, 10,
            "Attempts per delivery before it is marked failed"),
    Setting("WEBHOOK_RETRY_DELAY", "WEBHOOK_RETRY_DELAY", float, 10.0,
            "Seconds before the first retry; each next one waits twice as long (+-10%, at most 1 hour)"),
    Setting("WEBHOOK_DISABLE_AFTER", "WEBHOOK_DISABLE_AFTER", int, 7 * 86400,
            "Seconds of failing deliveries (no success) after which a hook is disabled"),
    Setting("WEBHOOK_DISABLE_MIN_FAILURES", "WEBHOOK_DISABLE_MIN_FAILURES", int, 10,
            "Failed attempts in a row a hook needs, too, before it is disabled"),
    Setting("WEBHOOK_REQUEUE_AFTER", "WEBHOOK_REQUEUE_AFTER", int, 120,
            "Seconds after which the sweeper re-enqueues a delivery that a queue took but never ran"),
    Setting("WEBHOOK_THREADS", "WEBHOOK_THREADS", int, 4,
            "Deliveries sent at once by the in-process thread (thread mode)"),
    Setting("WEBHOOK_RETENTION_DAYS", "WEBHOOK_RETENTION_DAYS", int, 30,
            "Days finished deliveries and their attempts stay in the log"),
    Setting("TRUSTED_PROXIES", "TRUSTED_PROXIES", int, 0,
            "Proxies in front of the app whose X-Forwarded-For/-Proto/-Host to trust (load balancer: 1)"),
)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _parse(setting: Setting, raw: str) -> Any:
    if setting.kind is bool:
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ConfigError(f"{ENV_PREFIX}{setting.env}: expected 1/0/true/false, got {raw!r}")
    if setting.kind is int:
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{ENV_PREFIX}{setting.env}: expected an integer, got {raw!r}") from None
    if setting.kind is float:
        try:
            return float(raw)
        except ValueError:
            raise ConfigError(f"{ENV_PREFIX}{setting.env}: expected a number, got {raw!r}") from None
    if setting.kind is list:
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def defaults() -> dict[str, Any]:
    values = {s.key: s.default for s in SETTINGS}
    values.update(
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        JSON_SORT_KEYS=False,
        API_TITLE="sentryapi",
        API_VERSION="0",
        OPENAPI_VERSION="3.0.3",
        # The sign-in and consent pages' session cookie (see sentryapi.oauth).
        SESSION_COOKIE_NAME="sentryapi_session",
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
    )
    return values


def load_config(app, overrides: dict | None = None) -> None:
    """Fill ``app.config`` in the documented order and validate the result."""
    app.config.update(defaults())
    app.config.from_pyfile("config.py", silent=True)
    for setting in SETTINGS:
        raw = os.environ.get(ENV_PREFIX + setting.env)
        if raw is not None:
            app.config[setting.key] = _parse(setting, raw)
    if overrides:
        app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        path = os.path.join(app.instance_path, "sentryapi.sqlite")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    _ensure_secret_key(app)
    validate(app.config)


def _ensure_secret_key(app) -> None:
    """Use the configured key, else one generated once and kept in the instance folder.

    A single host needs no setup this way; several hosts must share SENTRYAPI_SECRET_KEY.
    """
    if app.config.get("SECRET_KEY"):
        return
    app.config["SECRET_KEY_GENERATED"] = True  # per host: `flask sentryapi check-production` says so
    path = os.path.join(app.instance_path, "secret_key")
    try:
        with open(path) as fh:
            key = fh.read().strip()
    except FileNotFoundError:
        os.makedirs(app.instance_path, exist_ok=True)
        key = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
    app.config["SECRET_KEY"] = key


def validate(config) -> None:
    url = urlsplit(config["PUBLIC_URL"] or "")
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ConfigError(
            f"{ENV_PREFIX}PUBLIC_URL must be an http(s) URL such as https://sentry.example.com, "
            f"got {config['PUBLIC_URL']!r}"
        )
    config["PUBLIC_URL"] = config["PUBLIC_URL"].rstrip("/")

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        db_url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    except ArgumentError:
        raise ConfigError(
            f"{ENV_PREFIX}DATABASE_URL is not a database URL: {config['SQLALCHEMY_DATABASE_URI']!r}"
        ) from None
    if db_url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(
            f"{ENV_PREFIX}DATABASE_URL: only sqlite and postgresql are supported, "
            f"got {db_url.get_backend_name()!r}"
        )

    if config["SECRET_KEY"] == INSECURE_SECRET_KEY and not config.get("TESTING"):
        raise ConfigError(
            f"{ENV_PREFIX}SECRET_KEY is the documented example value; set a random one "
            "(python -c 'import secrets; print(secrets.token_hex(32))')"
        )
    if config["SQLITE_SYNCHRONOUS"].upper() not in ("OFF", "NORMAL", "FULL", "EXTRA"):
        raise ConfigError(f"{ENV_PREFIX}SQLITE_SYNCHRONOUS must be NORMAL or FULL")
    if config["OAUTH_ACCESS_TOKEN_LIFETIME"] <= 0:
        raise ConfigError(f"{ENV_PREFIX}OAUTH_ACCESS_TOKEN_LIFETIME must be a positive number of seconds")
    if config["REDIS_URL"]:
        redis_url = urlsplit(config["REDIS_URL"])
        if redis_url.scheme not in ("redis", "rediss", "unix"):
            raise ConfigError(f"{ENV_PREFIX}REDIS_URL must start with redis://, got {config['REDIS_URL']!r}")
    _validate_rate_limits(config)
    _validate_webhooks(config)


def _validate_webhooks(config) -> None:
    if config["WEBHOOK_DELIVERY"] not in ("auto", "rq", "thread"):
        raise ConfigError(f"{ENV_PREFIX}WEBHOOK_DELIVERY must be auto, rq or thread")
    if config["WEBHOOK_DELIVERY"] == "rq" and not config["REDIS_URL"]:
        raise ConfigError(f"{ENV_PREFIX}WEBHOOK_DELIVERY=rq needs {ENV_PREFIX}REDIS_URL")
    if not 0 < config["WEBHOOK_TIMEOUT"] <= 30:
        raise ConfigError(f"{ENV_PREFIX}WEBHOOK_TIMEOUT must be between 0 and 30 seconds")
    for key in ("WEBHOOK_MAX_ATTEMPTS", "WEBHOOK_THREADS", "WEBHOOK_RETENTION_DAYS",
                "WEBHOOK_DISABLE_MIN_FAILURES"):
        if config[key] < 1:
            raise ConfigError(f"{ENV_PREFIX}{key} must be at least 1")
    if config["WEBHOOK_RETRY_DELAY"] < 0 or config["WEBHOOK_DISABLE_AFTER"] < 0 \
            or config["WEBHOOK_REQUEUE_AFTER"] < 1:
        raise ConfigError(f"{ENV_PREFIX}WEBHOOK_RETRY_DELAY, _DISABLE_AFTER and _REQUEUE_AFTER "
                          "must be positive")


def _validate_rate_limits(config) -> None:
    from limits import parse, parse_many

    from .ratelimit.limiter import STRATEGIES

    try:
        if not parse_many(config["RATELIMIT_DEFAULT"]):
            raise ValueError
    except ValueError:
        raise ConfigError(
            f"{ENV_PREFIX}RATELIMIT_DEFAULT must be a limit such as '40 per second' or "
            f"'100/minute', got {config['RATELIMIT_DEFAULT']!r}"
        ) from None
    try:
        if config["INGEST_ORGANIZATION_QUOTA"]:
            parse(config["INGEST_ORGANIZATION_QUOTA"])
    except ValueError:
        raise ConfigError(
            f"{ENV_PREFIX}INGEST_ORGANIZATION_QUOTA must be a limit such as '100000 per hour', "
            f"got {config['INGEST_ORGANIZATION_QUOTA']!r}"
        ) from None
    if config["RATELIMIT_CONCURRENT"] < 1:
        raise ConfigError(f"{ENV_PREFIX}RATELIMIT_CONCURRENT must be at least 1")
    if config["RATELIMIT_STRATEGY"] not in STRATEGIES:
        raise ConfigError(f"{ENV_PREFIX}RATELIMIT_STRATEGY must be one of {', '.join(STRATEGIES)}")
    if config["TRUSTED_PROXIES"] < 0:
        raise ConfigError(f"{ENV_PREFIX}TRUSTED_PROXIES must be 0 or more")
