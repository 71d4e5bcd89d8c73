"""The SDK endpoints over HTTP: what is accepted, what is refused, and that refusals store nothing."""

from __future__ import annotations

import base64
import json
import uuid
import zlib
from pathlib import Path

import pytest
from sentryapi_events.models import Event, Group, IngestEvent
from sentryapi_events.testing import envelope, exception_event, gzipped


def test_envelope_is_accepted_grouped_and_visible(sentry_project, digest):
    event = exception_event()
    response = sentry_project.send_event(event)
    assert response.status_code == 200, response.json
    assert response.json == {"id": event["event_id"]}
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    digest()
    issues = sentry_project.api.get(f"/api/0/projects/{sentry_project.org}/{sentry_project.slug}/issues/")
    assert issues.status_code == 200
    assert [i["title"] for i in issues.json] == ["KeyError: 'missing'"]
    assert issues.json[0]["count"] == "1"
    assert issues.json[0]["culprit"] == "app.jobs in boom"


def test_resent_event_is_stored_once(sentry_project, digest, rows):
    event = exception_event()
    for _ in range(2):
        assert sentry_project.send_event(event).status_code == 200
    digest()
    assert sentry_project.send_event(event).status_code == 200  # again, after the digest
    digest()
    assert rows(Event) == 1
    assert rows(IngestEvent) == 0


def test_a_stale_claim_never_deletes_a_newer_event(sentry_project, app):
    """A digest claims a row; another stores it first; a new event takes the freed row id
    (SQLite reuses the highest rowid). The slow digest's release must find its row gone,
    not delete the newcomer (which was then lost for good, after its 200)."""
    import datetime as dt
    from types import SimpleNamespace

    from sentryapi_events.digest.batch import release
    from sqlalchemy import insert

    from sentryapi.api import db

    reused_id = 10**6
    now = dt.datetime.now(dt.UTC)
    resent = uuid.uuid4().hex
    claimed_earlier = (
        SimpleNamespace(id=reused_id, event_id=uuid.uuid4().hex, received=now),
        # the same event sent again (an SDK's retry) and queued under the freed id
        SimpleNamespace(id=reused_id, event_id=resent, received=now - dt.timedelta(seconds=1)),
    )
    with app.app_context():
        db.session.execute(insert(IngestEvent).values(
            id=reused_id, project_id=sentry_project.id, organization_id=1, key_id=0,
            event_id=resent, received=now, payload=b"{}"))
        for stale in claimed_earlier:
            assert release([stale]) is False
            assert db.session.get(IngestEvent, reused_id) is not None
        assert release([SimpleNamespace(id=reused_id, event_id=resent, received=now)]) is True
        db.session.rollback()


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "zstd"])
def test_compressed_envelopes(sentry_project, digest, rows, encoding):
    import brotli
    import zstandard

    body = envelope(exception_event())
    encoded = {"gzip": gzipped, "deflate": zlib.compress, "br": brotli.compress,
               "zstd": zstandard.ZstdCompressor().compress}[encoding](body)
    response = sentry_project.send(encoded, {"Content-Encoding": encoding})
    assert response.status_code == 200, response.json
    digest()
    assert rows(Event) == 1


def test_store_endpoint_takes_a_json_event(sentry_project, digest, rows):
    event = {"event_id": uuid.uuid4().hex, "message": "legacy hello", "level": "info"}
    response = sentry_project.client.post(sentry_project.store_url, data=json.dumps(event),
                                          headers=sentry_project.auth_header())
    assert response.status_code == 200, response.json
    assert response.json == {"id": event["event_id"]}
    legacy = base64.b64encode(zlib.compress(json.dumps({"message": "older"}).encode()))
    response = sentry_project.client.post(sentry_project.store_url, data=legacy,
                                          headers=sentry_project.auth_header())
    assert response.status_code == 200, response.json
    digest()
    assert rows(Event) == 2


def test_key_in_query_and_in_envelope_dsn(sentry_project, digest, rows):
    url = f"{sentry_project.envelope_url}?sentry_key={sentry_project.public_key}&sentry_version=7"
    assert sentry_project.send(envelope(exception_event()), {"X-Sentry-Auth": None},
                               url=url).status_code == 200
    body = envelope(exception_event(), headers={"dsn": sentry_project.dsn})
    assert sentry_project.send(body, {"X-Sentry-Auth": None}).status_code == 200
    basic = base64.b64encode(f"{sentry_project.public_key}:".encode()).decode()
    assert sentry_project.send(envelope(exception_event()), {
        "X-Sentry-Auth": None, "Authorization": f"Basic {basic}"}).status_code == 200
    digest()
    assert rows(Event) == 3


def test_items_we_do_not_store_are_accepted_and_counted(sentry_project, digest, rows, outcomes):
    session = {"sid": uuid.uuid4().hex, "init": True, "status": "ok", "errors": 0,
               "started": "2026-01-01T00:00:00Z", "attrs": {"release": "1.0"}}
    report = {"timestamp": 1767225600.0, "discarded_events": [
        {"reason": "queue_overflow", "category": "error", "quantity": 3}]}
    body = envelope(None, items=[
        ("session", session), ("client_report", report), ("attachment", b"\x00binary\n"),
        ("check_in", {"check_in_id": uuid.uuid4().hex, "monitor_slug": "m", "status": "ok"}),
        ("transaction", {"type": "transaction", "spans": []}),
        ("something_new", b"whatever"),
    ])
    response = sentry_project.send(body)
    assert response.status_code == 200, response.json
    digest()
    assert rows(Event) == 0
    counted = outcomes()
    assert counted[("session", "accepted", "")] == 1
    assert counted[("attachment", "accepted", "")] == len(b"\x00binary\n")
    assert counted[("error", "client_discard", "queue_overflow")] == 3
    assert counted[("monitor", "accepted", "")] == 1
    assert counted[("transaction", "accepted", "")] == 1


def test_accepted_events_are_counted_as_outcomes(sentry_project, digest, outcomes):
    for _ in range(3):
        sentry_project.send_event(exception_event())
    digest()
    assert outcomes() == {("error", "accepted", ""): 3}


BAD = {
    "malformed header": (b"not json\n", 400),
    "empty body": (b"", 400),
    "header not an object": (b"[1,2]\n", 400),
    "short item": (b'{}\n{"type":"event","length":100}\n{"a":1}\n', 400),
    "garbage after item": (b'{}\n{"type":"event","length":2}\n{}xx\n', 400),
    "item without type": (b'{}\n{"length":2}\n{}\n', 400),
    "bad event json": (b'{}\n{"type":"event","length":5}\n{"a":\n', 400),
    "event not an object": (b'{}\n{"type":"event","length":3}\n[1]\n', 400),
    "two events": (b'{}\n{"type":"event"}\n{}\n{"type":"event"}\n{}\n', 400),
    "bad event id": (b'{"event_id":"nope"}\n{"type":"event"}\n{}\n', 400),
    "two sent_at": (b'{"sent_at":"a","sent_at":"b"}\n', 400),
    "deep json": (b'{}\n{"type":"event"}\n' + b"[" * 100_000 + b"\n", 400),
}


@pytest.mark.parametrize("name", list(BAD))
def test_malformed_envelopes_are_refused_and_store_nothing(sentry_project, digest, rows, name):
    body, status = BAD[name]
    response = sentry_project.send(body)
    assert response.status_code == status, response.json
    assert set(response.json) <= {"detail", "causes"} and response.json["detail"]
    assert response.headers["X-Sentry-Error"] == response.json["detail"]
    digest()
    assert rows(Event) == 0 and rows(Group) == 0


def test_bad_auth_is_refused(sentry_project, digest, rows, make_actor):
    body = envelope(exception_event())
    cases = [
        ({"X-Sentry-Auth": None}, 401),  # no key at all
        ({"X-Sentry-Auth": "Bearer nope"}, 401),  # not Sentry's header format
        (sentry_project.auth_header("0" * 32), 403),  # unknown key
        (sentry_project.auth_header("zz"), 400),  # not a key
        ({"X-Sentry-Auth": "Sentry sentry_key=" + sentry_project.public_key + ", sentry_version=99"},
         400),
        ({"Authorization": "Sentry sentry_key=" + sentry_project.public_key}, 401),  # two forms
    ]
    for headers, status in cases:
        response = sentry_project.send(body, headers)
        assert response.status_code == status, (headers, response.json)
    # The right key, the wrong project.
    other = f"/api/{sentry_project.id + 1000}/envelope/"
    assert sentry_project.send(body, url=other).status_code == 403
    # An envelope dsn naming another key than the header.
    mismatched = envelope(exception_event(), headers={
        "dsn": f"http://{'a' * 32}@testserver.example/{sentry_project.id}"})
    assert sentry_project.send(mismatched).status_code == 401
    digest()
    assert rows(Event) == 0


def test_disabled_key_is_refused_at_once(sentry_project, digest, rows):
    url = f"/api/0/projects/{sentry_project.org}/{sentry_project.slug}/keys/{sentry_project.public_key}/"
    assert sentry_project.send_event(exception_event()).status_code == 200  # now cached
    assert sentry_project.api.put(url, json={"isActive": False}).status_code == 200
    response = sentry_project.send_event(exception_event())
    assert response.status_code == 403
    assert response.json["detail"].startswith("event submission rejected")
    digest()
    assert rows(Event) == 1


def test_oversized_bodies_are_413(sentry_project, app, digest, rows):
    limit = app.config["EVENTS_MAX_EVENT_SIZE"]
    huge = exception_event(extra={"blob": "x" * (limit + 10)})
    response = sentry_project.send_event(huge)
    assert response.status_code == 413
    assert "size limits for type 'event'" in response.json["detail"]
    app.config["EVENTS_MAX_BODY_SIZE"], saved = 1000, app.config["EVENTS_MAX_BODY_SIZE"]
    try:
        response = sentry_project.send(b"{}\n" + b" " * 2000)
        assert response.status_code == 413
    finally:
        app.config["EVENTS_MAX_BODY_SIZE"] = saved
    digest()
    assert rows(Event) == 0


def test_gzip_bomb_is_413_fast_with_bounded_memory(sentry_project, app):
    import time
    import tracemalloc

    # 1 GiB of zeros, gzipped twice: under 2 KB on the wire.
    bomb = (Path(__file__).parent / "data" / "zeros-1gib.gz.gz").read_bytes()
    assert len(bomb) < 10_000
    tracemalloc.start()
    started = time.monotonic()
    response = sentry_project.send(bomb, {"Content-Encoding": "gzip, gzip"})
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert response.status_code == 413
    assert elapsed < 1.0
    assert peak < app.config["EVENTS_MAX_ENVELOPE_SIZE"] + 10 * 1024 * 1024


def test_cors_preflight(sentry_project):
    response = sentry_project.client.options(sentry_project.envelope_url, headers={
        "Origin": "https://app.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, x-sentry-auth"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://app.example"
    assert "x-sentry-auth" in response.headers["Access-Control-Allow-Headers"]
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


def test_non_numeric_project_is_400(sentry_project):
    response = sentry_project.send(envelope(exception_event()), url="/api/abc/envelope/")
    assert response.status_code == 400


def test_database_down_is_503_never_200(tmp_path):
    from sentryapi.testing import build_app

    app = build_app("postgresql+psycopg://postgres@127.0.0.1:1/down?connect_timeout=1", tmp_path)
    response = app.test_client().post(
        "/api/1/envelope/", data=envelope(exception_event()),
        headers={"X-Sentry-Auth": f"Sentry sentry_key={'a' * 32}, sentry_version=7"})
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "Traceback" not in response.get_data(as_text=True)


def test_key_rate_limit_answers_429_and_stores_nothing_more(sentry_project, digest, rows, outcomes):
    p = sentry_project
    url = f"/api/0/projects/{p.org}/{p.slug}/keys/{p.public_key}/"
    # An unusual window: quota counters outlive the tables other tests empty.
    response = p.api.put(url, json={"rateLimit": {"window": 3593, "count": 2}})
    assert response.status_code == 200, response.json
    assert [p.send_event(exception_event()).status_code for _ in range(2)] == [200, 200]
    refused = p.send_event(exception_event())
    assert refused.status_code == 429
    limits = refused.headers["X-Sentry-Rate-Limits"]
    assert limits.split(":")[0].isdigit() and "error" in limits and "key" in limits
    assert int(refused.headers["Retry-After"]) > 0
    # What the key's quota does not cover still goes through.
    assert p.send(envelope(None, items=[("check_in", {"check_in_id": "a" * 32, "monitor_slug": "m",
                                                     "status": "ok"})])).status_code == 200
    digest()
    assert rows(Event) == 2
    limited = {key: quantity for key, quantity in outcomes().items() if key[1] == "rate_limited"}
    assert limited == {("error", "rate_limited", "key_quota"): 1}


def test_a_batch_of_concurrent_requests_is_queued_in_one_write(sentry_project, app):
    """The group commit's leader writes every waiting request's row at once (one multi-row
    INSERT on PostgreSQL); a resent event in the batch is stored once."""
    import datetime as dt

    from sentryapi_events.ingest.queue import QueueWriter
    from sqlalchemy import select

    from sentryapi.api import db

    now = dt.datetime.now(dt.UTC)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        now = now.strftime("%Y-%m-%d %H:%M:%S.%f")  # as enqueue writes it there
    ids = [uuid.uuid4().hex for _ in range(3)]
    rows = [(sentry_project.id, 1, 0, event_id, now, "127.0.0.1", b'{"n": %d}' % n)
            for n, event_id in enumerate([*ids, ids[0]])]
    with app.app_context():
        writer = QueueWriter(db.engine, app.config["SQLALCHEMY_DATABASE_URI"])
        writer.write(rows)
        writer.write(rows[:1])  # one row alone: the single-row statement
        queued = db.session.execute(select(IngestEvent.event_id, IngestEvent.payload)
                                    .order_by(IngestEvent.id)).all()
        db.session.rollback()
        writer.connection.close()
    assert [(e, p) for e, p in queued] == [(ids[0], b'{"n": 0}'), (ids[1], b'{"n": 1}'),
                                           (ids[2], b'{"n": 2}')]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_queued_batch_is_committed_when_its_write_returns(sentry_project, app):
    """On PostgreSQL the batch is committed when ``write`` returns: another connection
    sees the rows as soon as ``write`` returns, and nothing is left open."""
    import datetime as dt

    from sentryapi_events.ingest.queue import QueueWriter
    from sqlalchemy import func, select

    from sentryapi.api import db

    with app.app_context():
        writer = QueueWriter(db.engine, app.config["SQLALCHEMY_DATABASE_URI"])
        writer.write([(sentry_project.id, 1, 0, uuid.uuid4().hex, dt.datetime.now(dt.UTC), None, b"{}")])
        assert writer.connection.driver_connection.info.transaction_status == 0  # idle
        with db.engine.connect() as other:
            assert other.scalar(select(func.count()).select_from(IngestEvent)) == 1
        writer.connection.close()
