"""Cursor pagination: Sentry's Link header, keyset walking, limits and messages."""

import re

import pytest

from sentryapi.testing import follow_links

LINK_RE = re.compile(
    r'^<([^>]+)>; rel="previous"; results="(true|false)"; cursor="(-?\d+:\d+:[01])", '
    r'<([^>]+)>; rel="next"; results="(true|false)"; cursor="(-?\d+:\d+:[01])"$'
)


@pytest.fixture
def many_orgs(app, owner):
    """The owner belongs to 250 organizations, several created in the same instant."""
    import datetime as dt

    from sentryapi.extensions import db
    from sentryapi.tenants.models import Organization, OrganizationMember

    same_instant = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with app.app_context():
        for i in range(249):
            org = Organization(name=f"Org {i:03}", slug=f"org-{i:03}",
                               date_created=same_instant if i % 3 == 0 else same_instant + dt.timedelta(seconds=i))
            db.session.add(org)
            db.session.flush()
            db.session.add(OrganizationMember(organization_id=org.id, user_id=owner.user.id, role="member"))
        db.session.commit()
    return owner


@pytest.mark.parametrize("per_page", [1, 7, 50, 100])
def test_walk_visits_every_row_once_in_order(many_orgs, per_page):
    if per_page == 1:
        per_page_pages = 250
    pages, links = follow_links(many_orgs.api, f"/api/0/organizations/?per_page={per_page}")
    ids = [o["id"] for page in pages for o in page]
    assert len(ids) == len(set(ids)) == 250
    keys = [(o["dateCreated"], int(o["id"])) for page in pages for o in page]
    assert keys == sorted(keys, reverse=True)
    assert all(len(page) <= per_page for page in pages)
    first, last = LINK_RE.match(links[0]), LINK_RE.match(links[-1])
    assert first and last
    assert first.group(2) == "false"  # no previous page on the first
    assert last.group(5) == "false"  # nothing after the last
    if per_page == 1:
        assert len(pages) == per_page_pages


def test_previous_links_walk_back(many_orgs):
    api = many_orgs.api
    first = api.get("/api/0/organizations/?per_page=40&sortBy=slug")
    second_url = LINK_RE.match(first.headers["Link"]).group(4)
    second = api.get(second_url.split("testserver.example", 1)[1])
    prev = LINK_RE.match(second.headers["Link"])
    assert prev.group(2) == "true"
    back = api.get(prev.group(1).split("testserver.example", 1)[1])
    assert back.json == first.json
    slugs = [o["slug"] for o in first.json]
    assert slugs == sorted(slugs)


def test_link_header_format_keeps_other_parameters(owner):
    r = owner.api.get("/api/0/organizations/?cursor=&query=&per_page=5")
    assert r.status_code == 200
    match = LINK_RE.match(r.headers["Link"])
    assert match, r.headers["Link"]
    assert match.group(1).startswith("http://testserver.example/api/0/organizations/?query=&per_page=5&cursor=")
    bare = owner.api.get("/api/0/organizations/").headers["Link"]
    assert "/api/0/organizations/?&cursor=" in bare  # Sentry's quirk with no other parameters


@pytest.mark.parametrize("query, detail", [
    ("per_page=0", "Invalid per_page value. Must be between 1 and 100."),
    ("per_page=101", "Invalid per_page value. Must be between 1 and 100."),
    ("per_page=abc", "Invalid per_page parameter."),
    ("per_page=99999999999999999999999", "Invalid per_page value. Must be between 1 and 100."),
    ("cursor=bad", "Invalid cursor parameter."),
    ("cursor=1:2", "Invalid cursor parameter."),
    ("cursor=1:2:3", "Invalid cursor parameter."),
    ("cursor=99999999999999999999:0:0", "Invalid cursor parameter."),
    ("cursor=1:-5:0", "Invalid cursor parameter."),
])
def test_bad_parameters(owner, query, detail):
    r = owner.api.get(f"/api/0/organizations/?{query}")
    assert (r.status_code, r.json) == (400, {"detail": detail})


def test_absurd_cursors_are_answered_cleanly(owner):
    for cursor in ("9223372036854775807:0:0", "-9223372036854775807:0:1"):
        r = owner.api.get(f"/api/0/organizations/?cursor={cursor}")
        assert (r.status_code, r.json) in ((200, []), (400, {"detail": "Invalid cursor parameter."}))
    for cursor in ("0:0:0", "0:0:1", "4102444800000000:0:0"):
        assert owner.api.get(f"/api/0/organizations/?cursor={cursor}").status_code == 200
    r = owner.api.get("/api/0/organizations/?sortBy=slug&cursor=123456789:0:0")
    assert (r.status_code, r.json) == (200, [])


def test_query_count_does_not_grow_with_page_size(many_orgs, count_queries):
    many_orgs.api.get("/api/0/")  # the token's first use records last_used_at once
    with count_queries() as one:
        assert len(many_orgs.api.get("/api/0/organizations/?per_page=1").json) == 1
    with count_queries() as hundred:
        assert len(many_orgs.api.get("/api/0/organizations/?per_page=100").json) == 100
    assert len(one) == len(hundred), hundred


def test_member_list_walks_by_id(app, owner, make_user):
    from sentryapi.extensions import db
    from sentryapi.tenants.models import OrganizationMember

    with app.app_context():
        for i in range(120):
            db.session.add(OrganizationMember(organization_id=owner.organization.id,
                                              email=f"invite{i}@example.com", role="member"))
        db.session.commit()
    pages, _ = follow_links(owner.api, f"/api/0/organizations/{owner.org}/members/?per_page=50")
    ids = [int(m["id"]) for page in pages for m in page]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) == 121
    assert [len(p) for p in pages] == [50, 50, 21]
