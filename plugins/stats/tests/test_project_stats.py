"""Project stats (Sentry's TSDB shape): stats, resolutions, bucket edges, bad parameters."""

from __future__ import annotations

import datetime as dt

import pytest

T0 = int(dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC).timestamp())  # 12:00:00 UTC


def stats(project, query: str, status: int = 200):
    response = project.api.get(project.path(f"stats/?{query}"))
    assert response.status_code == status, response.json
    return response.json


def at(seconds: int) -> str:
    return dt.datetime.fromtimestamp(T0 + seconds, dt.UTC).isoformat()


@pytest.fixture
def counted(project, count):
    count(project, at(-1), "accepted")                 # 11:59:59, the hour before
    count(project, at(0), "accepted", 2)               # 12:00:00
    count(project, at(9), "rate_limited", reason="key_quota")   # 12:00:09, same 10s bucket
    count(project, at(10), "filtered")                 # 12:00:10, the next one
    count(project, at(3599), "invalid")                # never "received"
    count(project, at(3600), "accepted", 4)            # 13:00:00
    count(project, at(20), "accepted", 50, category="transaction")  # not an error
    return project


def test_ten_second_buckets(counted):
    body = stats(counted, f"since={T0 - 10}&until={T0 + 30}&resolution=10s")
    assert body == [[T0 - 10, 1], [T0, 3], [T0 + 10, 1], [T0 + 20, 0]]
    assert stats(counted, f"stat=rejected&since={T0}&until={T0 + 20}&resolution=10s") == [
        [T0, 1], [T0 + 10, 0]]
    assert stats(counted, f"stat=blacklisted&since={T0}&until={T0 + 20}&resolution=10s") == [
        [T0, 0], [T0 + 10, 1]]
    assert stats(counted, f"stat=generated&since={T0}&until={T0 + 20}&resolution=10s") == [
        [T0, 2], [T0 + 10, 0]]


def test_a_bucket_that_began_less_than_a_second_ago_is_in_the_series(counted):
    """``until`` inside the first second of a bucket: that bucket has begun (it was cut)."""
    body = stats(counted, f"since={T0}&until={T0 + 10}.5&resolution=10s")
    assert body == [[T0, 3], [T0 + 10, 1]]


def test_hour_and_day_buckets(counted):
    # since inside an hour: that hour is the first bucket; until at a bucket's start
    # excludes that bucket (Sentry's series end before until).
    assert stats(counted, f"since={T0 - 1800}&until={T0 + 3600}&resolution=1h") == [
        [T0 - 3600, 1], [T0, 4]]
    assert stats(counted, f"since={T0 - 1800}&until={T0 + 3601.5}&resolution=1h") == [
        [T0 - 3600, 1], [T0, 4], [T0 + 3600, 4]]
    day = T0 - 12 * 3600
    assert stats(counted, f"since={T0}&until={T0 + 60}&resolution=1d") == [[day, 9]]


def test_default_resolution_and_range(counted, count, project):
    # A day's range defaults to hours; an hour's to 10 seconds; longer than a week to days.
    body = stats(counted, f"since={T0 - 86399}&until={T0 + 1}")
    assert body[1][0] - body[0][0] == 3600 and body[-1] == [T0, 4]
    body = stats(counted, f"since={T0 - 600}&until={T0 + 30}")
    assert body[1][0] - body[0][0] == 10
    body = stats(counted, f"since={T0 - 8 * 86400}&until={T0}")
    assert body[1][0] - body[0][0] == 86400
    now = dt.datetime.now(dt.UTC)
    count(project, now.isoformat(), "accepted", 3)
    body = stats(project, "")
    assert len(body) in (24, 25) and body[-1][1] == 3
    assert sum(c for _, c in stats(project, "resolution=10s")) == 3


@pytest.mark.parametrize(("query", "detail"), [
    ("resolution=2h", "Invalid resolution"),
    ("resolution=abc", "Invalid resolution"),
    ("stat=nope", "stat"),
    ("until=tomorrow", "until must be a numeric timestamp."),
    ("since=x", "since must be a numeric timestamp"),
    ("since=nan", "since must be a numeric timestamp"),
    ("since=1e300", "since must be a numeric timestamp"),
    (f"since={T0}&until={T0 - 1}", "start must be before or equal to end"),
    (f"since={T0 - 90 * 86400}&until={T0}&resolution=10s", "resolution"),
])
def test_bad_parameters(project, query, detail):
    assert detail in stats(project, query, 400)["detail"]


def test_another_organizations_project_is_404(project, make_actor):
    stranger = make_actor("owner")
    response = stranger.api.get(project.path("stats/"))
    assert response.status_code == 404
