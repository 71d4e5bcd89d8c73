"""Issues API: lists with search and sorts, pagination, detail, updates, deletes, regression."""

from __future__ import annotations

import datetime as dt

import pytest
from sentryapi_events.models import Event, Group
from sentryapi_events.testing import exception_event

from sentryapi.testing import follow_links

PROJECT_ISSUES = "/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/issues/"
ORG_ISSUES = "/api/0/organizations/{organization_id_or_slug}/issues/"
ISSUE = "/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/"


@pytest.fixture
def issues(sentry_project, digest):
    """Three issues: a KeyError seen 3 times by 2 users, a ValueError, an info message."""
    p = sentry_project
    for user in ("1", "2", "2"):
        assert p.send_event(exception_event(user={"id": user}, release="1.0",
                                            environment="prod", tags={"team": "core"})).status_code == 200
    response = p.send_event(exception_event("ValueError", "bad value", function="parse",
                                            release="2.0", environment="staging"))
    assert response.status_code == 200, response.json
    response = p.send_event({"message": "disk almost full", "level": "warning", "logger": "ops"})
    assert response.status_code == 200, response.json
    digest()
    listed = p.api.get(f"/api/0/projects/{p.org}/{p.slug}/issues/?query=").json
    return {issue["title"]: issue for issue in listed}


def project_list(p, query=None, **params):
    url = f"/api/0/projects/{p.org}/{p.slug}/issues/"
    args = dict(params)
    if query is not None:
        args["query"] = query
    from urllib.parse import urlencode

    response = p.api.get(url + ("?" + urlencode(args) if args else ""))
    return response


def titles(response) -> list[str]:
    assert response.status_code == 200, response.json
    return [issue["title"] for issue in response.json]


def test_lists_conform_to_sentry(sentry_project, issues, sentry_conforms):
    p = sentry_project
    response = project_list(p)
    assert sentry_conforms("GET", PROJECT_ISSUES, 200, response.json) == []
    response = p.api.get(f"/api/0/organizations/{p.org}/issues/?query=")
    assert len(response.json) == 3
    problems = sentry_conforms("GET", ORG_ISSUES, 200, response.json)
    # Sentry documents `owners` as an object but sends null when there are no owners.
    assert [x for x in problems if "owners" not in x] == []


def test_counts_users_stats_and_short_ids(sentry_project, issues):
    key_error = issues["KeyError: 'missing'"]
    assert (key_error["count"], key_error["userCount"]) == ("3", 2)
    assert key_error["shortId"].startswith("BACKEND-")
    assert sum(count for _, count in key_error["stats"]["24h"]) == 3
    assert len(key_error["stats"]["24h"]) == 24
    days = project_list(sentry_project, "", statsPeriod="14d").json
    assert all(len(issue["stats"]["14d"]) == 14 for issue in days)
    none = project_list(sentry_project, "", statsPeriod="").json
    assert all("stats" not in issue for issue in none)
    assert project_list(sentry_project, "", statsPeriod="3y").status_code == 400


@pytest.mark.parametrize("query, expected", [
    (None, {"KeyError: 'missing'", "ValueError: bad value", "disk almost full"}),
    ("level:warning", {"disk almost full"}),
    ("!level:warning", {"KeyError: 'missing'", "ValueError: bad value"}),
    ("release:1.0", {"KeyError: 'missing'"}),
    ("environment:staging", {"ValueError: bad value"}),
    ("team:core", {"KeyError: 'missing'"}),
    ("bad value", {"ValueError: bad value"}),
    ("timesSeen:>2", {"KeyError: 'missing'"}),
    ("firstSeen:-1h", {"KeyError: 'missing'", "ValueError: bad value", "disk almost full"}),
    ("firstSeen:+1h", set()),
    ("is:resolved", set()),
    ("assigned:none level:error", {"KeyError: 'missing'", "ValueError: bad value"}),
    ("assigned:me", set()),
    ("user.id:2", {"KeyError: 'missing'"}),
    ("has:team", {"KeyError: 'missing'"}),
    ("release:[1.0, 2.0]", {"KeyError: 'missing'", "ValueError: bad value"}),
    ("release:2*", {"ValueError: bad value"}),
])
def test_search(sentry_project, issues, query, expected):
    assert set(titles(project_list(sentry_project, query))) == expected


@pytest.mark.parametrize("query", ["is:sideways", "firstSeen:yesterday-ish", "timesSeen:>many",
                                   'level:"unclosed', "issue:notashortid"])
def test_bad_query_names_the_token(sentry_project, issues, query):
    response = project_list(sentry_project, query)
    assert response.status_code == 400
    token = query.split(":")[0]
    assert token.strip('"') in response.json["detail"]


def test_sorts(sentry_project, issues):
    assert titles(project_list(sentry_project, "", sort="freq"))[0] == "KeyError: 'missing'"
    assert titles(project_list(sentry_project, "", sort="user"))[0] == "KeyError: 'missing'"
    newest_first = titles(project_list(sentry_project, "", sort="new"))
    assert newest_first[0] == "disk almost full"
    assert titles(project_list(sentry_project, "", sort="date"))[0] == "disk almost full"
    assert project_list(sentry_project, "", sort="sideways").status_code == 400


@pytest.mark.parametrize("sort", ["date", "new", "freq", "user"])
def test_every_sort_pages_with_cursors(sentry_project, digest, sort):
    p = sentry_project
    for n in range(7):
        for _ in range(n % 3 + 1):
            p.send_event(exception_event(f"Error{n}", function=f"f{n}"))
    digest()
    pages, links = follow_links(p.api, f"/api/0/projects/{p.org}/{p.slug}/issues/?query=&sort={sort}&limit=2")
    seen = [issue["id"] for page in pages for issue in page]
    assert len(seen) == 7 == len(set(seen))
    assert len(pages) == 4
    assert project_list(p, "", limit=101).status_code == 400


def test_query_count_does_not_grow_with_page_size(sentry_project, digest, count_queries):
    p = sentry_project
    for n in range(12):
        p.send_event(exception_event(f"Error{n}", function=f"f{n}", user={"id": str(n)}))
    digest()
    p.api.get("/api/0/")
    with count_queries() as one:
        assert len(project_list(p, "", limit=1).json) == 1
    with count_queries() as many:
        assert len(project_list(p, "", limit=12).json) == 12

    def of_the_page(statements):  # not the background digest polling its queue meanwhile
        return [s for s in statements if "ingest_event" not in s]

    assert len(of_the_page(one)) == len(of_the_page(many)), many


def test_update_resolve_regress_and_ignore(sentry_project, issues, digest, sentry_conforms):
    p = sentry_project
    key_error = issues["KeyError: 'missing'"]
    url = f"/api/0/organizations/{p.org}/issues/{key_error['id']}/"
    response = p.api.put(url, json={"status": "resolved"})
    assert response.status_code == 200, response.json
    assert response.json["status"] == "resolved"
    assert titles(project_list(p, "is:resolved")) == ["KeyError: 'missing'"]
    assert "KeyError: 'missing'" not in titles(project_list(p))
    p.send_event(exception_event())  # the same error again: a regression
    digest()
    detail = p.api.get(url).json
    assert (detail["status"], detail["substatus"], detail["count"]) == ("unresolved", "regressed", "4")
    response = p.api.put(url, json={"status": "ignored", "ignoreDuration": 30})
    assert response.json["status"] == "ignored"
    assert response.json["statusDetails"]["ignoreDuration"] == 30
    assert sentry_conforms("PUT", ISSUE, 200, response.json) == []


def test_assign_bookmark_and_seen(sentry_project, issues, owner):
    p = sentry_project
    issue_id = issues["ValueError: bad value"]["id"]
    url = f"/api/0/organizations/{p.org}/issues/{issue_id}/"
    response = p.api.put(url, json={"assignedTo": owner.user.email, "isBookmarked": True,
                                    "hasSeen": True})
    assert response.status_code == 200, response.json
    assert response.json["assignedTo"]["id"] == str(owner.user.id)
    assert response.json["isBookmarked"] and response.json["hasSeen"]
    assert titles(project_list(p, "assigned:me")) == ["ValueError: bad value"]
    assert titles(project_list(p, "bookmarks:me")) == ["ValueError: bad value"]
    assert titles(project_list(p, f"assigned:{owner.user.email}")) == ["ValueError: bad value"]
    response = p.api.put(url, json={"assignedTo": "nobody@example.com"})
    assert response.status_code == 400 and "assignedTo" in response.json
    assert p.api.put(url, json={"assignedTo": ""}).json["assignedTo"] is None
    assert p.api.put(url, json={"status": "sideways"}).status_code == 400


def test_bulk_update_and_delete(sentry_project, issues, rows):
    p = sentry_project
    base = f"/api/0/projects/{p.org}/{p.slug}/issues/"
    ids = [issues["KeyError: 'missing'"]["id"], issues["ValueError: bad value"]["id"]]
    response = p.api.put(f"{base}?id={ids[0]}&id={ids[1]}", json={"status": "resolved"})
    assert response.status_code == 200
    assert response.json["status"] == "resolved"
    assert set(titles(project_list(p, "is:resolved"))) == {"KeyError: 'missing'", "ValueError: bad value"}
    # By query (sentry-cli's `issues resolve --all` sends no id).
    assert p.api.put(f"{base}?status=unresolved", json={"status": "ignored"}).status_code == 200
    assert titles(project_list(p, "is:ignored")) == ["disk almost full"]
    assert p.api.put(f"{base}?id=999999", json={"status": "resolved"}).status_code == 204
    assert p.api.delete(f"{base}?id={ids[0]}").status_code == 204
    assert rows(Group) == 2
    assert rows(Event) == 2
    assert p.api.delete(f"/api/0/organizations/{p.org}/issues/?query=").status_code == 204
    assert rows(Group) == 0 and rows(Event) == 0


def test_issue_detail_legacy_path_and_delete(sentry_project, issues, sentry_conforms, rows):
    p = sentry_project
    issue = issues["KeyError: 'missing'"]
    detail = p.api.get(f"/api/0/organizations/{p.org}/issues/{issue['id']}/")
    assert detail.status_code == 200
    assert sentry_conforms("GET", ISSUE, 200, detail.json) == []
    tags = {tag["key"]: tag for tag in detail.json["tags"]}
    assert tags["user"]["uniqueValues"] == 2 and tags["user"]["totalValues"] == 3
    assert tags["release"]["topValues"][0]["value"] == "1.0"
    assert p.api.get(f"/api/0/issues/{issue['id']}/").json["id"] == issue["id"]
    short = p.api.get(f"/api/0/organizations/{p.org}/issues/{issue['shortId']}/")
    assert short.json["id"] == issue["id"]
    assert p.api.delete(f"/api/0/issues/{issue['id']}/").status_code == 202
    assert p.api.get(f"/api/0/issues/{issue['id']}/").status_code == 404
    assert rows(Group) == 2


def test_other_organizations_get_404(sentry_project, issues, make_actor):
    stranger = make_actor("owner")
    issue_id = issues["KeyError: 'missing'"]["id"]
    p = sentry_project
    for path in (f"/api/0/organizations/{stranger.org}/issues/{issue_id}/",
                 f"/api/0/issues/{issue_id}/",
                 f"/api/0/organizations/{stranger.org}/issues/{issue_id}/events/latest/",
                 f"/api/0/issues/{issue_id}/events/latest/"):
        assert stranger.api.get(path).status_code == 404, path
        # The latest event is read-only (405 before any lookup); an issue is another tenant's: 404.
        expected = 405 if path.endswith("/events/latest/") else 404
        assert stranger.api.put(path, json={"status": "resolved"}).status_code == expected, path
    assert stranger.api.get(f"/api/0/organizations/{stranger.org}/issues/?query=").json == []
    assert stranger.api.put(f"/api/0/organizations/{stranger.org}/issues/?id={issue_id}",
                            json={"status": "resolved"}).status_code == 204
    assert p.api.get(f"/api/0/issues/{issue_id}/").json["status"] == "unresolved"


def test_scopes(sentry_project, issues, make_token, owner):
    p = sentry_project
    read_only = p.api.as_(make_token(owner.user, ["event:read"]))
    url = f"/api/0/projects/{p.org}/{p.slug}/issues/"
    assert read_only.get(url).status_code == 200
    assert read_only.put(url, json={"status": "resolved"}).status_code == 403
    assert read_only.delete(url).status_code == 403
    no_events = p.api.as_(make_token(owner.user, ["org:read"]))
    assert no_events.get(url).status_code == 403


def test_ignored_issue_comes_back_after_its_duration(sentry_project, issues, digest, app):
    p = sentry_project
    issue = issues["ValueError: bad value"]
    url = f"/api/0/organizations/{p.org}/issues/{issue['id']}/"
    p.api.put(url, json={"status": "ignored", "ignoreDuration": 5})
    from sentryapi.api import db

    with app.app_context():
        group = db.session.get(Group, int(issue["id"]))
        group.ignore_until = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        db.session.commit()
    p.send_event(exception_event("ValueError", "bad value", function="parse"))
    digest()
    assert p.api.get(url).json["status"] == "unresolved"


def test_non_ascii_digits_name_no_project_issue_or_user(owner, sentry_project):
    """'³'.isdigit() is true but int('³') fails: each of these was a 500 (found by fuzzing)."""
    issues = f"/api/0/organizations/{owner.org}/issues/"
    api = owner.api.unchecked()
    assert api.get(issues + "?project=\u00b3").status_code == 200
    # '³' names no project, issue or user: nothing matches, as for any unknown slug.
    assert api.delete(issues + "?project=\u00b3&id=\u00b3").status_code == 204
    assert api.get(issues + "?query=assigned:\u00b3").json == []
    assert api.get(issues + "\u00b3/").status_code == 404
    assert api.get(f"/api/0/organizations/{owner.org}/teams/?query=id:\u00b3").status_code == 400


def test_organization_list_takes_start_and_end(sentry_project, issues, app):
    p = sentry_project
    url = f"/api/0/organizations/{p.org}/issues/?query="
    month_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    with app.app_context():
        from sentryapi.api import db

        old = db.session.scalars(db.select(Group).where(Group.title.like("ValueError%"))).one()
        old.last_seen = old.first_seen = month_ago
        db.session.commit()

    def titles(**params):
        query = "".join(f"&{k}={v}" for k, v in params.items())
        listed = p.api.get(url + query)
        assert listed.status_code == 200, listed.json
        return sorted(i["title"].split(":")[0] for i in listed.json)

    week_ago = (month_ago + dt.timedelta(days=23)).strftime("%Y-%m-%dT%H:%M:%S")
    two_months = (month_ago - dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S")
    assert "ValueError" not in titles(start=week_ago) and len(titles(start=week_ago)) == 2
    assert titles(start=two_months, end=week_ago) == ["ValueError"]
    assert len(titles(start=two_months)) == 3
    assert len(titles(start=week_ago, statsPeriod="90d")) == 3  # statsPeriod wins
    assert p.api.get(f"{url}&start={week_ago}&end={two_months}").status_code == 400
    assert p.api.get(f"{url}&start=yesterday").status_code == 400
    expanded = p.api.get(f"{url}&expand=owners&expand=inbox&expand=latestEventHasAttachments")
    assert expanded.status_code == 200
    assert [i["latestEventHasAttachments"] for i in expanded.json] == [False] * 3
    assert p.api.get(f"{url}&expand=everything").status_code == 400


def test_organization_list_statsperiod_is_a_date_range(sentry_project, issues, app):
    """``statsPeriod`` filters by when issues were seen; ``groupStatsPeriod`` alone picks the
    sparkline buckets; ``collapse`` leaves parts out (the ``sentry`` CLI sends all three)."""
    p = sentry_project
    url = f"/api/0/organizations/{p.org}/issues/?query="
    with app.app_context():
        from sentryapi.api import db

        old = db.session.scalars(db.select(Group).where(Group.title.like("ValueError%"))).one()
        old.last_seen = old.first_seen = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
        db.session.commit()
    for period in ("14d", "1w", "24h"):
        listed = p.api.get(f"{url}&statsPeriod={period}")
        assert listed.status_code == 200, listed.json
        assert len(listed.json) == 2 and all("ValueError" not in i["title"] for i in listed.json)
        assert list(listed.json[0]["stats"]) == ["24h"]
    assert len(p.api.get(f"{url}&statsPeriod=90d").json) == 3
    assert p.api.get(f"{url}&statsPeriod=soon").status_code == 400
    days = p.api.get(f"{url}&statsPeriod=90d&groupStatsPeriod=14d").json
    assert list(days[0]["stats"]) == ["14d"] and len(days[0]["stats"]["14d"]) == 14
    slim = p.api.get(f"{url}&statsPeriod=90d&collapse=stats&collapse=lifetime"
                     "&collapse=filtered&collapse=unhandled").json
    assert len(slim) == 3
    assert not {"stats", "lifetime", "filtered", "isUnhandled"} & set(slim[0])
    assert p.api.get(f"/api/0/projects/{p.org}/{p.slug}/issues/?query=&statsPeriod=90d"
                     ).status_code == 400  # a project's list: statsPeriod is still the buckets
