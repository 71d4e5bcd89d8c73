"""``flask sentryapi check-production``: what every app host behind a balancer needs.

Each host runs the same code with the same settings: PostgreSQL (not SQLite, which is
one host's file), one shared Redis (rate-limit budgets, the webhook queue), the same
SECRET_KEY and the same PUBLIC_URL. This checks the settings of the host it runs on.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import text
from sqlalchemy.engine import make_url

from .config import defaults
from .extensions import db


@dataclass
class Finding:
    level: str  # "ok", "warning" or "error"
    message: str


def check_production() -> list[Finding]:
    config = current_app.config
    return [
        _database(config),
        _redis(config),
        _secret_key(config),
        _public_url(config),
        _proxies(config),
        _rate_limits(config),
    ]


def _database(config) -> Finding:
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        return Finding("error", "SENTRYAPI_DATABASE_URL is SQLite, a file of one host: "
                                "use postgresql://... for several processes or hosts")
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - report any failure to connect
        return Finding("error", f"PostgreSQL at {url.render_as_string()} is not reachable: {error}")
    finally:
        db.session.remove()
    return Finding("ok", f"database: PostgreSQL at {url.render_as_string()}")


def _redis(config) -> Finding:
    if not config["REDIS_URL"]:
        return Finding("error", "SENTRYAPI_REDIS_URL is not set: rate limits would count per "
                                "process and webhook jobs would stay in one process")
    import redis

    try:
        redis.Redis.from_url(config["REDIS_URL"], socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return Finding("warning", f"Redis at {config['REDIS_URL']} is not reachable ({error}); "
                                  "the API still serves, with per-process rate limits")
    return Finding("ok", f"Redis at {config['REDIS_URL']}: rate limits shared by every host")


def _secret_key(config) -> Finding:
    if config.get("SECRET_KEY_GENERATED"):
        return Finding("error", "SECRET_KEY was generated on this host (instance/secret_key): "
                                "set the same SENTRYAPI_SECRET_KEY on every host")
    return Finding("ok", "SECRET_KEY is set explicitly (use the same value on every host)")


def _public_url(config) -> Finding:
    if config["PUBLIC_URL"] == defaults()["PUBLIC_URL"]:
        return Finding("warning", "SENTRYAPI_PUBLIC_URL is the local default; set the URL "
                                  "clients use (the balancer's), the same on every host")
    return Finding("ok", f"PUBLIC_URL is {config['PUBLIC_URL']}")


def _proxies(config) -> Finding:
    if not config["TRUSTED_PROXIES"]:
        return Finding("warning", "SENTRYAPI_TRUSTED_PROXIES is 0: behind a load balancer set it "
                                  "to 1, or anonymous callers all share the balancer's IP budget")
    return Finding("ok", f"client IPs from X-Forwarded-For, {config['TRUSTED_PROXIES']} proxy hop(s)")


def _rate_limits(config) -> Finding:
    if not config["RATELIMIT_ENABLED"]:
        return Finding("warning", "rate limits are off (SENTRYAPI_RATELIMIT_ENABLED=0)")
    return Finding("ok", f"rate limits: {config['RATELIMIT_DEFAULT']}, "
                         f"{config['RATELIMIT_CONCURRENT']} concurrent, per caller and endpoint")
