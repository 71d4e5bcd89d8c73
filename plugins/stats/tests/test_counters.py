"""The counters: one record lands in every resolution; expired buckets are pruned."""

from __future__ import annotations

import datetime as dt

from sentryapi_stats import OutcomeCount
from sentryapi_stats.counters import prune
from sqlalchemy import select

from sentryapi.api import Outcome, OutcomeRecord, db, record_outcomes

UTC = dt.UTC


def counters(app):
    with app.app_context():
        return sorted((c.resolution, c.bucket.isoformat(), c.quantity, c.times_seen)
                      for c in db.session.scalars(select(OutcomeCount)))


def test_a_record_counts_at_every_resolution(app, project, count):
    count(project, "2026-03-01T23:59:55.5+00:00", "accepted", 2048, category="attachment",
          times_seen=1)
    count(project, "2026-03-01T23:59:51+00:00", "accepted", 1024, category="attachment",
          times_seen=1)
    assert counters(app) == [
        (10, "2026-03-01T23:59:50+00:00", 3072, 2),
        (3600, "2026-03-01T23:00:00+00:00", 3072, 2),
        (86400, "2026-03-01T00:00:00+00:00", 3072, 2),
    ]


def test_expired_buckets_are_pruned(app, project, count):
    now = dt.datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    count(project, (now - dt.timedelta(minutes=59)).isoformat())       # all kept
    count(project, (now - dt.timedelta(hours=2)).isoformat())          # 10s bucket expires
    count(project, (now - dt.timedelta(days=91)).isoformat())          # hourly expires too
    with app.app_context():
        app.config.pop("STATS_RETENTION", None)   # the defaults: 1h, 90d, 400d
        assert prune(now) == 3
        db.session.commit()
    kept = [(resolution, bucket) for resolution, bucket, _, _ in counters(app)]
    assert kept == [
        (10, "2026-06-01T11:01:00+00:00"),
        (3600, "2026-06-01T10:00:00+00:00"), (3600, "2026-06-01T11:00:00+00:00"),
        (86400, "2026-03-02T00:00:00+00:00"), (86400, "2026-06-01T00:00:00+00:00"),
    ]


def test_records_of_deleted_projects_are_dropped(app, project):
    with app.app_context():
        record_outcomes([OutcomeRecord(Outcome.ACCEPTED, "error", 1, project.organization_id,
                                       project.id + 1000)])
        db.session.commit()
    assert counters(app) == []
