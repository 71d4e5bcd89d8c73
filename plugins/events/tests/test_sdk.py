"""End to end: the official sentry-sdk sends to a live server; the API shows what arrived."""

from __future__ import annotations

import time

import pytest
import requests
import sentry_sdk

pytestmark = pytest.mark.slow


def boom(data):
    return data["missing"]


def poll(url: str, headers: dict, until, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while True:
        response = requests.get(url, headers=headers, timeout=5)
        if response.status_code == 200 and until(response.json()):
            return response.json()
        assert time.monotonic() < deadline, f"timed out waiting for {url}: {response.text[:300]}"
        time.sleep(0.1)


@pytest.mark.parametrize("compression", ["br", "gzip"])
def test_sdk_events_group_into_issues(live_server, sentry_project, owner, sentry_conforms,
                                      compression):
    dsn = f"http://{sentry_project.public_key}@127.0.0.1:{live_server.server_port}/{sentry_project.id}"
    sentry_sdk.init(dsn=dsn, release="app@1.0", environment="test", default_integrations=False,
                    _experiments={"transport_compression_algo": compression})
    try:
        for user_id in range(3):
            sentry_sdk.set_user({"id": str(user_id)})
            try:
                boom({"a": 1})
            except KeyError:
                sentry_sdk.capture_exception()
        sentry_sdk.capture_message("hello from the sdk")
        assert sentry_sdk.flush(10) is None
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init()  # back to a client without a DSN

    base = f"{live_server.url}/api/0"
    headers = {"Authorization": f"Bearer {owner.token}"}
    path = "/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/issues/"
    issues = poll(f"{base}/projects/{owner.org}/{sentry_project.slug}/issues/?query=", headers,
                  lambda body: sum(int(i["count"]) for i in body) == 4)
    assert sentry_conforms("GET", path, 200, issues) == []
    by_title = {issue["title"]: issue for issue in issues}
    assert set(by_title) == {"KeyError: 'missing'", "hello from the sdk"}
    error = by_title["KeyError: 'missing'"]
    assert (error["count"], error["userCount"], error["level"]) == ("3", 3, "error")
    assert error["culprit"].endswith("in boom")
    assert by_title["hello from the sdk"]["level"] == "info"

    events = requests.get(f"{base}/projects/{owner.org}/{sentry_project.slug}/events/",
                          headers=headers, timeout=5).json()
    assert len(events) == 4
    detail = requests.get(f"{base}/organizations/{owner.org}/issues/{error['id']}/events/latest/",
                          headers=headers, timeout=5).json()
    assert sentry_conforms(
        "GET", "/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/events/{event_id}/",
        200, detail) == []
    exception = next(e for e in detail["entries"] if e["type"] == "exception")
    frames = exception["data"]["values"][-1]["stacktrace"]["frames"]
    assert frames[-1]["function"] == "boom" and frames[-1]["inApp"]
    assert {"key": "release", "value": "app@1.0"} in detail["tags"]
    assert {"key": "environment", "value": "test"} in detail["tags"]
