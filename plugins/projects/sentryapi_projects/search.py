"""``query=`` keys of the project lists (Sentry's: free text, ``id:``, ``team:``...)."""

from __future__ import annotations

from sentryapi_teams import Team, TeamMember
from sentryapi_teams.search import boolean, ids_in
from sqlalchemy import select

from sentryapi.api import text_match

from .models import Project, ProjectKey, ProjectTeam

TEXT_COLUMNS = (Project.name, Project.slug)


def _with_team(condition):
    return Project.id.in_(
        select(ProjectTeam.project_id).join(Team, Team.id == ProjectTeam.team_id).where(condition)
    )


def search_keys(member_ids) -> dict:
    """Builders for each key; ``member_ids`` is a select of the caller's memberships
    (``is_member:``)."""
    return {
        "id": lambda f: ids_in(Project.id, f, f"Invalid project ID: {f.token}"),
        "slug": lambda f: text_match(Project.slug, f),
        "name": lambda f: text_match(Project.name, f),
        "platform": lambda f: text_match(Project.platform, f),
        "team": lambda f: _with_team(text_match(Team.slug, f)),
        "is_member": lambda f: boolean(f, Project.id.in_(
            select(ProjectTeam.project_id)
            .join(TeamMember, TeamMember.team_id == ProjectTeam.team_id)
            .where(TeamMember.member_id.in_(member_ids))
        )),
        "dsn": lambda f: Project.id.in_(
            select(ProjectKey.project_id).where(text_match(ProjectKey.public_key, f))
        ),
    }
