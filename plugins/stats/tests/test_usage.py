"""Organization stats v2: buckets, edges, grouping, filters and bad parameters."""

from __future__ import annotations

import datetime as dt

import pytest


def usage(project, query: str, status: int = 200):
    response = project.api.get(f"/api/0/organizations/{project.org}/stats_v2/?{query}")
    assert response.status_code == status, response.json
    return response.json


RANGE = "start=2026-03-01T00:00:00Z&end=2026-03-02T23:59:59Z"


def test_daily_buckets_are_utc_days_with_exact_edges(project, count):
    count(project, "2026-03-01T00:00:00+00:00")            # first second of day 1
    count(project, "2026-03-01T23:59:59.999+00:00")        # last moment of day 1
    count(project, "2026-03-02T01:30:00+02:00")            # 23:30 UTC on day 1
    count(project, "2026-03-02T00:00:00+00:00")            # first second of day 2
    count(project, "2026-02-28T23:59:59+00:00")            # before the range
    count(project, "2026-03-03T00:00:00+00:00")            # after it
    body = usage(project, f"field=sum(quantity)&groupBy=outcome&category=error&{RANGE}"
                          "&interval=1d")
    assert body["start"] == "2026-03-01T00:00:00Z"
    assert body["end"] == "2026-03-03T00:00:00Z"
    assert body["intervals"] == ["2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z"]
    assert body["groups"] == [{"by": {"outcome": "accepted"}, "totals": {"sum(quantity)": 4},
                               "series": {"sum(quantity)": [3, 1]}}]


def test_hourly_and_six_hour_intervals(project, count):
    count(project, "2026-03-01T05:59:59+00:00")
    count(project, "2026-03-01T06:00:00+00:00", quantity=2)
    count(project, "2026-03-01T11:00:10+00:00")
    hourly = usage(project, "field=sum(quantity)&category=error&interval=1h"
                            "&start=2026-03-01T05:30:00Z&end=2026-03-01T11:00:00Z")
    assert hourly["start"] == "2026-03-01T05:00:00Z" and hourly["end"] == "2026-03-01T11:00:00Z"
    assert len(hourly["intervals"]) == 6
    assert hourly["groups"] == [{"by": {}, "totals": {"sum(quantity)": 3},
                                 "series": {"sum(quantity)": [1, 2, 0, 0, 0, 0]}}]
    six = usage(project, f"field=sum(quantity)&category=error&interval=6h&{RANGE}")
    assert six["intervals"][:3] == ["2026-03-01T00:00:00Z", "2026-03-01T06:00:00Z",
                                    "2026-03-01T12:00:00Z"]
    assert six["groups"][0]["series"]["sum(quantity)"][:3] == [1, 3, 0]


def test_group_by_every_dimension_and_times_seen(owner, project, count, new_project):
    other = new_project(owner, "Frontend")
    when = "2026-03-01T10:00:00+00:00"
    count(project, when, "accepted", 2, category="default")
    count(project, when, "accepted", 3)
    count(project, when, "rate_limited", 4, reason="key_quota")
    count(project, when, "filtered", 1, reason="browser-extensions")
    count(project, when, "invalid", 1, reason="invalid_json")
    count(other, when, "accepted", 5000, category="attachment", times_seen=2)
    body = usage(project, "field=sum(quantity)&field=sum(times_seen)&groupBy=project"
                          "&groupBy=outcome&groupBy=category&groupBy=reason"
                          f"&{RANGE}&interval=1d")
    groups = {(g["by"]["project"], g["by"]["outcome"], g["by"]["category"], g["by"]["reason"]):
              (g["totals"]["sum(quantity)"], g["totals"]["sum(times_seen)"])
              for g in body["groups"]}
    assert groups == {
        (project.id, "accepted", "error", "none"): (5, 5),   # default rolls into error
        (project.id, "rate_limited", "error", "key_quota"): (4, 4),
        (project.id, "filtered", "error", "browser-extensions"): (1, 1),
        (project.id, "invalid", "error", "invalid_json"): (1, 1),
        (other.id, "accepted", "attachment", "none"): (5000, 2),
    }
    # Filters: outcome, reason, project, category.
    dropped = usage(project, f"field=sum(quantity)&groupBy=outcome&category=error&{RANGE}"
                             "&outcome=rate_limited&outcome=filtered&interval=1d")
    assert [(g["by"]["outcome"], g["totals"]["sum(quantity)"]) for g in dropped["groups"]] == [
        ("filtered", 1), ("rate_limited", 4)]
    reason = usage(project, f"field=sum(quantity)&groupBy=reason&category=error&{RANGE}"
                            "&reason=none&interval=1d")
    assert [g["by"] for g in reason["groups"]] == [{"reason": "none"}]
    only_other = usage(project, f"field=sum(quantity)&groupBy=category&project={other.id}"
                                f"&{RANGE}&interval=1d")
    assert [g["by"]["category"] for g in only_other["groups"]] == ["attachment"]
    attachments = usage(project, f"field=sum(times_seen)&category=attachment&{RANGE}"
                                 "&interval=1d")
    assert attachments["groups"][0]["totals"] == {"sum(times_seen)": 2}


def test_stats_period_counts_what_just_happened(project, count):
    now = dt.datetime.now(dt.UTC)
    count(project, now.isoformat(), quantity=7)
    count(project, (now - dt.timedelta(days=2)).isoformat(), quantity=100)
    body = usage(project, "field=sum(quantity)&groupBy=category&statsPeriod=1d&interval=1h")
    assert body["groups"][0]["totals"] == {"sum(quantity)": 7}
    assert body["groups"][0]["series"]["sum(quantity)"][-1] == 7
    assert len(body["intervals"]) in (24, 25)


def test_no_counts_no_groups(project):
    body = usage(project, f"field=sum(quantity)&groupBy=category&{RANGE}&interval=1d")
    assert body["groups"] == [] and len(body["intervals"]) == 2


def test_other_organizations_projects_are_refused(project, make_actor, count, new_project):
    stranger = make_actor("owner")
    theirs = new_project(stranger, "Theirs")
    count(theirs, "2026-03-01T10:00:00+00:00", quantity=9)
    body = usage(project, f"field=sum(quantity)&groupBy=category&{RANGE}&interval=1d")
    assert body["groups"] == []
    usage(project, f"field=sum(quantity)&groupBy=category&project={theirs.id}&{RANGE}", 403)


@pytest.mark.parametrize(("query", "names"), [
    ("groupBy=category&statsPeriod=1d", "field"),
    ("field=nope&groupBy=category&statsPeriod=1d", "field"),
    ("field=sum(quantity)&groupBy=nope&statsPeriod=1d", "groupBy"),
    ("field=sum(quantity)&groupBy=outcome&statsPeriod=1d", "category"),
    ("field=sum(quantity)&category=nope&statsPeriod=1d", "category"),
    ("field=sum(quantity)&category=attachment&category=error&statsPeriod=1d", "category"),
    ("field=sum(quantity)&category=error&outcome=nope&statsPeriod=1d", "outcome"),
    ("field=sum(quantity)&category=error&statsPeriod=1d&interval=10m", "interval"),
    ("field=sum(quantity)&category=error&statsPeriod=1d&interval=5h", "interval"),
    ("field=sum(quantity)&category=error&statsPeriod=3d&interval=2d", "interval"),
    ("field=sum(quantity)&category=error&statsPeriod=90d&interval=1h", "interval"),
    ("field=sum(quantity)&category=error&statsPeriod=1x", "statsPeriod"),
    ("field=sum(quantity)&category=error&start=yesterday&end=2026-03-01T00:00:00Z", "start"),
    ("field=sum(quantity)&category=error&start=2026-03-01T00:00:00Z&end=2026-13-01", "end"),
    ("field=sum(quantity)&category=error&start=2026-03-01T00:00:00Z", "end"),
    ("field=sum(quantity)&category=error&start=2026-03-02T00:00:00Z&end=2026-03-01", "start"),
    ("field=sum(quantity)&category=error&statsPeriod=1d&project=abc", "project"),
    ("field=sum(quantity)&category=error&statsPeriod=99999999w", "statsPeriod"),
    ("field=sum(quantity)&category=error&start=0001-01-01&end=2026-03-01", "start"),
    ("field=sum(quantity)&category=error&start=2026-03-01&end=8999-12-31T23:00:00Z", "interval"),
])
def test_bad_parameters_are_400_naming_them(project, query, names):
    body = usage(project, query, 400)
    assert names in body["detail"], body


def test_one_query_whatever_the_range(project, count, count_queries, app):
    for day in range(1, 29):
        count(project, f"2026-02-{day:02d}T12:00:00+00:00")
    with count_queries() as statements:
        body = usage(project, "field=sum(quantity)&groupBy=category&interval=1d"
                              "&start=2026-02-01T00:00:00Z&end=2026-02-28T23:00:00Z")
    assert body["groups"][0]["series"]["sum(quantity)"] == [1] * 28
    counter_reads = [s for s in statements if "stats_outcome_count" in s]
    assert len(counter_reads) == 1
