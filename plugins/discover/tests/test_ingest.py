"""Transactions as SDKs send them: stored (envelope and legacy store), with tags on the index,
refused by quotas like errors, expired by retention, announced by ``transaction.created``."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from sentryapi_discover import Tag, Transaction
from sentryapi_discover.testing import transaction_event
from sentryapi_events.testing import envelope
from sqlalchemy import func, select

from sentryapi.api import db
from sentryapi.webhooks.receiver import Receiver


@pytest.fixture
def project(app, owner):
    team = owner.api.post(f"/api/0/organizations/{owner.org}/teams/", json={"name": "Core"}).json["slug"]
    made = owner.api.post(f"/api/0/teams/{owner.org}/{team}/projects/", json={"name": "Backend"}).json
    key = owner.api.get(f"/api/0/projects/{owner.org}/{made['slug']}/keys/").json[0]["public"]

    def send(event, path="envelope"):
        body = json.dumps(event).encode() if path == "store" else envelope(
            None, event_id=event["event_id"], items=[("transaction", event)])
        return owner.api.client.post(f"/api/{made['id']}/{path}/", data=body, headers={
            "X-Sentry-Auth": f"Sentry sentry_key={key}, sentry_version=7",
            "Content-Type": "application/x-sentry-envelope"})

    return owner, made, key, send


def counts(app) -> tuple[int, int]:
    with app.app_context():
        found = (db.session.scalar(select(func.count()).select_from(Transaction)),
                 db.session.scalar(select(func.count()).select_from(Tag)))
        db.session.remove()
        return found


def test_transactions_are_stored_with_their_tags_and_resends_ignored(app, project):
    _, made, _, send = project
    event = transaction_event("/api/users", 250, environment="prod", release="1.2",
                              tags={"region": "eu"}, user={"id": "7"})
    assert send(event).status_code == 200 and send(event).status_code == 200
    assert send(transaction_event("/legacy"), path="store").status_code == 200
    with app.app_context():
        stored = {t.transaction: t for t in db.session.scalars(select(Transaction))}
        assert sorted(stored) == ["/api/users", "/legacy"]
        row = stored["/api/users"]
        assert (row.project_id, row.event_id, row.op, row.status, row.environment, row.release, row.span_count,
                row.user_id) == (made["id"] if isinstance(made["id"], int) else int(made["id"]),
                                 event["event_id"], "http.server", "ok", "prod", "1.2", 1, "7")
        assert row.duration == pytest.approx(250, abs=0.01)
        tags = dict(db.session.execute(select(Tag.key, Tag.value).where(Tag.event_id == event["event_id"])).all())
        assert tags == {"region": "eu", "environment": "prod", "release": "1.2", "transaction": "/api/users",
                        "transaction.op": "http.server", "transaction.status": "ok", "user": "id:7"}
        db.session.remove()


def test_a_quota_refuses_transactions_like_errors(app, project, monkeypatch):
    # A key's rateLimit counts errors only (as in Sentry); the organization's quota counts all.
    monkeypatch.setitem(app.config, "INGEST_ORGANIZATION_QUOTA", "1/hour")
    # The shared app's counters outlive the database between tests, and organization ids repeat:
    # an earlier test's events for this id in this hour would count against "1/hour".
    app.extensions["sentryapi.quotas"].shared.reset()
    _, _, _, send = project
    assert send(transaction_event("/one")).status_code == 200
    refused = send(transaction_event("/two"))
    assert refused.status_code == 429 and "org_quota" in refused.headers["X-Sentry-Rate-Limits"]
    assert counts(app)[0] == 1


def test_retention_deletes_expired_transactions_and_tags(app, project):
    from sentryapi.retention import cleanup

    _, _, _, send = project
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=120)
    assert send(transaction_event("/old", end=old)).status_code == 200
    assert send(transaction_event("/new")).status_code == 200
    before = counts(app)
    with app.app_context():
        totals = cleanup(days=90)
        db.session.remove()
    assert totals["transactions"] == 1 and totals["discover tags"] == before[1] // 2
    assert counts(app) == (1, before[1] // 2)


def test_a_stored_transaction_delivers_transaction_created(app, project, monkeypatch):
    owner, made, _, send = project
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    receiver = Receiver()
    try:
        hook = owner.api.post(f"/api/0/projects/{owner.org}/{made['slug']}/hooks/",
                              json={"url": receiver.url, "events": ["transaction.created"]})
        assert hook.status_code == 201, hook.json
        event = transaction_event("/checkout", 80)
        assert send(event).status_code == 200
        receiver.wait_for(1)
        time.sleep(0.2)
        [payload] = receiver.payloads()
        assert payload["action"] == "created"
        data = payload["data"]["transaction"]
        assert (data["event_id"], data["transaction"], data["type"]) == (event["event_id"], "/checkout", "transaction")
    finally:
        receiver.stop()
        from sentryapi.webhooks.queue import stop

        stop(app)
