"""Deliveries on the embedded default (a thread of the server process) to a real receiver."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import select

from sentryapi.testing import wait_until
from sentryapi.webhooks import UndeclaredWebhookEvent
from sentryapi.webhooks.receiver import verify

from .conftest import emit_in, make_project


def org_hook(actor, url, events=("widget",)):
    response = actor.api.post(f"/api/0/organizations/{actor.org}/hooks/",
                              json={"url": url, "events": list(events)})
    assert response.status_code == 201, response.json
    return response.json


def deliveries(actor, hook):
    response = actor.api.get(f"/api/0/organizations/{actor.org}/hooks/{hook['id']}/deliveries/")
    assert response.status_code == 200
    return response.json


def test_a_signed_delivery_reaches_the_receiver(hooks_app, owner, receiver):
    hook = org_hook(owner, receiver.url)
    assert emit_in(hooks_app, owner.organization.id, data={"widget": {"id": "7", "name": "ü"}},
                   actor=owner.user) == 1
    [(headers, body)] = receiver.wait_for(1)
    assert verify(hook["secret"], headers, body)
    assert not verify("another secret", headers, body)
    assert headers["content-type"] == "application/json"
    assert headers["sentry-hook-resource"] == "widget"
    assert abs(int(headers["sentry-hook-timestamp"]) - time.time()) < 60
    payload = json.loads(body)
    assert list(payload) == ["action", "installation", "data", "actor"]
    assert payload["action"] == "created"
    assert payload["installation"] == {"uuid": hook["id"]}
    assert payload["data"] == {"widget": {"id": "7", "name": "ü"}}
    assert payload["actor"]["type"] == "user" and payload["actor"]["id"] == owner.user.id
    [delivery] = wait_until(lambda: [d for d in deliveries(owner, hook) if d["status"] == "delivered"])
    assert delivery["id"] == headers["request-id"] and delivery["event"] == "widget.created"
    [attempt] = delivery["attempts"]
    assert attempt["success"] and attempt["statusCode"] == 200 and attempt["responseBody"] == "ok"


def test_only_subscribers_of_the_event_and_project_get_it(hooks_app, owner, make_actor, receiver):
    from sentryapi.webhooks.receiver import Receiver

    project = make_project(owner)
    project_id = owner.api.get(f"/api/0/projects/{owner.org}/{project}/").json["id"]
    other_receiver = Receiver()
    try:
        org_hook(owner, receiver.url, events=["widget.created"])
        project_hook = owner.api.post(f"/api/0/projects/{owner.org}/{project}/hooks/",
                                      json={"url": other_receiver.url, "events": ["widget.deleted"]})
        assert project_hook.status_code == 201
        stranger = make_actor("owner")
        org_hook(stranger, other_receiver.url, events=["widget"])
        assert emit_in(hooks_app, owner.organization.id, "widget", "deleted", project=int(project_id)) == 1
        assert emit_in(hooks_app, owner.organization.id, "widget", "deleted", project=int(project_id) + 1000) == 0
        assert emit_in(hooks_app, owner.organization.id, "widget", "created") == 1
        receiver.wait_for(1)
        other_receiver.wait_for(1)
        time.sleep(0.3)
        assert [p["action"] for p in receiver.payloads()] == ["created"]
        assert [p["action"] for p in other_receiver.payloads()] == ["deleted"]
    finally:
        other_receiver.stop()


def test_nothing_is_written_without_a_subscriber_and_a_rollback_sends_nothing(hooks_app, owner, receiver):
    from sentryapi.extensions import db
    from sentryapi.webhooks import emit
    from sentryapi.webhooks.models import WebhookOutbox

    assert emit_in(hooks_app, owner.organization.id) == 0
    org_hook(owner, receiver.url)
    with hooks_app.app_context():
        assert emit(owner.organization.id, "widget", "created", lambda: {"lazy": True}) == 1
        db.session.rollback()
        assert db.session.scalar(select(WebhookOutbox.id)) is None
    time.sleep(1.2)
    assert receiver.got == []


def test_an_undeclared_event_is_an_error(hooks_app, owner):
    with pytest.raises(UndeclaredWebhookEvent):
        emit_in(hooks_app, owner.organization.id, "widget", "exploded")


def test_receiver_down_then_up_is_retried_until_delivered(hooks_app, owner, receiver):
    hook = org_hook(owner, receiver.url)
    port = receiver.port
    receiver.stop()
    emit_in(hooks_app, owner.organization.id)
    failed = wait_until(lambda: [d for d in deliveries(owner, hook) if len(d["attempts"]) >= 2])
    assert all(not a["success"] and a["error"] for a in failed[0]["attempts"])
    assert failed[0]["status"] == "pending" and failed[0]["nextAttempt"]
    receiver.port = port
    receiver.start()
    [(headers, body)] = receiver.wait_for(1)
    assert verify(hook["secret"], headers, body)
    [delivery] = wait_until(lambda: [d for d in deliveries(owner, hook) if d["status"] == "delivered"])
    attempts = delivery["attempts"]
    assert attempts[0]["success"] and len(attempts) >= 3 and not any(a["success"] for a in attempts[1:])
    assert owner.api.get(f"/api/0/organizations/{owner.org}/hooks/{hook['id']}/").json["status"] == "active"


def test_a_4xx_is_not_retried_and_a_redelivery_keeps_the_request_id(hooks_app, owner, receiver):
    receiver.status = lambda n: 400 if n == 1 else 200
    hook = org_hook(owner, receiver.url)
    emit_in(hooks_app, owner.organization.id)
    [failed] = wait_until(lambda: [d for d in deliveries(owner, hook) if d["status"] == "failed"])
    assert [a["statusCode"] for a in failed["attempts"]] == [400]
    redeliver = f"/api/0/organizations/{owner.org}/hooks/{hook['id']}/deliveries/{failed['id']}/redeliver/"
    answer = owner.api.post(redeliver)
    assert answer.status_code == 202 and answer.json["status"] == "pending"
    [(headers, _)] = receiver.wait_for(1)
    assert headers["request-id"] == failed["id"]
    [done] = wait_until(lambda: [d for d in deliveries(owner, hook) if d["status"] == "delivered"])
    assert [a["statusCode"] for a in done["attempts"]] == [200, 400]
    assert owner.api.post(redeliver.replace(failed["id"], "f" * 32)).status_code == 404


def test_a_hook_failing_for_long_is_disabled_with_a_reason_and_can_be_re_enabled(
        hooks_app, owner, receiver, monkeypatch):
    monkeypatch.setitem(hooks_app.config, "WEBHOOK_DISABLE_AFTER", 0)
    monkeypatch.setitem(hooks_app.config, "WEBHOOK_DISABLE_MIN_FAILURES", 3)
    receiver.status = 503
    hook = org_hook(owner, receiver.url)
    detail = f"/api/0/organizations/{owner.org}/hooks/{hook['id']}/"
    emit_in(hooks_app, owner.organization.id)
    disabled = wait_until(lambda: (h := owner.api.get(detail).json)["status"] == "disabled" and h)
    assert "every delivery failed" in disabled["disabledReason"] and "503" in disabled["disabledReason"]
    # Disabled: new events are not sent, a ping still is.
    receiver.status = 200
    assert emit_in(hooks_app, owner.organization.id) == 0
    ping = owner.api.post(detail + "ping/")
    assert ping.status_code == 202 and ping.json["event"] == "ping.test"
    [(headers, body)] = receiver.wait_for(1)
    assert headers["sentry-hook-resource"] == "ping" and verify(hook["secret"], headers, body)
    assert owner.api.get(detail).json["status"] == "disabled"
    enabled = owner.api.put(detail, json={"status": "active"})
    assert enabled.json["status"] == "active" and enabled.json["disabledReason"] is None
    emit_in(hooks_app, owner.organization.id)
    assert len(receiver.wait_for(2)) == 2


def test_a_redirect_is_not_followed(hooks_app, owner, receiver):
    receiver.status = 302
    hook = org_hook(owner, receiver.url)
    emit_in(hooks_app, owner.organization.id)
    [failed] = wait_until(lambda: [d for d in deliveries(owner, hook) if d["status"] == "failed"])
    assert [a["statusCode"] for a in failed["attempts"]] == [302]
    assert receiver.seen == 1


def test_410_gone_disables_at_once(hooks_app, owner, receiver):
    receiver.status = 410
    hook = org_hook(owner, receiver.url)
    detail = f"/api/0/organizations/{owner.org}/hooks/{hook['id']}/"
    emit_in(hooks_app, owner.organization.id)
    disabled = wait_until(lambda: (h := owner.api.get(detail).json)["status"] == "disabled" and h)
    assert "410" in disabled["disabledReason"]
    assert [len(d["attempts"]) for d in deliveries(owner, hook)] == [1]


def test_a_private_address_is_refused_at_delivery_time(hooks_app, owner, receiver, monkeypatch):
    hook = org_hook(owner, receiver.url)
    monkeypatch.setitem(hooks_app.config, "WEBHOOK_ALLOW_PRIVATE", False)
    emit_in(hooks_app, owner.organization.id)
    [failed] = wait_until(lambda: [d for d in deliveries(owner, hook) if d["status"] == "failed"])
    assert "private" in failed["attempts"][0]["error"]
    assert receiver.seen == 0


def test_loopback_only_servers_send_nothing_off_the_machine(hooks_app, owner, receiver):
    """The test kit's apps (and check-plugin's) deliver to loopback only: a hook at a public
    address fails its attempt before any connection, one at 127.0.0.1 is delivered."""
    from sentryapi.webhooks.ssrf import Target, UnsafeURL, require_loopback

    assert hooks_app.config["WEBHOOK_LOOPBACK_ONLY"] is True
    public = org_hook(owner, "https://93.184.216.34/hook")
    local = org_hook(owner, receiver.url)
    emit_in(hooks_app, owner.organization.id)
    receiver.wait_for(1)
    [failed] = wait_until(lambda: [d for d in deliveries(owner, public) if d["status"] == "failed"])
    assert "loopback addresses only" in failed["attempts"][0]["error"]
    assert failed["attempts"][0]["statusCode"] is None  # no connection was made
    # The receiver answers before the delivery's row is marked: wait for the mark.
    assert wait_until(lambda: [d["status"] for d in deliveries(owner, local)] == ["delivered"])
    with pytest.raises(UnsafeURL):
        require_loopback(Target("http", "10.0.0.1", 80, "/", None))
    assert require_loopback(Target("http", "localhost", 80, "/", None)).address in ("127.0.0.1", "::1")


def test_deliveries_page_with_cursors(hooks_app, owner, receiver):
    hook = org_hook(owner, receiver.url)
    for _ in range(3):
        emit_in(hooks_app, owner.organization.id)
    receiver.wait_for(3)
    url = f"/api/0/organizations/{owner.org}/hooks/{hook['id']}/deliveries/?per_page=2"
    first = owner.api.get(url)
    assert len(first.json) == 2 and 'rel="next"; results="true"' in first.headers["Link"]


def test_the_delivery_thread_stops_with_its_app(app, make_app, tmp_path):
    import gc

    from sentryapi.testing import build_app
    from sentryapi.webhooks.queue import runner, stop

    other = make_app(WEBHOOK_ALLOW_PRIVATE=True)
    thread = runner(other).thread
    assert thread.is_alive()
    stop(other)
    assert not thread.is_alive()

    dropped = build_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    thread = runner(dropped).thread
    with dropped.app_context():
        from sentryapi.extensions import db

        db.engine.dispose()
    del dropped
    gc.collect()
    thread.join(5)
    assert not thread.is_alive()


def test_an_attempt_whose_row_was_replaced_meanwhile_leaves_the_new_row_alone(
        hooks_app, owner, receiver, monkeypatch):
    """An attempt under way when its row is deleted (with its hook) must not record its
    outcome on a new row that took the same id (SQLite reuses a freed highest id)."""
    import dataclasses

    from sentryapi.extensions import db
    from sentryapi.webhooks import delivery, queue
    from sentryapi.webhooks.models import PENDING, WebhookAttempt, WebhookOutbox

    monkeypatch.setattr(queue, "dispatch", lambda app, ids: None)  # no queue sends it
    org_hook(owner, receiver.url)
    emit_in(hooks_app, owner.organization.id)
    with hooks_app.app_context():
        [row] = db.session.scalars(select(WebhookOutbox)).all()
        claimed = delivery.claim(row.id)
        assert claimed is not None
        earlier = dataclasses.replace(claimed, guid="0" * 32)  # the row it had claimed
        ok = delivery.sender.Result(True, 200, 3, "ok", None)
        assert delivery.record(earlier, ok, None) is None
        db.session.expire_all()
        row = db.session.get(WebhookOutbox, row.id)
        assert row.status == PENDING and row.date_delivered is None
        assert db.session.scalars(select(WebhookAttempt)).all() == []
        assert delivery.record(claimed, ok, None) is None  # its own attempt is recorded
        db.session.expire_all()
        assert db.session.get(WebhookOutbox, row.id).status == "delivered"
