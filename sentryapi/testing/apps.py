"""Apps and databases for tests: every test that uses ``app`` runs on SQLite and PostgreSQL.

Each test session works in a PostgreSQL schema of its own, so parallel runs never meet;
an app is built once per backend and session, and its tables are emptied after each test.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
import weakref

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ..background import stop_background
from .services import postgres_schema

BACKENDS = ("sqlite", "postgresql")

#: Every app ``build_app`` made and still alive (their threads stop with their database).
_built_apps: weakref.WeakSet = weakref.WeakSet()


def build_app(database_url: str, instance_path, **overrides):
    """An app for tests: given database, no instance config, rate limits off."""
    os.environ["SENTRYAPI_INSTANCE_PATH"] = str(instance_path)
    from sentryapi import create_app

    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PUBLIC_URL": "http://testserver.example",
        "SECRET_KEY": "test-" + secrets.token_hex(8),
        "RATELIMIT_ENABLED": False,
        # The probes' hooks name public addresses; no test may send a request off the machine.
        "WEBHOOK_LOOPBACK_ONLY": True,
        # Tests run periodic tasks themselves (sentryapi.scheduler.run_due / run_task).
        "SCHEDULER": "off",
    }
    config.update(overrides)
    app = create_app(config)
    _built_apps.add(app)
    return app


@pytest.fixture(scope="session")
def postgres_schema_url():
    """A PostgreSQL URL whose ``search_path`` is a fresh schema, dropped at the end."""
    with postgres_schema() as url:
        yield url
        # Threads of the session's apps poll this schema: stop them before it is dropped.
        for app in list(_built_apps):
            if app.config["SQLALCHEMY_DATABASE_URI"] == url:
                stop_background(app)


@pytest.fixture(scope="session")
def _apps(tmp_path_factory):
    """One app per backend per session; tests get it with empty tables."""
    apps = {"instance": tmp_path_factory.mktemp("instance"), "apps": {}}
    yield apps
    for app in apps["apps"].values():
        stop_background(app)


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    return request.getfixturevalue("postgres_schema_url")


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A database with no tables at all (a new SQLite file or a new PostgreSQL schema)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    base = make_url(database_url)
    schema = f"empty_{os.getpid()}_{secrets.token_hex(4)}"
    engine = create_engine(base.difference_update_query(["options"]), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    with engine.connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture
def app(request, _apps, database_url):
    backend = request.node.callspec.params.get("database_url", "sqlite")
    cached = _apps["apps"].get(backend)
    if cached is None:
        cached = build_app(database_url, _apps["instance"])
        with cached.app_context():
            from sentryapi.extensions import db

            db.create_all()
        _apps["apps"][backend] = cached
    yield cached
    _empty_tables(cached)


def _empty_tables(app) -> None:
    from sentryapi.extensions import db

    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def db_session(app):
    """The app's session inside an app context (for arranging and inspecting rows)."""
    from sentryapi.extensions import db

    with app.app_context():
        yield db.session
        db.session.remove()


@pytest.fixture(scope="session")
def spec_app(tmp_path_factory):
    """An app (every installed plugin, no tables) for inspecting its OpenAPI documents."""
    return build_app("sqlite://", tmp_path_factory.mktemp("spec-instance"))


@pytest.fixture
def make_app(app, tmp_path_factory):
    """``make_app(**config)`` -> another app over the same test database as ``app``.

    For settings the shared ``app`` does not have, e.g. ``RATELIMIT_ENABLED=True``.
    Register extra blueprints on it before its first request.
    """
    made = []

    def make(**overrides):
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        made.append(build_app(url, tmp_path_factory.mktemp("instance"), **overrides))
        return made[-1]

    yield make
    from sentryapi.extensions import db

    for other in made:
        stop_background(other)
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@contextlib.contextmanager
def executed_statements(app, *, with_parameters: bool = False):
    """``with executed_statements(app) as statements:`` lists the SQL statements the app's
    engine ran in the block (``(statement, parameters)`` pairs with ``with_parameters``),
    in this thread only: the app's background threads (the digest, deliveries) share the
    engine, and what they run meanwhile is not the block's."""
    from sqlalchemy import event

    from sentryapi.extensions import db

    with app.app_context():
        engine = db.engine
    statements: list = []
    this_thread = threading.get_ident()

    def record(conn, cursor, statement, parameters, context, executemany):
        if threading.get_ident() == this_thread:
            statements.append((statement, parameters) if with_parameters else statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as statements:`` lists the SQL statements run in the block.

    For the rule that a list costs the same number of queries for 1 row and for 100.
    """
    return lambda: executed_statements(app)
