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
