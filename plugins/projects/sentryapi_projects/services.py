"""Project operations: lookups through the organization, creation, links, deletion."""

from __future__ import annotations

import uuid

from sentryapi_teams import Team, add_team, id_or_slug
from sqlalchemy import delete, select

from sentryapi.api import (
    Conflict,
    Organization,
    call_hook,
    commit_or_conflict,
    db,
    get_or_404,
    retry_on_conflict,
    unique_slug,
)

from .keys import DEFAULT_KEY_NAME, new_key
from .models import ACTIVE, PENDING_DELETION, Project, ProjectTeam

SLUG_CONFLICT = "A project with this slug already exists."


def projects_of(organization: Organization):
    """A select of the organization's active projects."""
    return select(Project).where(Project.organization_id == organization.id, Project.status == ACTIVE)


def get_project_or_404(organization: Organization, project_id_or_slug: str) -> Project:
    """The organization's active project by id or slug.

    A project of another organization, or one being deleted, is the same 404 as a
    project that never existed.
    """
    return get_or_404(projects_of(organization).where(id_or_slug(Project, project_id_or_slug)))


def team_ids_of(project: Project) -> list[int]:
    return list(db.session.scalars(select(ProjectTeam.team_id).where(ProjectTeam.project_id == project.id)))


def check_slug_free(organization_id: int, slug: str, *, project_id: int | None = None) -> None:
    other = db.session.scalar(
        select(Project.slug).where(Project.organization_id == organization_id, Project.slug == slug,
                                   Project.id != (project_id or -1))
    )
    if other is not None:
        message = f"Another project ({other}) is already using that slug"
        raise Conflict(SLUG_CONFLICT if project_id is None else message, extra={"slug": [message]})


def add_project(organization: Organization, team: Team, *, name: str, slug: str | None,
                platform: str | None) -> Project:
    """Add (flush, not commit) a project held by ``team``, with its default key."""
    if slug is None:
        slug = unique_slug(Project, name, Project.organization_id == organization.id)
    else:
        check_slug_free(organization.id, slug)
    project = Project(organization_id=organization.id, slug=slug, name=name, platform=platform)
    db.session.add(project)
    db.session.flush()
    db.session.add(ProjectTeam(project_id=project.id, team_id=team.id))
    db.session.add(new_key(project.id, DEFAULT_KEY_NAME))
    db.session.flush()
    return project


def create_project(organization: Organization, team: Team, **fields) -> Project:
    """A new project under ``team``; a taken slug is a 409."""
    with commit_or_conflict(SLUG_CONFLICT):
        project = add_project(organization, team, **fields)
    return project


def create_project_with_own_team(organization: Organization, member, username: str,
                                 **fields) -> tuple[Project, Team]:
    """A project under a new team ``team-<username>`` whose Team Admin is ``member``
    (Sentry's ``POST /organizations/{org}/projects/``)."""
    with commit_or_conflict(SLUG_CONFLICT):
        team_slug = unique_slug(Team, f"team-{username}", Team.organization_id == organization.id)
        team = add_team(organization, name=team_slug, slug=team_slug, creator=member,
                        creator_role="admin")
        project = add_project(organization, team, **fields)
    return project, team


def link_team(project: Project, team: Team) -> None:
    if db.session.scalar(select(ProjectTeam.id).where(
            ProjectTeam.project_id == project.id, ProjectTeam.team_id == team.id)) is None:
        with commit_or_conflict("The team already has access to the project."):
            db.session.add(ProjectTeam(project_id=project.id, team_id=team.id))


def unlink_team(project: Project, team: Team) -> None:
    db.session.execute(delete(ProjectTeam).where(
        ProjectTeam.project_id == project.id, ProjectTeam.team_id == team.id))
    db.session.commit()


def schedule_project_deletion(project: Project) -> None:
    """Take a project out of service now, then remove it.

    Marking it ``pending_deletion`` hides it from every endpoint, stops its keys (see
    ``find_ingest_key``) and frees its slug, in one commit. :func:`delete_project` then
    removes the rows; it runs here for now, and moves to the core's job queue unchanged.
    """
    project.status = PENDING_DELETION
    project.slug = f"{project.slug[:17]}-{uuid.uuid4().hex}"
    db.session.commit()
    delete_project(project.id)


def delete_project(project_id: int) -> None:
    """Remove a project and everything under it: one DELETE, the database cascades (keys,
    team links, bookmarks, and any other plugin's rows keyed on ``project.id``); rows that
    cannot reference this table (the core's service hooks) go through ``project_deleted``."""
    def remove():
        call_hook("project_deleted", project_id)
        db.session.execute(delete(Project).where(Project.id == project_id))
        db.session.commit()

    # A digest storing the project's last queued events may deadlock with the cascade;
    # PostgreSQL aborts one of the two, and the deletion is safe to run again.
    retry_on_conflict(remove)
