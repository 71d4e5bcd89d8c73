"""The clock, driven by a test clock: missed and timed-out check-ins, DST in a non-UTC
zone, a monitor that never checked in, two clocks racing, and the scheduler's task."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

from sentryapi_monitors.checkins import take
from sentryapi_monitors.models import MonitorCheckIn
from sqlalchemy import func, select

from sentryapi.api import db

UTC = dt.UTC


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def check_in(app, project, now, **data):
    """A check-in received at ``now`` (what the ingest paths call)."""
    with app.app_context():
        org_id = project_org(project)
        taken = take(org_id, project.id, {"monitor_slug": "daily", "environment": "production", **data}, now)
        db.session.commit()
        return taken.guid if taken else None


def project_org(project) -> int:
    from sentryapi_projects import Project

    return db.session.scalar(select(Project.organization_id).where(Project.id == project.id))


def daily(schedule="0 9 * * *", zone="Europe/Vienna", **extra) -> dict:
    return {"schedule": {"type": "crontab", "value": schedule}, "timezone": zone,
            "checkin_margin": 5, "max_runtime": 10, **extra}


def test_a_missed_checkin_is_recorded_after_the_margin_across_spring_dst(app, cron_project, tick,
                                                                          monitor_state):
    # Saturday 2026-03-28 09:00 in Vienna is 08:00Z (CET); Sunday's 09:00 is 07:00Z (CEST).
    check_in(app, cron_project, at(2026, 3, 28, 8, 0, 30), status="ok", monitor_config=daily())
    monitor, _ = monitor_state("daily")
    assert monitor["environments"][0]["nextCheckIn"] == "2026-03-29T07:00:00Z"
    assert monitor["environments"][0]["nextCheckInLatest"] == "2026-03-29T07:05:00Z"
    assert tick(at(2026, 3, 29, 7, 4, 59)) == {"missed": 0, "timeout": 0}
    assert tick(at(2026, 3, 29, 7, 5)) == {"missed": 1, "timeout": 0}
    assert tick(at(2026, 3, 29, 7, 6)) == {"missed": 0, "timeout": 0}
    monitor, checkins = monitor_state("daily")
    assert [(c["status"], c["expectedTime"]) for c in checkins][0] == ("missed", "2026-03-29T07:00:00Z")
    assert monitor["environments"][0]["nextCheckIn"] == "2026-03-30T07:00:00Z"


def test_autumn_dst_moves_the_utc_time_back(app, cron_project, tick, monitor_state):
    # 2026-10-25: Vienna leaves CEST; 09:00 is 07:00Z on Saturday and 08:00Z on Sunday.
    check_in(app, cron_project, at(2026, 10, 24, 7, 0, 10), status="ok", monitor_config=daily())
    assert monitor_state("daily")[0]["environments"][0]["nextCheckIn"] == "2026-10-25T08:00:00Z"
    assert tick(at(2026, 10, 25, 7, 10)) == {"missed": 0, "timeout": 0}  # 07:00Z is not 09:00 now
    assert tick(at(2026, 10, 25, 8, 5)) == {"missed": 1, "timeout": 0}


def test_a_server_down_for_days_catches_up_one_missed_checkin_per_expected_time(app, cron_project, tick,
                                                                                  monitor_state):
    check_in(app, cron_project, at(2026, 5, 1, 7, 0), status="ok", monitor_config=daily())
    assert tick(at(2026, 5, 4, 12, 0))["missed"] == 3  # the 2nd, 3rd and 4th
    assert [c["expectedTime"] for c in monitor_state("daily")[1] if c["status"] == "missed"] == [
        "2026-05-04T07:00:00Z", "2026-05-03T07:00:00Z", "2026-05-02T07:00:00Z"]


def test_a_monitor_that_never_checked_in_is_waiting_not_missed(owner, create_monitor, cron_project, tick,
                                                                monitor_state):
    create_monitor(owner, "jobs", name="Fresh", slug="fresh")
    assert tick(at(2030, 1, 1)) == {"missed": 0, "timeout": 0}
    assert monitor_state("fresh")[1] == []


def test_an_in_progress_checkin_past_its_max_runtime_times_out(app, cron_project, tick, monitor_state):
    start = at(2026, 6, 1, 9, 0)
    guid = check_in(app, cron_project, start, status="in_progress", monitor_config=daily("0 * * * *", "UTC"))
    assert tick(start + dt.timedelta(minutes=9, seconds=59)) == {"missed": 0, "timeout": 0}
    assert tick(start + dt.timedelta(minutes=10)) == {"missed": 0, "timeout": 1}
    # The job's late "ok" does not undo the timeout.
    check_in(app, cron_project, start + dt.timedelta(minutes=12), status="ok", check_in_id=guid)
    monitor, checkins = monitor_state("daily")
    assert [c["status"] for c in checkins] == ["timeout"]
    assert monitor["environments"][0]["status"] == "error"


def test_two_clocks_racing_record_one_missed_checkin(app, cron_project, tick):
    check_in(app, cron_project, at(2026, 6, 1, 7, 0), status="ok", monitor_config=daily())
    now = at(2026, 6, 2, 7, 30)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def race():
        try:
            barrier.wait(5)
            results.append(tick(now)["missed"])
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=race) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert sorted(results) in ([0, 1], [1, 0])
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MonitorCheckIn)
                                 .where(MonitorCheckIn.status == "missed")) == 1


def test_the_scheduler_runs_the_clock(app, cron_project, monitor_state):
    from sentryapi.scheduler import run_task

    check_in(app, cron_project, dt.datetime.now(UTC) - dt.timedelta(days=2), status="ok",
             monitor_config=daily("0 * * * *", "UTC", checkin_margin=1))
    run_task(app, "monitors.clock")
    statuses = [c["status"] for c in monitor_state("daily")[1]]
    assert statuses.count("missed") >= 24 and statuses[-1] == "ok"


def test_check_in_ids_are_uuids(app, cron_project):
    assert check_in(app, cron_project, at(2026, 6, 1), status="ok", check_in_id="not-a-uuid",
                    monitor_config=daily()) is None
    assert check_in(app, cron_project, at(2026, 6, 1), status="ok", check_in_id=str(uuid.uuid4()),
                    monitor_config=daily()) is not None
