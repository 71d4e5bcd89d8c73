"""Hooks: projects in the detailed organization and team responses; the core's ``find_project``."""

from __future__ import annotations

from sentryapi_teams import id_or_slug
from sqlalchemy import select

from sentryapi.api import Caller, db

from .keys import dsn_urls
from .models import Project, ProjectKey, ProjectTeam
from .schemas import ProjectSchema
from .serializers import serialize_projects
from .services import add_project, create_project_with_own_team, projects_of, team_ids_of

#: The detailed organization embeds at most this many projects; the list endpoint pages.
EMBEDDED_PROJECTS = 1000


def organization_details(organization, member) -> dict:
    caller = Caller.for_member(organization, member)
    projects = list(db.session.scalars(
        projects_of(organization).order_by(Project.slug).limit(EMBEDDED_PROJECTS)))
    user = member.user if member is not None else None
    data = serialize_projects(projects, lambda _: caller, user=user)
    return {"projects": ProjectSchema(many=True).dump(data)}


def team_projects(teams, caller: Caller) -> dict[int, list[dict]]:
    """Each team's active projects, rendered for ``caller`` (three queries for all teams)."""
    rows = db.session.execute(
        select(ProjectTeam.team_id, Project)
        .join(Project, Project.id == ProjectTeam.project_id)
        .where(ProjectTeam.team_id.in_([team.id for team in teams]), Project.status == "active")
        .order_by(Project.slug)
    ).all()
    unique = list({project.id: project for _, project in rows}.values())
    rendered = dict(zip(
        [project.id for project in unique],
        ProjectSchema(many=True).dump(serialize_projects(unique, lambda _: caller, user=caller.user,
                                                         null_team=False)),
        strict=True,
    ))
    out: dict[int, list[dict]] = {}
    for team_id, project in rows:
        out.setdefault(team_id, []).append(rendered[project.id])
    return out


def fuzz_seed(organization, member) -> dict:
    """A project and its key for the API fuzzing tests to name in their paths."""
    project, _ = create_project_with_own_team(organization, member, "fuzz", name="Fuzz",
                                              slug="fuzz", platform=None)
    key = db.session.scalar(select(ProjectKey.public_key).where(ProjectKey.project_id == project.id))
    return {"project_id_or_slug": str(project.id), "key_id": key}


def find_project(organization, project_id_or_slug: str):
    """``(project, its team ids)`` for the core's ProjectEndpoint, or ``None`` (a 404)."""
    project = db.session.scalar(projects_of(organization).where(id_or_slug(Project, project_id_or_slug)))
    return None if project is None else (project, team_ids_of(project))


#: The project ``flask sentryapi init`` makes, so that a first event has somewhere to go.
FIRST_PROJECT = {"name": "first-project", "slug": "first-project", "platform": "python"}


def organization_initialized(organization, member, created: dict) -> None:
    """``flask sentryapi init``: a first project under the first team, and its DSN."""
    team = created.get("team")
    if team is None:
        return
    project = add_project(organization, team, **FIRST_PROJECT)
    key = db.session.scalar(select(ProjectKey.public_key).where(ProjectKey.project_id == project.id))
    created["project"] = project
    created["dsn"] = dsn_urls(key, project.id)["public"]


HOOKS = {
    "find_project": find_project,
    "organization_initialized": organization_initialized,
    "organization_details": organization_details,
    "team_projects": team_projects,
    "fuzz_seed": fuzz_seed,
}
