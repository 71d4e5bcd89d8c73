"""Settings: defaults, then instance/config.py, then SENTRYAPI_* variables, then overrides.

Every setting is listed in ``SETTINGS`` with its type, so an environment variable is
parsed the same way everywhere and a bad value fails start-up with one clear line.
(Over 300 lines because a third of it is that table: data, kept beside the code that
reads it, and printed as the README's settings table.)
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
    """One setting: its Flask config key, its name (``SENTRYAPI_`` + ``env`` in the environment;
    ``env``, ``SENTRYAPI_`` + ``env`` or ``key`` in instance/config.py), type and limits."""

    key: str  # Flask config key
    kind: type  # str, int, float, bool or list
    default: Any
    help: str
    minimum: float | None = None  # numbers: the smallest value allowed
    choices: tuple[str, ...] = ()  # strings: the values allowed (compared case-insensitively)
    env: str = ""  # name after the SENTRYAPI_ prefix, when it is not the key

    def __post_init__(self):
        if not self.env:
            object.__setattr__(self, "env", self.key)

    @property
    def name(self) -> str:
        return ENV_PREFIX + self.env


SETTINGS: tuple[Setting, ...] = (
    Setting("SQLALCHEMY_DATABASE_URI", str, None,
            "Database URL: sqlite:///path, or postgresql://user@host/db (postgres:// too; needs "
            "`make install-prod`). Default: the SQLite file instance/sentryapi.sqlite",
            env="DATABASE_URL"),
    Setting("PUBLIC_URL", str, "http://127.0.0.1:9000",
            "Base URL clients reach; DSNs and organization tokens embed it"),
    Setting("SECRET_KEY", str, None,
            "Signing key for sessions; generated into instance/secret_key when unset"),
    Setting("REDIS_URL", str, None,
            "Redis URL for rate limits and the webhook queue (default: in-process)"),
    Setting("DISABLED_PLUGINS", list, [],
            "Comma-separated plugin names not to load"),
    Setting("SQLITE_SYNCHRONOUS", str, "NORMAL",
            "SQLite durability: NORMAL survives a killed process, FULL also a power loss",
            choices=("NORMAL", "FULL", "EXTRA", "OFF")),
    Setting("API_MAX_BODY_SIZE", int, 1024 * 1024,
            "Largest request body accepted by /api/0/ endpoints, in bytes", minimum=1),
    Setting("ALLOW_ORGANIZATION_CREATION", bool, True,
            "Let any user create organizations (otherwise superusers only)"),
    Setting("OAUTH_ACCESS_TOKEN_LIFETIME", int, 30 * 24 * 3600,
            "Seconds an OAuth access token lives (Sentry: 30 days); refresh tokens rotate", minimum=1),
    Setting("LOG_LEVEL", str, "INFO", "Python logging level",
            choices=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")),
    Setting("RATELIMIT_ENABLED", bool, True,
            "Rate-limit /api/0/ per caller and endpoint (Sentry's X-Sentry-Rate-Limit-* headers)"),
    # Sentry allows 40 per 1 s. Here: bursts of 200, 20/s sustained; and a client must be
    # faster than 50 ms a request (not 25 ms) to hit it, even when one small host is busy.
    Setting("RATELIMIT_DEFAULT", str, "200 per 10 seconds",
            "Requests per caller, endpoint and method: any flask-limiter limit, e.g. '1000/hour'; "
            "'40 per second' is sentry.io's usual value"),
    Setting("RATELIMIT_CONCURRENT", int, 25,
            "Requests one caller may have in flight on one endpoint and method", minimum=1),
    Setting("RATELIMIT_STRATEGY", str, "moving-window",
            "moving-window: no more than N in any window (one entry per request kept: for limits in "
            "the thousands use fixed-window, Sentry's, cheaper, which allows 2N across a window edge)",
            choices=("moving-window", "fixed-window", "sliding-window-counter")),
    Setting("RATELIMIT_KEY_PREFIX", str, "sentryapi",
            "Prefix of the rate-limit keys in Redis (several deployments may share one Redis)"),
    Setting("INGEST_ORGANIZATION_QUOTA", str, "",
            "Events one organization may send, e.g. '100000 per hour' (default: no quota)"),
    Setting("WEBHOOK_ALLOW_PRIVATE", bool, False,
            "Let webhooks go to loopback and private addresses (local setups, tests); refused otherwise"),
    Setting("WEBHOOK_LOOPBACK_ONLY", bool, False,
            "Deliver webhooks to loopback addresses only (tests, demos on a machine without "
            "egress): any other destination fails its attempt without a connection"),
    Setting("WEBHOOK_DELIVERY", str, "auto",
            "Where deliveries run: rq (Redis + `flask sentryapi worker`), thread (in each server "
            "process), auto (rq when SENTRYAPI_REDIS_URL is set)", choices=("auto", "rq", "thread")),
    Setting("WEBHOOK_QUEUE", str, "sentryapi-webhooks",
            "RQ queue of deliveries (deployments sharing one Redis need different names)"),
    Setting("WEBHOOK_TIMEOUT", float, 1.0,
            "Seconds a receiver has to answer a delivery (connect and response)"),
    Setting("WEBHOOK_MAX_ATTEMPTS", int, 10,
            "Attempts per delivery before it is marked failed", minimum=1),
    Setting("WEBHOOK_RETRY_DELAY", float, 10.0,
            "Seconds before the first retry; each next one waits twice as long (+-10%, at most 1 hour)",
            minimum=0),
    Setting("WEBHOOK_DISABLE_AFTER", int, 7 * 86400,
            "Seconds of failing deliveries (no success) after which a hook is disabled", minimum=0),
    Setting("WEBHOOK_DISABLE_MIN_FAILURES", int, 10,
            "Failed attempts in a row a hook needs, too, before it is disabled", minimum=1),
    Setting("WEBHOOK_REQUEUE_AFTER", int, 120,
            "Seconds after which the sweeper re-enqueues a delivery that a queue took but never ran",
            minimum=1),
    Setting("WEBHOOK_THREADS", int, 4,
            "Deliveries sent at once by the in-process thread (thread mode)", minimum=1),
    Setting("WEBHOOK_RETENTION_DAYS", int, 30,
            "Days finished deliveries and their attempts stay in the log", minimum=1),
    Setting("EVENT_RETENTION_DAYS", int, 90,
            "Days events (and issues left without events) are kept; a project's "
            "`eventRetentionDays` overrides it. Deleted hourly, or by `flask sentryapi cleanup`",
            minimum=1),
    Setting("SCHEDULER", str, "auto",
            "Where periodic tasks (plugins' `tasks`) run: `thread` (the server process), `worker` "
            "(`flask sentryapi worker` processes), `off`; `auto`: `worker` with Redis, else `thread`",
            choices=("auto", "thread", "worker", "off")),
    Setting("BLOB_STORAGE", str, "filesystem",
            "Where uploaded files (attachments, source maps, debug files) are stored: 'filesystem' "
            "(BLOB_PATH) or 's3' (an S3-compatible bucket, for several app hosts; needs `make install-prod`)",
            choices=("filesystem", "s3")),
    Setting("BLOB_PATH", str, None,
            "Folder of the filesystem store (default: instance/blobs, or instance/attachments "
            "when an earlier version's attachment store is there)"),
    Setting("BLOB_S3_BUCKET", str, None, "Bucket of the s3 store"),
    Setting("BLOB_S3_ENDPOINT_URL", str, None,
            "Endpoint of an S3-compatible store (MinIO, Ceph...; default: AWS S3)"),
    Setting("BLOB_S3_REGION", str, None, "Region of the s3 store"),
    Setting("BLOB_S3_ACCESS_KEY_ID", str, None,
            "Access key of the s3 store (default: boto3's own credential chain)"),
    Setting("BLOB_S3_SECRET_ACCESS_KEY", str, None, "Secret key of the s3 store"),
    Setting("BLOB_S3_PREFIX", str, "", "Prefix of every key in the s3 bucket (several servers sharing one)"),
    Setting("WSGI_FAST_ROUTES", bool, True,
            "Serve plugins' lean routes (SDK ingestion) below Flask's request machinery; off: "
            "through Flask, with the same answers"),
    Setting("TRUSTED_PROXIES", int, 0,
            "Proxies in front of the app whose X-Forwarded-For/-Proto/-Host to trust: 1 behind one load "
            "balancer (client IPs then come from X-Forwarded-For)",
            minimum=0),
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
        raise ConfigError(f"{setting.name}: expected 1/0/true/false, got {raw!r}")
    if setting.kind in (int, float):
        try:
            return setting.kind(raw)
        except ValueError:
            expected = "an integer" if setting.kind is int else "a number"
            raise ConfigError(f"{setting.name}: expected {expected}, got {raw!r}") from None
    if setting.kind is list:
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def _one_of(values) -> str:
    values = list(values)
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


def check_setting(setting: Setting, value: Any) -> Any:
    """``value`` in its setting's type and limits (a string is parsed), or a ConfigError."""
    if isinstance(value, str) and setting.kind is not str:
        value = _parse(setting, value)
    if setting.minimum is not None and value is not None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{setting.name}: expected a number, got {value!r}")
        if value < setting.minimum:
            raise ConfigError(f"{setting.name} must be at least {setting.minimum:g}, got {value!r}")
    if setting.choices and value is not None:
        canonical = {choice.lower(): choice for choice in setting.choices}
        if str(value).lower() not in canonical:
            raise ConfigError(f"{setting.name} must be {_one_of(setting.choices)}, got {value!r}")
        value = canonical[str(value).lower()]
    return value


def load_settings(app, settings, overrides: dict | None = None) -> None:
    """Give each setting its value: its default, then instance/config.py (by any of its names),
    then its ``SENTRYAPI_*`` environment variable, then ``overrides``; check each one.

    A plugin calls this from its ``init_app`` with its own settings; every setting loaded is
    listed in ``app.extensions["sentryapi.settings"]`` (``flask sentryapi settings``).
    """
    config = app.config
    for setting in settings:
        for alias in (setting.name, setting.env):  # instance/config.py may use either name
            if alias != setting.key and alias in config:
                config[setting.key] = config.pop(alias)
        config.setdefault(setting.key, setting.default)
        raw = os.environ.get(setting.name)
        if raw is not None:
            config[setting.key] = _parse(setting, raw)
        if overrides and setting.key in overrides:
            config[setting.key] = overrides[setting.key]
        config[setting.key] = check_setting(setting, config[setting.key])
    app.extensions.setdefault("sentryapi.settings", []).extend(settings)


def defaults() -> dict[str, Any]:
    """Every core setting's default, and Flask settings that are not for operators."""
    return dict(
        {setting.key: setting.default for setting in SETTINGS},
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


def load_config(app, overrides: dict | None = None) -> None:
    """Fill ``app.config`` in the documented order and validate the result."""
    app.config.update(defaults())
    app.config.from_pyfile("config.py", silent=True)
    load_settings(app, SETTINGS, overrides)
    keys = {setting.key for setting in SETTINGS}  # the settings among them were checked above
    app.config.update({key: value for key, value in (overrides or {}).items() if key not in keys})
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        path = os.path.join(_instance_folder(app), "sentryapi.sqlite")
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
        key = secrets.token_hex(32)
        try:
            _instance_folder(app)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(key)
        except OSError as error:
            raise ConfigError(f"{ENV_PREFIX}SECRET_KEY is unset and {path} cannot be written "
                              f"({error.strerror}): set it, or make the folder writable") from None
    app.config["SECRET_KEY"] = key


def _instance_folder(app) -> str:
    """The instance folder, created if missing, or a ConfigError naming the variable."""
    try:
        os.makedirs(app.instance_path, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"{ENV_PREFIX}INSTANCE_PATH: cannot create {app.instance_path} "
                          f"({error.strerror}); choose a writable folder") from None
    return app.instance_path


def validate(config) -> None:
    url = urlsplit(config["PUBLIC_URL"] or "")
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ConfigError(
            f"{ENV_PREFIX}PUBLIC_URL must be an http(s) URL such as https://sentry.example.com, "
            f"got {config['PUBLIC_URL']!r}"
        )
    config["PUBLIC_URL"] = config["PUBLIC_URL"].rstrip("/")
    config["SQLALCHEMY_DATABASE_URI"] = database_url(config["SQLALCHEMY_DATABASE_URI"])

    if config["SECRET_KEY"] == INSECURE_SECRET_KEY and not config.get("TESTING"):
        raise ConfigError(
            f"{ENV_PREFIX}SECRET_KEY is the documented example value; set a random one "
            "(python -c 'import secrets; print(secrets.token_hex(32))')"
        )
    if config["REDIS_URL"]:
        redis_url = urlsplit(config["REDIS_URL"])
        if redis_url.scheme not in ("redis", "rediss", "unix"):
            raise ConfigError(f"{ENV_PREFIX}REDIS_URL must start with redis://, got {config['REDIS_URL']!r}")
    _validate_rate_limits(config)
    _validate_webhooks(config)
    if config["BLOB_STORAGE"] == "s3" and not config["BLOB_S3_BUCKET"]:
        raise ConfigError(f"{ENV_PREFIX}BLOB_S3_BUCKET must be set when {ENV_PREFIX}BLOB_STORAGE is s3")


def database_url(value: str) -> str:
    """The database URL as SQLAlchemy takes it, or a ConfigError saying what to change.

    ``postgres://`` (what most hosting providers hand out) means PostgreSQL; a PostgreSQL URL
    needs its driver installed; a SQLite file needs a folder it can be written in.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    name = f"{ENV_PREFIX}DATABASE_URL"
    if value.startswith(("postgres://", "postgres+")):
        value = "postgresql" + value[len("postgres"):]
    try:
        url = make_url(value)
    except ArgumentError:
        raise ConfigError(f"{name} is not a database URL: {value!r} (sqlite:///path or "
                          "postgresql://user@host/db)") from None
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(f"{name}: only sqlite and postgresql are supported, got {backend!r}")
    try:
        url.get_dialect().import_dbapi()
    except ImportError as error:
        raise ConfigError(
            f"{name} is a {backend} URL but its driver is not installed ({error}): install with "
            "`make install-prod` (or pip install 'sentryapi[postgres]')"
        ) from None
    if backend == "sqlite":
        _check_sqlite_folder(name, url)
    return value


def _check_sqlite_folder(name: str, url) -> None:
    path = url.database or ""
    if path in ("", ":memory:") or path.startswith("file:") or url.query.get("uri"):
        return
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ConfigError(f"{name}: the folder of the SQLite file does not exist: {folder} "
                          "(create it, or point the URL at an existing folder)")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ConfigError(f"{name}: the folder of the SQLite file is not writable: {folder}")


def _validate_webhooks(config) -> None:
    if config["WEBHOOK_DELIVERY"] == "rq" and not config["REDIS_URL"]:
        raise ConfigError(f"{ENV_PREFIX}WEBHOOK_DELIVERY=rq needs {ENV_PREFIX}REDIS_URL")
    if not 0 < config["WEBHOOK_TIMEOUT"] <= 30:
        raise ConfigError(f"{ENV_PREFIX}WEBHOOK_TIMEOUT must be between 0 and 30 seconds")


def _validate_rate_limits(config) -> None:
    from limits import parse, parse_many

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
