"""Releases and events together, through HTTP only: events name their release, issues are
resolved in a release (or the next one) and regress only from a later release.

Both plugins are bundled in this repository, so both are installed: a missing one is an
error, not a skip.
"""

from __future__ import annotations

import time

import pytest
from sentryapi_events.testing import envelope, exception_event
from sentryapi_releases.testing import release_path


def wait_for(check, what: str, timeout: float = 20):
    """Poll the API until ``check()`` is truthy (the digest runs in the background)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.fixture
def shop(owner, create_project, client):
    project = create_project(owner, name="Shop", slug="shop", platform="python")
    key = owner.api.get(f"/api/0/projects/{owner.org}/shop/keys/").json[0]["public"]

    def send(release, **extra):
        event = exception_event(release=release, environment="production", **extra)
        response = client.post(f"/api/{project['id']}/envelope/", data=envelope(event), headers={
            "X-Sentry-Auth": f"Sentry sentry_key={key}, sentry_version=7",
            "Content-Type": "application/x-sentry-envelope"})
        assert response.status_code == 200, response.data
        return event["event_id"]

    return send


def issue_of(owner):
    listed = owner.api.get(f"/api/0/projects/{owner.org}/shop/issues/?query=")
    return listed.json[0] if listed.status_code == 200 and listed.json else None


def issue_after(owner, count: int):
    """The issue once it has counted ``count`` events."""
    return wait_for(lambda: (i := issue_of(owner)) and int(i["count"]) >= count and i,
                    f"the issue to count {count} events")


def test_events_create_releases_and_issues_regress_only_from_a_later_release(owner, shop):
    shop("shop@1.0")
    issue = issue_after(owner, 1)
    release = wait_for(lambda: owner.api.get(release_path(owner.org, "shop@1.0")).json.get("newGroups"),
                       "the release's new issue")
    assert release == 1
    detail = owner.api.get(release_path(owner.org, "shop@1.0")).json
    assert detail["firstEvent"] and detail["lastEvent"] and detail["projects"][0]["slug"] == "shop"
    by_env = owner.api.get(f"/api/0/organizations/{owner.org}/releases/?environment=production")
    assert [r["version"] for r in by_env.json] == ["shop@1.0"]

    url = f"/api/0/organizations/{owner.org}/issues/{issue['id']}/"
    resolved = owner.api.put(url, json={"status": "resolvedInNextRelease"})
    assert resolved.status_code == 200, resolved.json
    assert resolved.json["statusDetails"] == {"inNextRelease": True}
    shop("shop@1.0")  # the release it was resolved in: still resolved
    shop(None)  # no release: taken as older
    assert issue_after(owner, 3) is not None
    assert owner.api.get(url).json["status"] == "resolved"
    owner.api.post(f"/api/0/organizations/{owner.org}/releases/", json={"version": "shop@2.0", "projects": ["shop"]})
    shop("shop@2.0")  # a later release: a regression
    regressed = wait_for(lambda: (d := owner.api.get(url).json)["status"] == "unresolved" and d,
                         "the regression")
    assert regressed["substatus"] == "regressed" and regressed["statusDetails"] == {}

    resolved = owner.api.put(url, json={"status": "resolved", "statusDetails": {"inRelease": "shop@2.0"}})
    assert resolved.json["statusDetails"] == {"inRelease": "shop@2.0"}
    shop("shop@1.0")  # an older release: still resolved
    assert issue_after(owner, 5) is not None
    assert owner.api.get(url).json["status"] == "resolved"
    shop("shop@3.0")  # never seen before, so later
    wait_for(lambda: owner.api.get(url).json["status"] == "unresolved", "the second regression")


def test_resolving_in_a_release_that_does_not_exist_is_a_400(owner, shop):
    shop(None)
    issue = issue_after(owner, 1)
    url = f"/api/0/organizations/{owner.org}/issues/{issue['id']}/"
    refused = owner.api.put(url, json={"status": "resolvedInNextRelease"})
    assert refused.status_code == 400
    assert "No release data present" in refused.json["detail"]
    unknown = owner.api.put(url, json={"status": "resolved", "statusDetails": {"inRelease": "nope"}})
    assert unknown.status_code == 400
    assert owner.api.get(url).json["status"] == "unresolved"
