"""The monitors API: Sentry's paths, shapes, validation and scopes."""

from __future__ import annotations

MONITORS = "/api/0/organizations/{org}/monitors/"


def test_create_list_retrieve_update_delete(owner, create_project, sentry_conforms):
    create_project(owner, name="Jobs", slug="jobs")
    url = MONITORS.format(org=owner.org)
    made = owner.api.post(url, json={
        "project": "jobs", "name": "Nightly Export",
        "config": {"schedule": "0 3 * * *", "timezone": "Europe/Vienna", "checkin_margin": 5,
                   "max_runtime": 60, "failure_issue_threshold": 2, "recovery_threshold": 3}})
    assert made.status_code == 201, made.json
    monitor = made.json
    assert monitor["slug"] == "nightly-export"
    assert monitor["config"] == {
        "schedule_type": "crontab", "schedule": "0 3 * * *", "timezone": "Europe/Vienna",
        "checkin_margin": 5, "max_runtime": 60, "failure_issue_threshold": 2,
        "recovery_threshold": 3, "alert_rule_id": None}
    assert monitor["project"]["slug"] == "jobs" and monitor["environments"] == []
    assert (monitor["status"], monitor["isMuted"], monitor["owner"]) == ("active", False, None)

    interval = owner.api.post(url, json={"project": "jobs", "name": "Every ten",
                                         "config": {"schedule": [10, "minute"]}})
    assert interval.status_code == 201, interval.json
    assert interval.json["config"]["schedule_type"] == "interval"
    assert interval.json["config"]["schedule"] == [10, "minute"]

    listed = owner.api.get(url)
    assert [m["slug"] for m in listed.json] == ["every-ten", "nightly-export"]
    assert owner.api.get(url + "?query=nightly").json[0]["slug"] == "nightly-export"

    detail = url + "nightly-export/"
    assert owner.api.get(detail).json["id"] == monitor["id"]
    assert owner.api.get(url + f"{monitor['id']}/").json["slug"] == "nightly-export"
    project_detail = f"/api/0/projects/{owner.org}/jobs/monitors/nightly-export/"
    assert owner.api.get(project_detail).json["id"] == monitor["id"]

    changed = owner.api.put(detail, json={"name": "Export", "isMuted": True,
                                          "config": {"schedule": "30 4 * * *"},
                                          "owner": f"user:{owner.user.id}"})
    assert changed.status_code == 200, changed.json
    assert changed.json["name"] == "Export" and changed.json["isMuted"] is True
    assert changed.json["config"]["schedule"] == "30 4 * * *"
    assert changed.json["config"]["timezone"] == "Europe/Vienna"  # kept
    assert changed.json["owner"]["type"] == "user" and changed.json["owner"]["id"] == str(owner.user.id)
    assert owner.api.put(detail, json={"isMuted": False}).json["isMuted"] is False

    assert owner.api.delete(project_detail).status_code == 202
    assert owner.api.get(detail).status_code == 404
    assert [m["slug"] for m in owner.api.get(url).json] == ["every-ten"]


def test_bad_bodies_are_400s(owner, create_project):
    create_project(owner, name="Jobs", slug="jobs")
    url = MONITORS.format(org=owner.org)
    for body, field in [
        ({"project": "jobs", "name": "x", "config": {"schedule": "every day"}}, "config"),
        ({"project": "jobs", "name": "x", "config": {"schedule": [0, "minute"]}}, "config"),
        ({"project": "jobs", "name": "x", "config": {"schedule": [5, "fortnight"]}}, "config"),
        ({"project": "jobs", "name": "x", "config": {"schedule": "* * * * *", "timezone": "Mars/Base"}}, "config"),
        ({"project": "jobs", "name": "x", "config": {"schedule": "* * * * *", "checkin_margin": 0}}, "config"),
        ({"project": "nope", "name": "x", "config": {"schedule": "* * * * *"}}, "project"),
        ({"project": "jobs", "name": "x", "slug": "123", "config": {"schedule": "* * * * *"}}, "slug"),
        ({"project": "jobs", "name": "x", "owner": "user:99999", "config": {"schedule": "* * * * *"}}, "owner"),
        ({"project": "jobs", "config": {"schedule": "* * * * *"}}, "name"),
    ]:
        answer = owner.api.post(url, json=body)
        assert answer.status_code == 400, (body, answer.json)
        assert field in answer.json, (body, answer.json)
    ok = owner.api.post(url, json={"project": "jobs", "name": "x", "config": {"schedule": "@hourly"}})
    assert ok.status_code == 201
    again = owner.api.post(url, json={"project": "jobs", "name": "x", "config": {"schedule": "@daily"}})
    assert again.status_code == 400 and "slug" in again.json


def test_scopes_follow_sentrys_alert_rule_permissions(owner, create_project, make_token, make_actor):
    create_project(owner, name="Jobs", slug="jobs")
    url = MONITORS.format(org=owner.org)
    assert owner.api.post(url, json={"project": "jobs", "name": "Job",
                                     "config": {"schedule": "* * * * *"}}).status_code == 201
    from sentryapi.testing import ApiClient

    reader = ApiClient(owner.api.client, make_token(owner.user, ["alerts:read"]))
    assert reader.get(url).status_code == 200
    assert reader.get(url + "job/").status_code == 200
    assert reader.put(url + "job/", json={"name": "No"}).status_code == 403
    writer = ApiClient(owner.api.client, make_token(owner.user, ["alerts:write"]))
    assert writer.put(url + "job/", json={"name": "Yes"}).status_code == 200
    stranger = make_actor("owner")
    assert stranger.api.get(MONITORS.format(org=owner.org) + "job/").status_code == 404


def test_pages_cost_the_same_queries_for_one_and_many(owner, create_project, count_queries):
    create_project(owner, name="Jobs", slug="jobs")
    url = MONITORS.format(org=owner.org)

    def listing() -> int:
        with count_queries() as statements:
            assert owner.api.get(url).status_code == 200
        return len(statements)

    owner.api.post(url, json={"project": "jobs", "name": "a", "config": {"schedule": "* * * * *"}})
    one = listing()
    for name in "bcdef":
        owner.api.post(url, json={"project": "jobs", "name": name, "config": {"schedule": "* * * * *"},
                                  "owner": f"user:{owner.user.id}"})
    assert listing() == one + 1  # the owners' users, once a page has some


def test_keeps_the_plugin_contract(plugin_contract):
    plugin_contract("monitors")


def test_tenant_isolation(tenant_isolation):
    tenant_isolation("monitors")
