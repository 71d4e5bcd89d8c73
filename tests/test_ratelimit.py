"""Rate limits on /api/0/: Sentry's headers, 429s, who shares a budget, concurrency, Redis."""

import logging
import secrets
import socket
import threading
import time

import pytest
import requests

from sentryapi.api import Blueprint, Endpoint, RateLimit
from sentryapi.config import ConfigError
from sentryapi.testing import redis_url, serve

ORGS = "/api/0/organizations/"
HEADERS = ("Limit", "Remaining", "Reset", "ConcurrentLimit", "ConcurrentRemaining")
TOO_FREQUENT = ("You are attempting to use this endpoint too frequently. "
                "Limit is {} requests in {} seconds")


def rate_headers(response) -> dict[str, int]:
    """The five X-Sentry-Rate-Limit-* headers as integers (fails if one is missing)."""
    return {name: int(response.headers[f"X-Sentry-Rate-Limit-{name}"]) for name in HEADERS}


@pytest.fixture
def limited(make_app):
    """``limited(**config)`` -> an app with rate limits on: 5 per 30 s, 3 concurrent."""

    def make(**overrides):
        config = {"RATELIMIT_ENABLED": True, "RATELIMIT_DEFAULT": "5 per 30 second",
                  "RATELIMIT_CONCURRENT": 3, "RATELIMIT_KEY_PREFIX": "t" + secrets.token_hex(6)}
        return make_app(**{**config, **overrides})

    return make


class Probe:
    """Test-only endpoints: limits declared on the view, and a view that waits for a gate."""

    def __init__(self):
        self.gate = threading.Event()
        self.entered = threading.Semaphore(0)
        self.blueprint = self._blueprint()

    def _blueprint(self):
        blp = Blueprint("probe", __name__, description="Test-only endpoints.")
        probe = self

        @blp.route("/probe/declared/")
        class Declared(Endpoint):
            scope_map = {"GET": (), "POST": ()}
            rate_limits = {"GET": RateLimit(limit=2, window=60, concurrent_limit=7), "POST": None}

            def get(self):
                return {"ok": True}

            def post(self):
                return {"ok": True}

        @blp.route("/probe/slow/")
        class Slow(Endpoint):
            scope_map = {"GET": ()}
            rate_limits = {"GET": RateLimit(limit=100, window=60, concurrent_limit=2)}

            def get(self):
                from flask import request

                probe.entered.release()
                probe.gate.wait(10)
                if request.args.get("fail"):
                    raise RuntimeError("the view failed")
                return {"ok": True}

        return blp

    def install(self, app):
        app.extensions["sentryapi.api"].register_blueprint(self.blueprint, url_prefix="/api/0")
        return app


def test_disabled_in_the_shared_test_app(owner):
    r = owner.api.get(ORGS)
    assert r.status_code == 200
    assert not [h for h in r.headers.keys() if h.startswith("X-Sentry-Rate-Limit")]


def test_sentry_headers_on_every_api_response(limited, owner, make_actor, client):
    app = limited(RATELIMIT_DEFAULT="50 per 30 second")
    api = owner.api.as_(owner.token)
    api.client = app.test_client()
    reader = make_actor("member", organization=owner.organization, scopes=["org:read"])
    responses = {
        "list": api.get(ORGS),
        "detail": api.get(f"{ORGS}{owner.org}/"),
        "missing object": api.get(f"{ORGS}no-such-org/"),
        "bad body": api.post(ORGS, json={"slug": "!!"}),
        "anonymous index": api.as_(None).get("/api/0/"),
        "no credentials": api.as_(None).get(ORGS),
        "refused token": api.as_("sntryu_" + "0" * 64).get(ORGS),
        "missing scope": api.as_(reader.token).put(f"{ORGS}{owner.org}/", json={"name": "x"}),
    }
    statuses = {name: r.status_code for name, r in responses.items()}
    assert statuses == {"list": 200, "detail": 200, "missing object": 404, "bad body": 400,
                        "anonymous index": 200, "no credentials": 401, "refused token": 401,
                        "missing scope": 403}
    now = time.time()
    for name, r in responses.items():
        h = rate_headers(r)
        assert h["Limit"] == 50 and h["ConcurrentLimit"] == 3, name
        assert 0 <= h["Remaining"] < 50 and 0 <= h["ConcurrentRemaining"] < 3, name
        assert now < h["Reset"] <= now + 32, name
        assert "Retry-After" not in r.headers, name


def test_requests_past_the_limit_get_429(limited, owner):
    api = owner.api.as_(owner.token)
    api.client = limited().test_client()
    remaining = [rate_headers(api.get(ORGS))["Remaining"] for _ in range(5)]
    assert remaining == [4, 3, 2, 1, 0]
    r = api.get(ORGS)
    assert r.status_code == 429
    assert r.json == {"detail": TOO_FREQUENT.format(5, 30)}
    retry_after = r.headers["Retry-After"]
    assert retry_after.isdigit() and 1 <= int(retry_after) <= 31
    h = rate_headers(r)
    assert (h["Limit"], h["Remaining"], h["ConcurrentLimit"]) == (5, 0, 3)
    assert h["Reset"] >= int(time.time()) + int(retry_after) - 1


def test_refusals_are_not_logged_one_by_one(limited, owner, caplog):
    api = owner.api.as_(owner.token)
    api.client = limited(RATELIMIT_DEFAULT="1 per 30 second").test_client()
    caplog.set_level(logging.DEBUG)
    assert [api.get(ORGS).status_code for _ in range(20)] == [200] + [429] * 19
    assert not [r for r in caplog.records if "exceeded" in r.getMessage()]


def test_database_down_is_503_with_headers(limited, owner):
    api = owner.api.as_(owner.token)
    down = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/test"
    api.client = limited(SQLALCHEMY_DATABASE_URI=down).test_client()
    r = api.get(ORGS)
    assert r.status_code == 503 and r.headers["Retry-After"].isdigit()
    assert rate_headers(r)["Remaining"] == 4  # counted against the IP: no user known


def test_each_endpoint_and_method_has_its_own_budget(limited, owner):
    api = owner.api.as_(owner.token)
    api.client = limited().test_client()
    for _ in range(5):
        api.get(ORGS)
    assert api.get(ORGS).status_code == 429
    assert api.get(f"{ORGS}{owner.org}/").status_code == 200
    assert api.post(ORGS, json={}).status_code == 400


def test_tokens_of_one_user_share_a_budget(limited, owner, make_token, make_actor):
    client = limited().test_client()
    second = owner.api.as_(make_token(owner.user))
    first = owner.api.as_(owner.token)
    other = make_actor("owner")
    first.client = second.client = other.api.client = client
    for api in (first, second, first, second, first):
        assert api.get(ORGS).status_code == 200
    assert second.get(ORGS).status_code == 429
    assert other.api.get(ORGS).status_code == 200


def test_organization_tokens_share_the_organization_budget(limited, owner, make_token):
    client = limited(RATELIMIT_DEFAULT="2 per 30 second").test_client()
    tokens = [make_token(organization=owner.organization, scopes=["org:ci"]) for _ in range(2)]
    apis = [owner.api.as_(t) for t in tokens]
    for api in apis:
        api.client = client
    path = f"{ORGS}{owner.org}/"
    assert [api.get(path).status_code for api in apis + apis] == [200, 200, 429, 429]


def test_anonymous_and_refused_callers_count_against_their_ip(limited, anonymous):
    api = anonymous.as_("sntryu_" + "1" * 64)
    api.client = limited().test_client()
    statuses = [api.get(ORGS).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    assert api.as_(None).get(ORGS).status_code == 429  # same IP, no token
    other_ip = api.as_(None).get(ORGS, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other_ip.status_code == 401


def test_client_ip_from_a_trusted_proxy(limited, anonymous):
    def statuses(app, count):
        api = anonymous.as_(None)
        api.client = app.test_client()
        return [api.get(ORGS, headers={"X-Forwarded-For": f"10.0.0.{n}"}).status_code
                for n in range(count)]

    assert statuses(limited(TRUSTED_PROXIES=1), 7) == [401] * 7
    assert statuses(limited(), 7) == [401] * 5 + [429] * 2  # untrusted: all one IP


def test_limits_declared_on_the_endpoint(limited, owner):
    app = Probe().install(limited())
    api = owner.api.as_(owner.token)
    api.client = app.test_client()
    first = api.get("/api/0/probe/declared/")
    assert (rate_headers(first)["Limit"], rate_headers(first)["ConcurrentLimit"]) == (2, 7)
    assert api.get("/api/0/probe/declared/").status_code == 200
    refused = api.get("/api/0/probe/declared/")
    assert refused.status_code == 429
    assert refused.json["detail"] == TOO_FREQUENT.format(2, 60)
    posts = [api.post("/api/0/probe/declared/", json={}) for _ in range(10)]
    assert {r.status_code for r in posts} == {200}
    assert "X-Sentry-Rate-Limit-Limit" not in posts[0].headers  # None: not limited


def test_bad_declarations_refuse_to_start(limited):
    from sentryapi.ratelimit.policy import check_declarations

    blp = Blueprint("bad-probe", __name__, description="Wrong declarations.")

    @blp.route("/bad-probe/")
    class Bad(Endpoint):
        scope_map = {"GET": ()}
        rate_limits = {"GET": "40/second", "DELETE": RateLimit(1)}

        def get(self):
            return {}

    app = limited()
    app.extensions["sentryapi.api"].register_blueprint(blp, url_prefix="/api/0")
    with pytest.raises(RuntimeError) as error:
        check_declarations(app)
    assert "Bad.rate_limits['GET'] is not a RateLimit" in str(error.value)
    assert "has no DELETE method" in str(error.value)
    with pytest.raises(ValueError):
        RateLimit(limit=0)


@pytest.mark.parametrize("setting, value", [
    ("RATELIMIT_DEFAULT", "lots"), ("RATELIMIT_CONCURRENT", 0), ("RATELIMIT_STRATEGY", "best"),
])
def test_bad_settings_fail_start_up(limited, setting, value):
    with pytest.raises(ConfigError) as error:
        limited(**{setting: value})
    assert f"SENTRYAPI_{setting}" in str(error.value)


def _get_in_threads(url, token, count, path="/api/0/probe/slow/"):
    results = []

    def call():
        results.append(requests.get(url + path, headers={"Authorization": f"Bearer {token}"},
                                    timeout=15))

    threads = [threading.Thread(target=call) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads, results


@pytest.mark.slow
def test_concurrent_requests_past_the_limit_get_429(limited, owner):
    probe = Probe()
    app = probe.install(limited())
    auth = {"Authorization": f"Bearer {owner.token}"}
    with serve(app) as server:
        threads, results = _get_in_threads(server.url, owner.token, 2)
        assert probe.entered.acquire(timeout=10) and probe.entered.acquire(timeout=10)
        refused = requests.get(server.url + "/api/0/probe/slow/", headers=auth, timeout=10)
        probe.gate.set()
        for thread in threads:
            thread.join(15)
        after = requests.get(server.url + "/api/0/probe/slow/", headers=auth, timeout=10)
    assert refused.status_code == 429
    assert refused.json() == {"detail": "You are attempting to go above the allowed concurrency "
                                        "for this endpoint. Concurrency limit is 2"}
    assert refused.headers["Retry-After"] == "1"
    assert rate_headers(refused)["ConcurrentRemaining"] == 0
    assert [r.status_code for r in results] == [200, 200]
    assert sorted(rate_headers(r)["ConcurrentRemaining"] for r in results) == [0, 1]
    assert (after.status_code, rate_headers(after)["ConcurrentRemaining"]) == (200, 1)


@pytest.mark.slow
def test_a_failing_request_gives_its_slot_back(limited, owner):
    probe = Probe()
    probe.gate.set()
    app = probe.install(limited())
    auth = {"Authorization": f"Bearer {owner.token}"}
    with serve(app) as server:
        failed = [requests.get(server.url + "/api/0/probe/slow/?fail=1", headers=auth, timeout=10)
                  for _ in range(4)]
        after = requests.get(server.url + "/api/0/probe/slow/", headers=auth, timeout=10)
    assert [r.status_code for r in failed] == [500] * 4
    assert all(rate_headers(r)["ConcurrentRemaining"] == 1 for r in failed)
    assert (after.status_code, rate_headers(after)["ConcurrentRemaining"]) == (200, 1)


@pytest.mark.slow
def test_apps_sharing_redis_share_one_budget(limited, owner, redis_prefix, redis_client):
    apps = [limited(REDIS_URL=redis_url(), RATELIMIT_KEY_PREFIX=redis_prefix) for _ in range(2)]
    apis = []
    for app in apps:
        api = owner.api.as_(owner.token)
        api.client = app.test_client()
        apis.append(api)
    statuses = [apis[n % 2].get(ORGS).status_code for n in range(12)]
    assert statuses == [200] * 5 + [429] * 7
    assert list(redis_client.scan_iter(match=f"*{redis_prefix}*"))


@pytest.mark.slow
def test_concurrency_is_counted_across_apps_in_redis(limited, owner, redis_prefix):
    probes = [Probe(), Probe()]
    apps = [p.install(limited(REDIS_URL=redis_url(), RATELIMIT_KEY_PREFIX=redis_prefix))
            for p in probes]
    auth = {"Authorization": f"Bearer {owner.token}"}
    with serve(apps[0]) as first, serve(apps[1]) as second:
        threads, results = _get_in_threads(first.url, owner.token, 2)
        assert probes[0].entered.acquire(timeout=10) and probes[0].entered.acquire(timeout=10)
        refused = requests.get(second.url + "/api/0/probe/slow/", headers=auth, timeout=10)
        probes[0].gate.set()
        for thread in threads:
            thread.join(15)
        probes[1].gate.set()
        after = requests.get(second.url + "/api/0/probe/slow/", headers=auth, timeout=10)
    assert refused.status_code == 429 and "Concurrency limit is 2" in refused.json()["detail"]
    assert [r.status_code for r in results] == [200, 200]
    assert after.status_code == 200


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_unreachable_redis_fails_open_and_logs_once(limited, owner, caplog):
    app = limited(REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0",
                  RATELIMIT_DEFAULT="1000 per 30 second")
    api = owner.api.as_(owner.token)
    api.client = app.test_client()
    caplog.set_level(logging.INFO)
    started = time.perf_counter()
    responses = [api.get(ORGS) for _ in range(30)]
    elapsed = time.perf_counter() - started
    assert {r.status_code for r in responses} == {200}
    assert all(rate_headers(r)["Limit"] == 1000 for r in responses)
    assert rate_headers(responses[-1])["Remaining"] == 970  # counted in memory meanwhile
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 2, [r.getMessage() for r in warnings]  # windows, concurrency
    assert any("falling back to in-memory" in r.getMessage() for r in warnings)
    assert any("concurrent-request limits unreachable" in r.getMessage() for r in warnings)
    assert elapsed < 10
