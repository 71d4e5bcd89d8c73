"""The events plugin's webhooks reach a real receiver: an ingested event that makes a new
issue delivers ``issue.created`` and Sentry's ``event.created`` (as ``error.created``)."""

from __future__ import annotations

import time

from sentryapi.webhooks.receiver import Receiver, verify


def test_an_ingested_event_delivers_issue_created_and_event_created(app, sentry_project, digest,
                                                                    monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    receiver = Receiver()
    try:
        hooks = f"/api/0/projects/{sentry_project.org}/{sentry_project.slug}/hooks/"
        hook = sentry_project.api.post(hooks, json={"url": receiver.url,
                                                    "events": ["issue.created", "event.created"]})
        assert hook.status_code == 201, hook.json
        error = {"event_id": "a" * 32, "level": "error", "platform": "python",
                 "exception": {"values": [{"type": "ValueError", "value": "boom"}]}}
        message = {"event_id": "b" * 32, "level": "info", "message": "hello hooks"}
        for event in (error, message):
            assert sentry_project.send_event(event).status_code == 200
        digest()
        got = receiver.wait_for(4)
        time.sleep(0.3)
        assert len(receiver.got) == 4
        assert all(verify(hook.json["secret"], headers, body) for headers, body in got)
        by_resource = {}
        for (headers, _), payload in zip(got, receiver.payloads(), strict=True):
            assert payload["action"] == "created"
            by_resource.setdefault(headers["sentry-hook-resource"], []).append(payload["data"])
        assert sorted(by_resource) == ["error", "event", "issue"]
        assert len(by_resource["issue"]) == 2
        titles = sorted(data["issue"]["title"] for data in by_resource["issue"])
        assert any("ValueError" in title for title in titles), titles
        assert by_resource["error"][0]["error"]["eventID"] == "a" * 32
        assert by_resource["event"][0]["event"]["eventID"] == "b" * 32
    finally:
        receiver.stop()
        from sentryapi.webhooks.queue import stop

        stop(app)


def test_no_payload_is_built_or_recorded_when_no_hook_subscribes(app, sentry_project, digest, rows,
                                                                 monkeypatch):
    from sentryapi_events.issues import event_json, serializers
    from sentryapi_events.models import Event, PendingWebhook

    rendered = []
    for module, name in ((serializers, "serialize_issues"), (event_json, "serialize_event")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, _name=name, **k: rendered.append(_name) or _real(*a, **k))
    for value in ("one", "two"):
        assert sentry_project.send_event({"level": "error", "exception": {"values": [
            {"type": "ValueError", "value": value}]}}).status_code == 200
    digest()
    assert rows(Event) == 2
    assert rendered == [] and rows(PendingWebhook) == 0


def subscribe(app, sentry_project, monkeypatch, events) -> tuple[Receiver, dict]:
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    receiver = Receiver()
    hooks = f"/api/0/projects/{sentry_project.org}/{sentry_project.slug}/hooks/"
    hook = sentry_project.api.post(hooks, json={"url": receiver.url, "events": events})
    assert hook.status_code == 201, hook.json
    return receiver, hook.json


def test_payloads_are_built_after_the_digest_commits(app, sentry_project, digest, monkeypatch):
    from sentryapi_events.issues import serializers
    from sentryapi_events.models import Event, IngestEvent
    from sqlalchemy import func, select

    from sentryapi.api import db

    receiver, _ = subscribe(app, sentry_project, monkeypatch, ["issue.created"])
    seen_by_others = []
    real = serializers.serialize_issues

    def render(*args, **kwargs):
        # What another connection sees while the issue is rendered: the batch, committed.
        with db.engine.connect() as other:
            seen_by_others.append((other.scalar(select(func.count()).select_from(Event)),
                                   other.scalar(select(func.count()).select_from(IngestEvent))))
        return real(*args, **kwargs)

    monkeypatch.setattr(serializers, "serialize_issues", render)
    try:
        assert sentry_project.send_event({"level": "error", "message": "rendered late"}).status_code == 200
        digest()
        receiver.wait_for(1)
        assert seen_by_others == [(1, 0)]  # one event stored, nothing queued: after the commit
        assert receiver.payloads()[0]["data"]["issue"]["title"] == "rendered late"
    finally:
        receiver.stop()
        from sentryapi.webhooks.queue import stop

        stop(app)


def test_a_webhook_owed_when_the_digest_stopped_is_sent_by_the_next_run(app, sentry_project, digest,
                                                                       rows, monkeypatch):
    from sentryapi_events.digest import notify
    from sentryapi_events.models import PendingWebhook

    receiver, hook = subscribe(app, sentry_project, monkeypatch, ["event.created"])
    try:
        # The process stops between the batch's commit and sending its webhooks.
        real = notify.send_pending
        monkeypatch.setattr(notify, "send_pending", lambda *a, **k: 0)
        assert sentry_project.send_event({"event_id": "c" * 32, "message": "owed"}).status_code == 200
        digest()
        assert rows(PendingWebhook) == 1 and receiver.got == []
        monkeypatch.setattr(notify, "send_pending", real)
        digest()  # the next run sends what is owed
        got = receiver.wait_for(1)
        assert verify(hook["secret"], *got[0])
        assert receiver.payloads()[0]["data"]["event"]["eventID"] == "c" * 32
        assert rows(PendingWebhook) == 0
    finally:
        receiver.stop()
        from sentryapi.webhooks.queue import stop

        stop(app)
