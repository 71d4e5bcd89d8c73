"""Failures past ``failure_issue_threshold`` open one issue per monitor and environment
(through the events plugin: in the issue list, with ``issue.created``), successes past
``recovery_threshold`` resolve it; the plugin's ``monitor.failed``/``monitor.recovered``
webhooks reach a real receiver."""

from __future__ import annotations

import time

import pytest

from sentryapi.webhooks.receiver import Receiver

CONFIG = {"schedule": {"type": "crontab", "value": "0 * * * *"}, "failure_issue_threshold": 2,
          "recovery_threshold": 2}


@pytest.fixture
def receiver(app, cron_project, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    got = Receiver()
    hooks = f"/api/0/projects/{cron_project.org}/{cron_project.slug}/hooks/"
    made = cron_project.api.post(hooks, json={"url": got.url, "events": [
        "issue.created", "issue.resolved", "monitor.failed", "monitor.recovered"]})
    assert made.status_code == 201, made.json
    yield got
    got.stop()
    from sentryapi.webhooks.queue import stop

    stop(app)


def send(cron_project, status: str, environment: str = "production"):
    answer = cron_project.envelope({"monitor_slug": "billing", "status": status,
                                    "environment": environment, "monitor_config": CONFIG})
    assert answer.status_code == 200, answer.data


def issues(cron_project, query="is:unresolved"):
    listed = cron_project.api.get(
        f"/api/0/projects/{cron_project.org}/{cron_project.slug}/issues/?query={query}")
    assert listed.status_code == 200, listed.json
    return listed.json


def test_thresholds_open_and_resolve_one_issue_per_environment(cron_project, digest, monitor_state,
                                                               receiver):
    send(cron_project, "error")
    digest()
    assert issues(cron_project) == []
    assert monitor_state("billing")[0]["environments"][0]["activeIncident"] is None
    send(cron_project, "error")
    send(cron_project, "error", environment="staging")  # another environment: its own count
    digest()
    opened = issues(cron_project)
    assert len(opened) == 1 and opened[0]["title"] == "Cron failure: billing"
    environment = monitor_state("billing")[0]["environments"]
    production = next(e for e in environment if e["name"] == "production")
    assert production["status"] == "error" and production["activeIncident"]["startingTimestamp"]
    tags = cron_project.api.get(f"/api/0/organizations/{cron_project.org}/issues/{opened[0]['id']}/tags/monitor.slug/")
    assert tags.status_code == 200 and tags.json["topValues"][0]["value"] == "billing"

    send(cron_project, "error")  # a third failure is one more event of the same issue
    digest()
    assert [i["count"] for i in issues(cron_project)] == ["2"]

    send(cron_project, "ok")
    assert len(issues(cron_project)) == 1  # one success is not enough
    send(cron_project, "ok")
    assert issues(cron_project) == []
    assert len(issues(cron_project, "is:resolved")) == 1
    production = next(e for e in monitor_state("billing")[0]["environments"] if e["name"] == "production")
    assert production["status"] == "ok" and production["activeIncident"] is None

    receiver.wait_for(4)
    time.sleep(0.5)
    seen = sorted((headers["sentry-hook-resource"], payload["action"])
                  for (headers, _), payload in zip(receiver.got, receiver.payloads(), strict=True))
    assert seen == [("issue", "created"), ("issue", "resolved"), ("monitor", "failed"),
                    ("monitor", "recovered")]
    failed = next(p for p in receiver.payloads() if p["action"] == "failed")
    assert failed["data"]["monitor"]["slug"] == "billing"
    assert failed["data"]["environment"] == "production" and failed["data"]["status"] == "error"


def test_a_muted_monitor_changes_state_but_opens_no_issue(cron_project, digest, monitor_state, owner):
    send(cron_project, "ok")
    muted = owner.api.put(f"/api/0/organizations/{owner.org}/monitors/billing/", json={"isMuted": True})
    assert muted.status_code == 200 and muted.json["environments"][0]["isMuted"] is True
    send(cron_project, "error")
    send(cron_project, "error")
    digest()
    assert issues(cron_project) == []
    assert monitor_state("billing")[0]["environments"][0]["status"] == "error"
