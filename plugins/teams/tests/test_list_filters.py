"""A team's members and the caller's teams: ``query`` and ``sort``."""

from __future__ import annotations

from sentryapi.testing import walk_sorted


def test_team_members_filter_by_email_and_keep_their_join_order(owner, make_actor, create_team):
    create_team(owner, slug="alpha")
    joined = [owner.user.email]
    for email in ("zed@members.example", "amy@members.example"):
        colleague = make_actor("member", organization=owner.organization, email=email)
        added = owner.api.post(f"/api/0/organizations/{owner.org}/members/{colleague.member.id}/teams/alpha/")
        assert added.status_code == 201
        joined.append(email)
    url = f"/api/0/teams/{owner.org}/alpha/members/"
    assert [m["email"] for m in owner.api.get(f"{url}?query=AMY@").json] == ["amy@members.example"]
    assert [m["email"] for m in owner.api.get(f"{url}?query=members.example").json] == joined[1:]
    assert owner.api.get(f"{url}?query=nobody").json == []
    order = {email: index for index, email in enumerate(joined)}
    oldest = walk_sorted(owner.api, url, "dateCreated", key=lambda m: order[m["email"]])
    newest = walk_sorted(owner.api, url, "-dateCreated", key=lambda m: order[m["email"]])
    assert [m["email"] for m in oldest] == joined == [m["email"] for m in reversed(newest)]
    assert owner.api.get(f"{url}?sort=email").status_code == 400


def test_user_teams_filter_by_name_or_slug_and_sort(owner, create_team):
    for slug, name in (("web", "Zebra web"), ("api", "Backend"), ("mobile", "Apps")):
        create_team(owner, slug=slug, name=name)
    url = f"/api/0/organizations/{owner.org}/user-teams/"
    assert [t["slug"] for t in owner.api.get(url).json] == ["api", "mobile", "web"]
    assert [t["slug"] for t in owner.api.get(f"{url}?query=ZEBRA").json] == ["web"]
    assert [t["slug"] for t in owner.api.get(f"{url}?query=mob").json] == ["mobile"]
    by_name = walk_sorted(owner.api, url, "name", key=lambda t: t["name"])
    assert [t["slug"] for t in by_name] == ["mobile", "api", "web"]
    walk_sorted(owner.api, url, "-slug", key=lambda t: t["slug"])
    walk_sorted(owner.api, url, "-dateCreated", key=lambda t: t["dateCreated"])
