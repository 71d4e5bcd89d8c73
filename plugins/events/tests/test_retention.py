"""Retention: expired events go in batches, issues left without events go, and what remains
keeps consistent counts (times seen, users, tag values, first seen)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sentryapi_events import retention
from sentryapi_events.models import Event, Group, GroupTagValue
from sentryapi_events.testing import exception_event
from sqlalchemy import func, select, update

from sentryapi.api import db
from sentryapi.scheduler import run_task

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def aged(app, sentry_project, digest):
    """Issue ``kept`` with events 100, 95 and 10 days old; issue ``expired`` with two events
    100 and 99 days old; each event by its own user and with a tag. (SDKs cannot send events
    that old, their timestamps become the time received: the stored ones are aged.)"""
    plan = {"kept": [(100, "u1"), (95, "u2"), (10, "u3")], "expired": [(100, "u4"), (99, "u5")]}
    ages = {}
    for name, events in plan.items():
        for age, user in events:
            event = exception_event(exc_type=name.title() + "Error", user={"id": user},
                                    tags={"shard": f"s-{age}"})
            ages[event["event_id"]] = NOW - dt.timedelta(days=age)
            assert sentry_project.send_event(event).status_code == 200
    digest()
    with app.app_context():
        for event_id, moment in ages.items():
            db.session.execute(update(Event).where(Event.event_id == event_id).values(timestamp=moment))
        span = select(func.min(Event.timestamp), func.max(Event.timestamp)).where(Event.group_id == Group.id)
        db.session.execute(update(Group).values(first_seen=span.with_only_columns(func.min(Event.timestamp))
                                                .scalar_subquery(),
                                                last_seen=span.with_only_columns(func.max(Event.timestamp))
                                                .scalar_subquery()))
        db.session.commit()
        groups = db.session.execute(select(Group.id, Group.title)).all()
    assert len(groups) == 2
    return {title.split(":")[0].removesuffix("Error").lower(): group_id for group_id, title in groups}


def issue_state(app, group_id: int) -> dict:
    """The issue's counters, and its tag tallies recounted from the events it still has."""
    with app.app_context():
        group = db.session.get(Group, group_id)
        events = db.session.scalars(select(Event).where(Event.group_id == group_id)).all()
        tallies = dict(Counter((k, v) for e in events for k, v in e.data["tags"]))
        stored = {(row.key, row.value): row.times_seen for row in db.session.scalars(
            select(GroupTagValue).where(GroupTagValue.group_id == group_id))}
        return {"times_seen": group.times_seen, "user_count": group.user_count,
                "first_seen": group.first_seen, "events": len(events), "recounted": tallies,
                "stored": stored, "oldest": min(e.timestamp for e in events)}


def cli(app, *args):
    return app.test_cli_runner().invoke(args=["sentryapi", "cleanup", *args])


def test_expired_events_and_their_empty_issues_go_and_counts_stay_true(app, aged, sentry_project):
    kept, expired = aged["kept"], aged["expired"]
    dry = cli(app, "--dry-run")
    assert dry.exit_code == 0 and "Would delete 4 events, 1 issues" in dry.output, dry.output
    assert issue_state(app, kept)["events"] == 3  # a dry run deletes nothing

    done = cli(app)
    assert done.exit_code == 0 and "Deleted 4 events, 1 issues" in done.output, done.output
    state = issue_state(app, kept)
    assert state["events"] == 1 and state["times_seen"] == 1 and state["user_count"] == 1
    assert state["stored"] == state["recounted"]
    assert state["first_seen"] == state["oldest"]
    api = sentry_project.api
    assert api.get(f"/api/0/organizations/{sentry_project.org}/issues/{expired}/").status_code == 404
    detail = api.get(f"/api/0/organizations/{sentry_project.org}/issues/{kept}/").json
    assert detail["count"] == "1" and detail["userCount"] == 1
    again = cli(app)
    assert "Deleted 0 events, 0 issues" in again.output


def test_a_project_keeps_its_events_as_long_as_it_says(app, aged, sentry_project):
    url = f"/api/0/projects/{sentry_project.org}/{sentry_project.slug}/"
    for bad in (0, 4000, "ninety"):
        refused = sentry_project.api.put(url, json={"eventRetentionDays": bad})
        assert refused.status_code == 400 and "eventRetentionDays" in str(refused.json["detail"])
    changed = sentry_project.api.put(url, json={"eventRetentionDays": 5})
    assert changed.status_code == 200 and changed.json["eventRetentionDays"] == 5
    assert "Deleted 5 events, 2 issues" in cli(app).output
    with app.app_context():
        assert db.session.scalar(select(Event.id)) is None


def test_days_on_the_command_line_win_over_the_setting(app, aged):
    assert "Would delete 0 events, 0 issues" in cli(app, "--days", "200", "--dry-run").output
    assert "Would delete 5 events, 2 issues" in cli(app, "--days", "1", "--dry-run").output
    assert cli(app, "--days", "0").exit_code != 0


def test_the_scheduled_task_deletes_in_small_batches(app, aged, monkeypatch):
    kept = aged["kept"]
    batches = []
    real = retention.delete_batch
    monkeypatch.setattr(retention, "BATCH", 1)
    monkeypatch.setattr(retention, "delete_batch", lambda *a: batches.append(real(*a)) or batches[-1])
    run_task(app, "retention.cleanup")
    assert [events for events, _ in batches if events] == [1, 1, 1, 1]
    assert sum(issues for _, issues in batches) == 1
    state = issue_state(app, kept)
    assert (state["times_seen"], state["user_count"], state["events"]) == (1, 1, 1)
    assert state["stored"] == state["recounted"]


def test_the_retention_setting_applies_by_default(make_app, aged):
    other = make_app(EVENT_RETENTION_DAYS=96)
    assert "Would delete 3 events, 1 issues" in cli(other, "--dry-run").output

