"""Check-ins as SDKs send them: envelope items with ``monitor_config`` upserting, the HTTP
check-in URL (``dsn.crons``), in-progress check-ins closed by their ``check_in_id``."""

from __future__ import annotations

import uuid

CONFIG = {"schedule": {"type": "crontab", "value": "0 * * * *"}, "checkin_margin": 5,
          "max_runtime": 10, "timezone": "UTC"}


def test_dsn_crons_is_the_working_checkin_url(cron_project):
    assert cron_project.crons_url.endswith(
        f"/api/{cron_project.id}/cron/___MONITOR_SLUG___/{cron_project.public_key}/")


def test_envelope_checkins_upsert_the_monitor_and_pair_by_id(cron_project, monitor_state):
    checkin_id = uuid.uuid4().hex
    sent = cron_project.envelope({"check_in_id": checkin_id, "monitor_slug": "nightly",
                                  "status": "in_progress", "environment": "prod",
                                  "monitor_config": CONFIG})
    assert sent.status_code == 200, sent.data
    monitor, checkins = monitor_state("nightly")
    assert monitor["config"]["schedule"] == "0 * * * *" and monitor["config"]["max_runtime"] == 10
    assert monitor["project"]["slug"] == "jobs"
    assert [(c["status"], c["environment"]) for c in checkins] == [("in_progress", "prod")]
    assert checkins[0]["id"] == str(uuid.UUID(checkin_id))

    done = cron_project.envelope({"check_in_id": checkin_id, "monitor_slug": "nightly",
                                  "status": "ok", "duration": 2.5, "environment": "prod"})
    assert done.status_code == 200
    monitor, checkins = monitor_state("nightly")
    assert [(c["status"], c["duration"]) for c in checkins] == [("ok", 2500)]
    environment = monitor["environments"][0]
    assert (environment["name"], environment["status"]) == ("prod", "ok")
    assert environment["nextCheckIn"].endswith(":00:00Z") and environment["lastCheckIn"]

    # A new config replaces the old; a check-in without one keeps it.
    cron_project.envelope({"monitor_slug": "nightly", "status": "ok", "environment": "prod",
                           "monitor_config": {**CONFIG, "schedule": {"type": "interval", "value": 2,
                                                                      "unit": "hour"}}})
    monitor, checkins = monitor_state("nightly")
    assert monitor["config"]["schedule"] == [2, "hour"] and len(checkins) == 2


def test_unknown_monitors_without_config_and_bad_checkins_are_dropped(cron_project, owner):
    cron_project.envelope({"monitor_slug": "ghost", "status": "ok"},
                          {"monitor_slug": "bad", "status": "sideways", "monitor_config": CONFIG},
                          {"monitor_slug": "bad2", "status": "ok",
                           "monitor_config": {"schedule": {"type": "crontab", "value": "nope"}}})
    assert owner.api.get(f"/api/0/organizations/{owner.org}/monitors/").json == []


def test_http_checkin_url_get_and_post(cron_project, create_monitor, owner, monitor_state):
    create_monitor(owner, "jobs", name="Backup", slug="backup")
    client = cron_project.api.client
    url = cron_project.checkin_url("backup")
    assert client.get(url + "?status=ok").status_code == 202
    checkin_id = str(uuid.uuid4())
    assert client.post(url, json={"status": "in_progress", "check_in_id": checkin_id,
                                  "environment": "staging"}).status_code == 202
    assert client.post(url + f"?status=error&check_in_id={checkin_id}&environment=staging").status_code == 202
    monitor, checkins = monitor_state("backup")
    assert [(c["status"], c["environment"]) for c in checkins] == [("error", "staging"), ("ok", "production")]
    assert {e["name"]: e["status"] for e in monitor["environments"]} == {"production": "ok", "staging": "error"}
    # The key may also come as sentry_key=; a wrong key or project is refused.
    assert client.get(f"/api/{cron_project.id}/cron/backup/?status=ok&sentry_key={cron_project.public_key}").status_code == 202
    assert client.get(f"/api/{cron_project.id}/cron/backup/{'0' * 32}/?status=ok").status_code == 403
    assert client.get(f"/api/{cron_project.id + 1}/cron/backup/{cron_project.public_key}/?status=ok").status_code == 403
    assert client.get(url + "?status=ok&duration=abc").status_code == 400
    assert client.post(url, data="[1]", content_type="application/json").status_code == 400


def test_a_monitor_of_another_project_is_not_checked_into(cron_project, owner, create_project, create_monitor,
                                                          monitor_state):
    create_project(owner, name="Other", slug="other")
    create_monitor(owner, "other", name="Theirs", slug="theirs")
    assert cron_project.api.client.get(cron_project.checkin_url("theirs") + "?status=ok").status_code == 202
    assert monitor_state("theirs")[1] == []


def test_disabled_monitors_take_no_checkins(cron_project, owner, create_monitor, monitor_state):
    create_monitor(owner, "jobs", name="Off", slug="off", status="disabled")
    cron_project.api.client.get(cron_project.checkin_url("off") + "?status=ok")
    assert monitor_state("off")[1] == []
