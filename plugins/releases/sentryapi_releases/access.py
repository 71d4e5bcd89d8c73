"""Which projects, and so which releases, a caller may work with.

Sentry's rules: a release belongs to the organization but is seen through its projects.
An organization token, or a member with global access (owner, manager, open
membership), reaches every project; other members reach the projects of their teams.
Reading a release takes access to one of its projects, changing it access to all.
Lists and new releases use the projects of the caller's teams unless asked otherwise
(``project=-1`` means every project the caller can reach).
"""

from __future__ import annotations

from dataclasses import dataclass

from sentryapi_projects import Project, ProjectTeam, projects_of
from sentryapi_teams import Caller
from sqlalchemy import Select, exists, select

from sentryapi.api import PermissionDenied, db, ids_and_slugs

from .models import Release, ReleaseProject

ALL_PROJECTS = "-1"


@dataclass(frozen=True)
class ReleaseAccess:
    caller: Caller

    @classmethod
    def of(cls, endpoint) -> ReleaseAccess:
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
        reachable = self.accessible_project_ids().where(_named(requested))
        if self.caller.has_global_access:
            return named
        if set(db.session.scalars(named)) != set(db.session.scalars(reachable)):
            raise PermissionDenied()
        return reachable

    def can_read(self, release: Release) -> bool:
        """Access to one of the release's projects."""
        if self.caller.has_global_access:
            return True
        return bool(db.session.scalar(select(exists().where(
            ReleaseProject.release_id == release.id,
            ReleaseProject.project_id.in_(self.member_project_ids())))))

    def can_write(self, release: Release) -> bool:
        """Access to every one of the release's projects (and it has some)."""
        if self.caller.has_global_access:
            return True
        mine = self.member_project_ids()
        rows = db.session.execute(select(
            exists().where(ReleaseProject.release_id == release.id),
            exists().where(ReleaseProject.release_id == release.id,
                           ReleaseProject.project_id.not_in(mine)),
        )).one()
        return rows[0] and not rows[1]


def _named(requested: list[str]):
    ids, slugs = ids_and_slugs(requested)
    return Project.id.in_(ids) | Project.slug.in_(slugs)
