"""Project and key lists cost the same number of SQL queries for 1 row as for 50."""

from __future__ import annotations

import pytest
from sentryapi_projects import Project, ProjectKey, ProjectTeam
from sentryapi_projects.keys import new_key
from sentryapi_projects.models import ProjectBookmark
from sentryapi_teams import Team, TeamMember

from sentryapi.api import db


def fill(app, actor, count):
    """``count`` projects on two teams (the actor on one), each with two keys, half bookmarked."""
    with app.app_context():
        teams = [Team(organization_id=actor.organization.id, slug=slug, name=slug) for slug in ("one", "two")]
        db.session.add_all(teams)
        db.session.flush()
        db.session.add(TeamMember(team_id=teams[0].id, member_id=actor.member.id))
        for n in range(count):
            project = Project(organization_id=actor.organization.id, slug=f"p-{n:03d}", name=f"P {n}",
                              platform="python")
            db.session.add(project)
            db.session.flush()
            db.session.add_all([ProjectTeam(project_id=project.id, team_id=team.id) for team in teams])
            db.session.add_all([new_key(project.id, "Default"), new_key(project.id, "Second")])
            if n % 2 == 0:
                db.session.add(ProjectBookmark(project_id=project.id, user_id=actor.user.id))
        db.session.commit()


PATHS = [
    ("/api/0/organizations/{org}/projects/", 1),
    ("/api/0/projects/", 1),
    ("/api/0/teams/{org}/one/projects/", 1),
    ("/api/0/projects/{org}/p-000/keys/", 0),
    ("/api/0/organizations/{org}/project-keys/", 2),
    ("/api/0/organizations/{org}/teams/", 0),
    ("/api/0/organizations/{org}/", 0),
]


@pytest.mark.parametrize("path, rows_per_project", PATHS)
def test_lists_run_constant_queries(app, make_actor, count_queries, path, rows_per_project):
    counts = []
    for size in (1, 50):
        actor = make_actor("owner")
        fill(app, actor, size)
        url = path.format(org=actor.org)
        actor.api.get(url)  # a token's first use is recorded; not part of the list's cost
        with count_queries() as statements:
            response = actor.api.get(url)
        assert response.status_code == 200, response.json
        if rows_per_project:
            assert len(response.json) == size * rows_per_project
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_a_key_list_page_is_constant_too(app, make_actor, count_queries):
    counts = []
    for extra_keys in (0, 49):
        actor = make_actor("owner")
        fill(app, actor, 1)
        with app.app_context():
            project_id = db.session.query(Project.id).filter_by(organization_id=actor.organization.id).scalar()
            db.session.add_all([new_key(project_id) for _ in range(extra_keys)])
            db.session.commit()
        url = f"/api/0/projects/{actor.org}/p-000/keys/"
        actor.api.get(url)
        with count_queries() as statements:
            response = actor.api.get(url)
        assert len(response.json) == 2 + extra_keys
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    with app.app_context():
        assert db.session.query(ProjectKey).count() == 2 + 2 + 49
