"""The Discover endpoints over one dataset (errors and transactions sent as SDKs send them),
on SQLite and PostgreSQL: fields and functions, the search syntax, sort, pages, series,
facets, counts, validation and the 400s; responses checked against Sentry's document."""

from __future__ import annotations

import pytest
from sentryapi_discover.testing import walk_pages

from sentryapi.conformance import violations
from sentryapi.testing.apps import executed_statements

SENTRY_EVENTS = "/api/0/organizations/{organization_id_or_slug}/events/"
SENTRY_TIMESERIES = "/api/0/organizations/{organization_id_or_slug}/events-timeseries/"


def table(seeded, *fields, **params):
    response = seeded.get("events/", field=list(fields), project=-1, **params)
    assert response.status_code == 200, response.json
    assert violations("get", SENTRY_EVENTS, 200, response.json) == []
    return response.json


def rows(seeded, *fields, **params) -> list:
    """Each row as a tuple of its fields, in order."""
    return [tuple(row[f] for f in fields) for row in table(seeded, *fields, **params)["data"]]


#: (fields, params, expected rows); sorted by the first field unless ``sort`` is given.
CASES = [
    (("title", "count()"), {"dataset": "errors", "sort": "-count()"},
     [("KeyError: 'missing'", 2), ("TypeError: x is undefined", 1), ("ValueError: bad", 1)]),
    (("error.type", "count()"), {"dataset": "errors", "query": "level:error"},
     [("KeyError", 2), ("ValueError", 1)]),
    (("level", "count()"), {"dataset": "errors", "environment": "prod"},
     [("error", 2), ("warning", 1)]),
    (("user.email",), {"dataset": "errors", "query": "has:user.email", "sort": "user.email"},
     [("a@example.com",), ("b@example.com",)]),
    (("event.type", "count()"), {"dataset": "discover"}, [("error", 4), ("transaction", 5)]),
    (("transaction", "count()", "p50(transaction.duration)", "max(transaction.duration)"),
     {"dataset": "transactions", "sort": "transaction"},
     [("/api/orders", 1, 1000.0, 1000.0), ("/api/users", 3, 200.0, 300.0), ("/checkout", 1, 400.0, 400.0)]),
    (("transaction", "avg(transaction.duration)", "sum(transaction.duration)", "min(transaction.duration)"),
     {"dataset": "transactions", "query": "transaction:/api/users"}, [("/api/users", 200.0, 600.0, 100.0)]),
    (("p95(transaction.duration)", "failure_rate()", "count_unique(transaction)"),
     {"dataset": "transactions", "query": "transaction:/api/users"}, [(290.0, 1 / 3, 1)]),
    (("transaction",), {"dataset": "transactions", "query": "transaction.duration:>250ms", "sort": "transaction"},
     [("/api/orders",), ("/api/users",), ("/checkout",)]),
    (("transaction",), {"dataset": "transactions", "query": "transaction.duration:>=1s"}, [("/api/orders",)]),
    (("transaction", "count()"), {"dataset": "transactions", "query": "transaction:/api/*"},
     [("/api/orders", 1), ("/api/users", 3)]),
    (("transaction", "count()"), {"dataset": "transactions", "query": "count():>1"}, [("/api/users", 3)]),
    (("transaction",), {"dataset": "transactions", "query": "(transaction:/checkout OR transaction:/api/orders)"
                        " AND !transaction.op:pageload"}, [("/api/orders",)]),
    (("transaction.status", "count()"), {"dataset": "transactions", "query": "!has:user.email"},
     [("ok", 4)]),
    (("tags[browser]", "event.type"), {"dataset": "discover", "query": "browser:Chrome"},
     [("Chrome", "error"), ("Chrome", "transaction")]),
    (("browser", "count()"), {"dataset": "errors", "query": "browser:[Chrome, Firefox]"},
     [("Chrome", 1), ("Firefox", 1)]),
    (("measurements.lcp",), {"dataset": "transactions", "query": "has:measurements.lcp"}, [(1500.0,)]),
    (("title",), {"dataset": "errors", "query": "is:unresolved undefined"}, [("TypeError: x is undefined",)]),
    (("title",), {"dataset": "errors", "query": 'title:"x\' OR 1=1 --"'}, []),
    (("project", "count()"), {"dataset": "transactions", "query": "project:frontend"}, [("frontend", 1)]),
]


@pytest.mark.parametrize(("fields", "params", "expected"), CASES,
                         ids=[f"{'|'.join(c[0])}?{c[1].get('query', '')}" for c in CASES])
def test_fields_functions_and_queries(seeded, fields, params, expected):
    got = rows(seeded, *fields, **params)
    if "sort" not in params:
        got.sort(key=lambda row: tuple(str(v) for v in row))
    assert [_rounded(row) for row in got] == [_rounded(row) for row in expected]


def _rounded(row: tuple) -> tuple:
    return tuple(round(v, 6) if isinstance(v, float) else v for v in row)


def test_meta_types_units_and_row_columns(seeded):
    body = table(seeded, "id", "timestamp", "issue", "issue.id", "project", "trace", "count()",
                 "last_seen()", "epm()", "eps()", "p75(transaction.duration)", dataset="discover",
                 query="event.type:transaction transaction:/checkout")
    assert body["meta"]["fields"] == {
        "id": "string", "timestamp": "date", "issue": "string", "issue.id": "integer", "project": "string",
        "trace": "string", "count()": "integer", "last_seen()": "date", "epm()": "rate", "eps()": "rate",
        "p75(transaction.duration)": "duration"}
    assert body["meta"]["units"]["epm()"] == "1/minute"
    assert body["meta"]["units"]["p75(transaction.duration)"] == "millisecond"
    assert body["meta"]["dataset"] == "discover"
    [row] = body["data"]
    assert row["count()"] == 1 and row["project"] == seeded.frontend and row["issue"] is None
    assert row["epm()"] == pytest.approx(1 / (24 * 60)) and row["eps()"] == pytest.approx(1 / 86400)
    errors = table(seeded, "issue", "issue.id", "title", dataset="errors", query="ValueError")["data"]
    issue = seeded.issues["ValueError"]
    assert errors == [{"issue": issue["shortId"], "issue.id": int(issue["id"]), "title": "ValueError: bad"}]


def test_pages_follow_the_link_header_both_ways(seeded):
    def get(params):
        return seeded.get("events/", project=-1, **params)

    pages = walk_pages(get, {"field": ["id", "transaction.duration"], "dataset": "transactions", "per_page": 2,
                             "sort": "-transaction.duration"})
    assert [row["transaction.duration"] for page in pages for row in page] == pytest.approx([1000, 400, 300, 200, 100])
    assert [len(page) for page in pages] == [2, 2, 1]
    # Nulls sort last either way; the keyset steps over them in both directions.
    for sort in ("user.email", "-user.email"):
        pages = walk_pages(get, {"field": ["id", "user.email"], "dataset": "errors", "per_page": 1, "sort": sort})
        emails = [row["user.email"] for page in pages for row in page]
        present = sorted(e for e in emails if e is not None)
        assert emails == (present if sort[0] != "-" else present[::-1]) + [None] * emails.count(None)
        assert len(pages) == 4 and emails.count(None) == 2
    # Grouped rows, ties broken by the group's fields.
    pages = walk_pages(get, {"field": ["title", "count()"], "dataset": "errors", "per_page": 1, "sort": "-count()"})
    assert [page[0]["count()"] for page in pages] == [2, 1, 1]


def test_the_number_of_queries_does_not_grow_with_the_page(seeded):
    counts = []
    for per_page in (1, 4):
        with executed_statements(seeded.app) as statements:
            body = table(seeded, "id", "issue", "project", dataset="errors", per_page=per_page)
        assert len(body["data"]) == per_page
        counts.append(len(statements))
    assert counts[0] == counts[1]


BAD = [
    ({"field": ["bogus()"]}, "bogus"),
    ({"field": ["p95(title)"]}, "p95"),
    ({"field": ["count(]"]}, "count(]"),
    ({"field": ["title"], "sort": "-count()"}, "sort"),
    ({"field": ["title"], "query": "(level:error"}, "parentheses"),
    ({"field": ["title"], "query": "transaction.duration:>fast"}, "transaction.duration"),
    ({"field": ["title", "count()"], "query": "count():>many"}, "count()"),
    ({"field": ["title", "count()"], "query": "count():>1 OR level:error"}, "count()"),
    ({"field": ["level"], "dataset": "transactions"}, "level"),
    ({"field": ["title"], "dataset": "spans"}, "dataset"),
    ({"field": ["tags[a'b]"]}, "tags[a'b]"),
    ({"field": ["title"], "cursor": "garbage:0:0"}, "cursor"),
]


@pytest.mark.parametrize(("params", "named"), BAD, ids=[b[1] for b in BAD])
def test_bad_input_is_a_400_naming_it(seeded, params, named):
    response = seeded.get("events/", **params)
    assert response.status_code == 400, response.json
    assert named in response.json["detail"]


def test_events_stats_series_several_axes_and_top_events(seeded):
    one = seeded.get("events-stats/", yAxis="count()", project=-1, dataset="discover", interval="1h").json
    assert sum(point[1][0]["count"] for point in one["data"]) == 9
    assert one["data"][1][0] - one["data"][0][0] == 3600 and one["meta"]["fields"] == {"count()": "integer"}
    both = seeded.get("events-stats/", yAxis=["count()", "p95(transaction.duration)"], project=-1,
                      dataset="transactions").json
    assert sorted(both) == ["count()", "p95(transaction.duration)"]
    assert sum(p[1][0]["count"] for p in both["count()"]["data"]) == 5
    assert max(p[1][0]["count"] for p in both["p95(transaction.duration)"]["data"]) == pytest.approx(1000)
    top = seeded.get("events-stats/", yAxis="count()", project=-1, dataset="transactions", topEvents=1,
                     field=["transaction", "count()"], sort="-count()").json
    assert sorted(top) == ["/api/users", "Other"]
    assert sum(p[1][0]["count"] for p in top["/api/users"]["data"]) == 3
    assert sum(p[1][0]["count"] for p in top["Other"]["data"]) == 2 and top["Other"]["order"] == 1
    issue = seeded.issues["KeyError"]["id"]
    mine = seeded.get("events-stats/", query=f"issue.id:{issue}", statsPeriod="14d", interval="1d").json
    assert sum(p[1][0]["count"] for p in mine["data"]) == 2 and len(mine["data"]) in (14, 15)
    for params, named in (({"yAxis": "title"}, "yAxis"), ({"interval": "soon"}, "interval"),
                          ({"topEvents": 3, "field": ["count()"]}, "topEvents")):
        bad = seeded.get("events-stats/", **params)
        assert bad.status_code == 400 and named in bad.json["detail"], bad.json


def test_events_timeseries_in_sentrys_shape(seeded):
    response = seeded.get("events-timeseries/", yAxis=["count()"], project=-1, dataset="transactions",
                          topEvents=2, groupBy=["transaction"], sort="-count()", interval="1h")
    assert response.status_code == 200, response.json
    body = response.json
    assert violations("get", SENTRY_TIMESERIES, 200, body) == []
    by = {tuple(g["value"] for g in s["groupBy"]): sum(v["value"] for v in s["values"]) for s in body["timeSeries"]}
    assert by == {("/api/users",): 3, ("/api/orders",): 1, (): 1} or by == {("/api/users",): 3, ("/checkout",): 1, (): 1}
    assert body["timeSeries"][0]["meta"]["interval"] == 3_600_000
    plain = seeded.get("events-timeseries/", yAxis=["count()", "avg(transaction.duration)"], project=-1,
                       dataset="transactions").json
    assert violations("get", SENTRY_TIMESERIES, 200, plain) == []
    assert [s["yAxis"] for s in plain["timeSeries"]] == ["count()", "avg(transaction.duration)"]


def test_meta_facets_and_validate(seeded):
    assert seeded.get("events-meta/", project=-1, dataset="errors", query="level:error").json == {"count": 3}
    assert seeded.get("events-meta/", project=-1, query="browser:Chrome").json == {"count": 2}
    facets = {f["key"]: f["topValues"] for f in seeded.get("events-facets/", project=-1, dataset="errors").json}
    assert facets["level"][0] == {"name": "error", "value": "error", "count": 3}
    assert {v["name"] for v in facets["browser"]} == {"Chrome", "Firefox"}
    per_project = {(row["project"], row["count()"]) for row in table(
        seeded, "project", "count()", dataset="errors")["data"]}
    assert {(v["name"], v["count"]) for v in facets["project"]} == per_project
    assert sum(v["count"] for v in facets["project"]) == 4
    ids = {made["slug"]: made["id"] for made, _ in seeded.projects.values()}
    assert all(v["value"] == ids[v["name"]] for v in facets["project"])
    ok = seeded.get("events/validate/", project=-1, dataset="errors", field=["title", "count()"],
                    query="level:error", orderby="-count()").json
    assert ok["valid"] is True and [f["attrType"] for f in ok["field"]] == ["string", "number"]
    bad = seeded.get("events/validate/", project=-1, dataset="errors", field=["bogus()"], query="(a").json
    assert bad["valid"] is False and bad["field"][0]["error"] and bad["query"]["error"]
    wrong = seeded.get("events/validate/", project=-1, dataset="transactions", field=["transaction"],
                       query="level:error", orderby="-count()").json
    assert wrong["valid"] is False and "level" in wrong["query"]["error"] and not wrong["orderby"][0]["valid"]
