"""Team lists cost the same number of SQL queries for 1 row as for 50."""

from __future__ import annotations

import pytest
from sentryapi_teams import Team, TeamMember

from sentryapi.api import OrganizationMember, db


def fill(app, actor, count):
    """``count`` teams in the actor's organization, each with the actor and one more member."""
    with app.app_context():
        extra = OrganizationMember(organization_id=actor.organization.id, email="x@example.com")
        db.session.add(extra)
        db.session.flush()
        for n in range(count):
            team = Team(organization_id=actor.organization.id, slug=f"team-{n:03d}", name=f"Team {n}")
            db.session.add(team)
            db.session.flush()
            db.session.add_all([TeamMember(team_id=team.id, member_id=actor.member.id, role="admin"),
                                TeamMember(team_id=team.id, member_id=extra.id)])
        db.session.commit()


@pytest.mark.parametrize("path", [
    "/api/0/organizations/{org}/teams/",
    "/api/0/organizations/{org}/teams/?detailed=0",
    "/api/0/organizations/{org}/user-teams/",
    "/api/0/organizations/{org}/",
])
def test_team_lists_run_constant_queries(app, make_actor, count_queries, path):
    small, large = make_actor("owner"), make_actor("owner")
    fill(app, small, 1)
    fill(app, large, 50)
    counts = []
    for actor, rows in ((small, 1), (large, 50)):
        url = path.format(org=actor.org)
        actor.api.get(url)  # first use of a token records it; not part of the list's cost
        with count_queries() as statements:
            response = actor.api.get(url)
        assert response.status_code == 200
        body = response.json if isinstance(response.json, list) else response.json["teams"]
        assert len(body) == rows
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_team_members_list_runs_constant_queries(app, make_actor, count_queries):
    counts = []
    for size in (1, 50):
        owner = make_actor("owner")
        owner.api.post(f"/api/0/organizations/{owner.org}/teams/", json={"slug": "big"})
        inviter = owner
        for _ in range(size - 1):
            colleague = make_actor("member", organization=owner.organization)
            inviter.api.post(f"/api/0/organizations/{owner.org}/members/{colleague.member.id}/teams/big/")
        url = f"/api/0/teams/{owner.org}/big/members/"
        owner.api.get(url)
        with count_queries() as statements:
            response = owner.api.get(url)
        assert len(response.json) == size
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
