"""The test services (PostgreSQL, Redis): where they are, and what happens when they are not.

On a laptop without a service its tests skip with the reason; with
``SENTRYAPI_REQUIRE_SERVICES=1`` (CI) they fail instead.
"""

from __future__ import annotations

import contextlib
import os
import secrets

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def services_required() -> bool:
    return os.environ.get("SENTRYAPI_REQUIRE_SERVICES", "") in ("1", "true", "yes")


def service_unavailable(what: str, error: Exception, remedy: str = "start it"):
    """Skip on a laptop without the service; fail in CI, where it must be there."""
    message = f"{what} is not reachable ({error.__class__.__name__}: {error})"
    if services_required():
        pytest.fail(message + " and SENTRYAPI_REQUIRE_SERVICES=1", pytrace=False)
    pytest.skip(f"{message}; {remedy} to run these tests")


def postgres_url() -> str:
    return os.environ.get("SENTRYAPI_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def redis_url() -> str:
    return os.environ.get("SENTRYAPI_TEST_REDIS_URL", DEFAULT_REDIS_URL)


@contextlib.contextmanager
def postgres_schema(name: str = "sentryapi_test"):
    """A PostgreSQL URL whose ``search_path`` is a fresh schema, dropped afterwards."""
    base = make_url(postgres_url())
    schema = f"{name}_{os.getpid()}_{secrets.token_hex(3)}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
        engine.dispose()
        service_unavailable(f"PostgreSQL at {base.render_as_string()}", error,
                            "start it or set SENTRYAPI_TEST_POSTGRES_URL")
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture
def redis_client():
    """A client of the test Redis (``SENTRYAPI_TEST_REDIS_URL``); shared, so use a key prefix."""
    import redis

    client = redis.Redis.from_url(redis_url(), socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        service_unavailable(f"Redis at {redis_url()}", error,
                            "start it or set SENTRYAPI_TEST_REDIS_URL")
    yield client
    client.close()


@pytest.fixture
def redis_prefix(redis_client):
    """A key prefix of this test's own in the shared Redis; its keys are deleted afterwards."""
    prefix = "sentryapi-test-" + secrets.token_hex(6)
    yield prefix
    for key in redis_client.scan_iter(match=f"*{prefix}*", count=1000):
        redis_client.delete(key)
