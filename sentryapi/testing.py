"""pytest fixtures for sentryapi and its plugins (a ``pytest11`` plugin, loaded automatically).

Every test that uses ``app`` runs twice: on SQLite and on PostgreSQL. PostgreSQL comes
from ``SENTRYAPI_TEST_POSTGRES_URL`` (default: the local ``test`` database); each test
session works in a schema of its own, so parallel runs never meet. When PostgreSQL is
not there the PostgreSQL half is skipped with the reason, unless
``SENTRYAPI_REQUIRE_SERVICES=1`` (CI), where it fails.
"""

from __future__ import annotations

import collections
import contextlib
import json as jsonlib
import os
import secrets
import threading
import uuid
import weakref
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from .background import stop_background
from .probes import ProbeContext, load_probes, probe, unique  # noqa: F401 - plugins' probes

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
BACKENDS = ("sqlite", "postgresql")


def services_required() -> bool:
    return os.environ.get("SENTRYAPI_REQUIRE_SERVICES", "") in ("1", "true", "yes")


def service_unavailable(what: str, error: Exception):
    """Skip on a laptop without the service; fail in CI, where it must be there."""
    message = f"{what} is not reachable ({error.__class__.__name__}: {error})"
    if services_required():
        pytest.fail(message + " and SENTRYAPI_REQUIRE_SERVICES=1", pytrace=False)
    pytest.skip(message + "; set SENTRYAPI_TEST_POSTGRES_URL / start it to run these tests")


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
        service_unavailable(f"PostgreSQL at {base.render_as_string()}", error)
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


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
    }
    config.update(overrides)
    app = create_app(config)
    _built_apps.add(app)
    return app


#: Every app ``build_app`` made and still alive (their threads stop with their database).
_built_apps: weakref.WeakSet = weakref.WeakSet()


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


class ApiClient:
    """The Flask test client with a bearer token and JSON bodies.

    Every response of a public operation is checked against the published OpenAPI
    document (status listed, body valid); ``unchecked()`` gives a client that skips it,
    for a test that deliberately goes outside the contract.
    """

    def __init__(self, client, token: str | None = None, *, check_contract: bool = True):
        self.client = client
        self.token = token
        self.check_contract = check_contract

    def request(self, method: str, path: str, json=None, headers=None, **kwargs):
        headers = dict(headers or {})
        if self.token and "Authorization" not in headers:
            headers["Authorization"] = f"Bearer {self.token}"
        if json is not None:
            kwargs["data"] = jsonlib.dumps(json)
            headers.setdefault("Content-Type", "application/json")
        response = self.client.open(path, method=method, headers=headers, **kwargs)
        if self.check_contract:
            contract().check(self.client.application, method, path, response)
        return response

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.request("POST", path, json=json, **kw)

    def put(self, path, json=None, **kw):
        return self.request("PUT", path, json=json, **kw)

    def delete(self, path, json=None, **kw):
        return self.request("DELETE", path, json=json, **kw)

    def as_(self, token: str | None) -> ApiClient:
        return ApiClient(self.client, token, check_contract=self.check_contract)

    def unchecked(self) -> ApiClient:
        return ApiClient(self.client, self.token, check_contract=False)


_contract = None


def contract():
    """The session's response-conformance checker (``sentryapi.openapi.conformance``)."""
    global _contract
    if _contract is None:
        from sentryapi.openapi.conformance import Conformance

        _contract = Conformance()
    return _contract


#: Statuses of the requests fuzzing tests sent ("200" -> count), for the summary.
FUZZ_STATUSES: collections.Counter = collections.Counter()


def pytest_terminal_summary(terminalreporter):
    for line in _contract.summary() if _contract is not None else ():
        terminalreporter.write_line(f"OpenAPI conformance: {line}")
    if FUZZ_STATUSES:
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(FUZZ_STATUSES.items()))
        terminalreporter.write_line(
            f"Fuzzing: {sum(FUZZ_STATUSES.values())} requests checked by schemathesis ({statuses})"
        )


@dataclass
class Actor:
    """A user with a membership and a token, ready to call the API."""

    user: object
    organization: object
    member: object
    token: str
    api: ApiClient

    @property
    def org(self) -> str:
        return self.organization.slug


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def anonymous(client):
    return ApiClient(client)


@pytest.fixture
def make_user(app):
    from sentryapi.extensions import db
    from sentryapi.organizations import services

    def make(email: str | None = None, password: str | None = None, **kwargs):
        with app.app_context():
            user = services.create_user(email or f"user-{uuid.uuid4().hex[:10]}@example.com",
                                        password=password, **kwargs)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


@pytest.fixture
def make_org(app, make_user):
    from sentryapi.extensions import db
    from sentryapi.organizations import services

    def make(name: str | None = None, owner=None, slug: str | None = None):
        owner = owner or make_user()
        with app.app_context():
            organization = services.create_organization(
                name or f"Org {uuid.uuid4().hex[:8]}", db.session.merge(owner), slug=slug
            )
            db.session.refresh(organization)
            db.session.expunge(organization)
            return organization

    return make


@pytest.fixture
def make_token(app):
    """``make_token(user, scopes=None)`` -> plaintext user token (all owner scopes by default);
    ``make_token(organization=org, scopes=...)`` -> an organization token."""
    from sentryapi.auth.scopes import USER_TOKEN_SCOPES
    from sentryapi.extensions import db
    from sentryapi.organizations import services

    def make(user=None, scopes=None, *, organization=None, expires_at=None):
        with app.app_context():
            if organization is not None:
                _, token = services.issue_org_token(db.session.merge(organization), "test", scopes)
            else:
                _, token = services.issue_user_token(
                    db.session.merge(user), USER_TOKEN_SCOPES if scopes is None else scopes,
                    expires_at=expires_at,
                )
            db.session.commit()
            return token

    return make


@pytest.fixture
def make_actor(app, client, make_user, make_org, make_token):
    """``make_actor(role="owner", organization=None, scopes=None)`` -> :class:`Actor`."""
    from sentryapi.extensions import db
    from sentryapi.tenants.models import OrganizationMember

    def make(role: str = "owner", organization=None, scopes=None, email=None) -> Actor:
        user = make_user(email)
        with app.app_context():
            if organization is None:
                organization = make_org(owner=user)
                member = db.session.query(OrganizationMember).filter_by(
                    organization_id=organization.id, user_id=user.id).one()
                member.role = role
            else:
                member = OrganizationMember(organization_id=organization.id, user_id=user.id, role=role)
                db.session.add(member)
            db.session.commit()
            db.session.refresh(member)
            db.session.expunge(member)
        token = make_token(user, scopes)
        return Actor(user, organization, member, token, ApiClient(client, token))

    return make


@pytest.fixture
def owner(make_actor):
    """The owner of a fresh organization."""
    return make_actor("owner")


@pytest.fixture(scope="session")
def spec_app(tmp_path_factory):
    """An app (every installed plugin, no tables) for inspecting its OpenAPI documents."""
    return build_app("sqlite://", tmp_path_factory.mktemp("spec-instance"))


@pytest.fixture
def count_queries(app):
    """``with count_queries() as statements:`` lists the SQL statements run in the block.

    For the rule that a list costs the same number of queries for 1 row and for 100.
    """
    from contextlib import contextmanager

    from sqlalchemy import event

    from sentryapi.extensions import db

    with app.app_context():
        engine = db.engine

    @contextmanager
    def counting():
        statements: list[str] = []

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting


@contextlib.contextmanager
def serve(app):
    """Serve ``app`` over real HTTP (werkzeug, threaded) on an ephemeral port; ``.url``."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture
def live_server(app):
    """The app served over real HTTP (werkzeug, threaded) on an ephemeral port."""
    with serve(app) as server:
        yield server


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


@pytest.fixture
def redis_client():
    """A client of the test Redis (``SENTRYAPI_TEST_REDIS_URL``); shared, so use a key prefix."""
    import redis

    client = redis.Redis.from_url(redis_url(), socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        service_unavailable(f"Redis at {redis_url()}", error)
    yield client
    client.close()


@pytest.fixture
def redis_prefix(redis_client):
    """A key prefix of this test's own in the shared Redis; its keys are deleted afterwards."""
    prefix = "sentryapi-test-" + secrets.token_hex(6)
    yield prefix
    for key in redis_client.scan_iter(match=f"*{prefix}*", count=1000):
        redis_client.delete(key)


@pytest.fixture
def sentry_conforms():
    """``sentry_conforms(method, "/api/0/...{organization_id_or_slug}/", status, body)``
    -> the ways ``body`` differs from Sentry's published schema (``[]`` when it conforms)."""
    from sentryapi.conformance import violations

    return violations


@pytest.fixture(scope="session")
def plugin_contract(tmp_path_factory):
    """``plugin_contract("name")`` fails with every way that plugin breaks the plugin
    contract (see ``sentryapi.contract``); a plugin's suite calls it on itself."""
    from sentryapi.contract import assert_keeps_contract

    app = build_app("sqlite://", tmp_path_factory.mktemp("contract-instance"))
    return lambda name: assert_keeps_contract(app, name)


@pytest.fixture
def tenant_isolation(app, make_actor, make_token):
    """``tenant_isolation(name=None)``: another organization's token must not tell the
    victim's objects from missing ones, on plugin ``name``'s routes (every route by
    default); fails listing each difference, else returns the findings
    (``sentryapi.isolation``). The plugin's routes need probes (``sentryapi.probes``)."""
    from .contract import plugin_package, plugin_rules
    from .isolation import check

    def run(name: str | None = None):
        load_probes(app)
        rules = None
        if name is not None:
            plugin = app.extensions["sentryapi.plugins"].by_name[name]
            rules = {rule.rule for rule, _view in plugin_rules(app, plugin_package(plugin))}
        from .probes import missing_probes

        missing = [line for line in missing_probes(app) if rules is None or line.split(" ")[0] in rules]
        assert not missing, "no probe (@sentryapi.testing.probe) for: " + "; ".join(missing)
        ours, theirs = ProbeContext(app, make_actor("owner")), ProbeContext(app, make_actor("owner"))
        narrow = ours.api.unchecked().as_(make_token(ours.actor.user, ["org:read"]))
        findings = check(app, ours, theirs, narrow, rules)
        assert not findings.problems, "tenant isolation broken:\n" + "\n".join(findings.problems)
        return findings

    return run


def follow_links(api, url: str, max_pages: int = 1000):
    """Walk a list through its ``rel="next"`` links; return (pages, link headers)."""
    import re

    pages, links = [], []
    for _ in range(max_pages):
        response = api.get(url)
        assert response.status_code == 200, response.json
        pages.append(response.json)
        link = response.headers["Link"]
        links.append(link)
        match = re.search(r'<([^>]+)>; rel="next"; results="(true|false)"', link)
        if match.group(2) == "false":
            return pages, links
        url = match.group(1).split("://", 1)[1].split("/", 1)[1]
        url = "/" + url
    raise AssertionError("pagination did not end")


def schema_errors(openapi_schema: dict, body, limit: int = 10) -> list[str]:
    """Where ``body`` breaks an OpenAPI 3.0 response schema: ``["path: message", ...]``."""
    from sentryapi.conformance import schema_errors as errors

    return errors(openapi_schema, body, limit)
