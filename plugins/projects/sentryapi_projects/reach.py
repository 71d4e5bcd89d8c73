"""Which of an organization's projects a caller reaches (lists that span projects).

The same rule as the core's ProjectEndpoint, for many projects at once: an organization
token or a member with global access (owner, manager, open membership) reaches every
project; other members the projects of their teams. Lists default to the projects of the
caller's teams unless asked otherwise (``project=-1``: every project they reach).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select

from sentryapi.api import Caller, PermissionDenied, db, ids_and_slugs

from .models import Project, ProjectTeam
from .services import projects_of

ALL_PROJECTS = "-1"


@dataclass(frozen=True)
class ProjectReach:
    caller: Caller

    @classmethod
    def of(cls, endpoint):
        return cls(Caller.of(endpoint))

    @property
    def organization(self):
        return self.caller.organization

    def all_project_ids(self) -> Select:
        return projects_of(self.organization).with_only_columns(Project.id)

    def member_project_ids(self) -> Select:
        """The projects of the caller's teams (every project for an organization token)."""
        if self.caller.member is None:
            return self.all_project_ids()
        on_my_teams = select(ProjectTeam.project_id).where(
            ProjectTeam.team_id.in_(list(self.caller.team_roles)))
        return self.all_project_ids().where(Project.id.in_(on_my_teams))

    def accessible_project_ids(self) -> Select:
        """Every project the caller can reach."""
        if self.caller.has_global_access:
            return self.all_project_ids()
        return self.member_project_ids()

    def requested_project_ids(self, requested: list[str]) -> Select:
        """The projects a list is about: the caller's by default, ``-1`` for all they reach,
        or the ones named (each must be reachable: 403 otherwise; unknown ones are dropped)."""
        if not requested:
            return self.member_project_ids()
        if ALL_PROJECTS in requested:
            return self.accessible_project_ids()
        named = self.all_project_ids().where(_named(requested))
        if self.caller.has_global_access:
            return named
        reachable = self.accessible_project_ids().where(_named(requested))
        if set(db.session.scalars(named)) != set(db.session.scalars(reachable)):
            raise PermissionDenied()
        return reachable

    def restrict(self, project_ids: list[int] | None) -> list[int] | None:
        """Project ids a list was asked for (``None``: the whole organization), limited to
        what the caller reaches: a named project out of reach is a 403."""
        if self.caller.has_global_access:
            return project_ids
        reachable = set(db.session.scalars(self.accessible_project_ids()))
        if project_ids is None:
            return sorted(reachable)
        if set(project_ids) - reachable:
            raise PermissionDenied()
        return project_ids


def _named(requested: list[str]):
    ids, slugs = ids_and_slugs(requested)
    return Project.id.in_(ids) | Project.slug.in_(slugs)
