"""Who is calling, in one organization, and what they may do on its teams and projects.

Sentry's rules (``sentry.auth.access``): a caller has *global access* when they are an
organization token, an owner or manager, or any member while open membership is on.
Global access reaches every team and project of the organization; otherwise a member
reaches the teams they are on and those teams' projects. On what they reach, a caller
acts with their scopes (the token's, within the organization role); a team role can
widen them on its team and the team's projects, never beyond what the token allows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from ..auth.scopes import GLOBAL_ORG_ROLES, TEAM_ROLE_SCOPES, effective_team_role, role_scopes
from ..exceptions import PermissionDenied
from ..tenants.models import Organization, OrganizationMember
from ..web.hooks import call_hook

#: Writes a caller without global access has only on teams they are on.
TEAM_WRITE_SCOPES = frozenset({"project:write", "project:admin", "team:write", "team:admin"})


@dataclass(frozen=True)
class Caller:
    """The caller in one organization: membership (``None`` for an organization token)
    and effective scopes (token scopes within the member's role)."""

    organization: Organization
    member: OrganizationMember | None
    scopes: frozenset[str]
    user: object | None = None
    #: What the token allows before the role narrows it; a team role can widen the
    #: role's scopes on its team, never beyond these.
    token_scopes: frozenset[str] = frozenset()
    #: ``team_roles`` when already known (several callers built from one query).
    preloaded_team_roles: dict[int, str | None] | None = field(default=None, compare=False)

    @classmethod
    def of(cls, endpoint) -> Caller:
        token_scopes = endpoint.credentials.scopes if endpoint.credentials else frozenset()
        return cls(endpoint.organization, endpoint.member, frozenset(endpoint.scopes),
                   endpoint.user, frozenset(token_scopes))

    @classmethod
    def for_member(cls, organization, member) -> Caller:
        """A caller known only by membership (hooks): the role's scopes."""
        scopes = role_scopes(member.role) if member is not None else frozenset()
        return cls(organization, member, scopes, member.user if member is not None else None, scopes)

    def has_scope(self, *scopes: str) -> bool:
        return bool(self.scopes.intersection(scopes))

    @property
    def open_membership(self) -> bool:
        return bool(self.organization.option("openMembership"))

    @property
    def has_global_access(self) -> bool:
        if self.member is None:
            return True  # an organization token acts for the whole organization (org:ci only)
        return self.member.role in GLOBAL_ORG_ROLES or self.open_membership

    @cached_property
    def team_roles(self) -> dict[int, str | None]:
        """Team id -> stored team role, for every team the caller is on.

        The plugin that has teams answers the ``member_team_roles`` hook; without one,
        nobody is on a team.
        """
        if self.preloaded_team_roles is not None:
            return self.preloaded_team_roles
        if self.member is None:
            return {}
        roles: dict[int, str | None] = {}
        for answer in call_hook("member_team_roles", self.member):
            roles.update(answer or {})
        return roles

    def team_scopes(self, team_id: int) -> frozenset[str]:
        """What the caller's team role allows on that team, within the token ({} if not on it)."""
        if self.member is None or team_id not in self.team_roles:
            return frozenset()
        role = effective_team_role(self.member.role, self.team_roles[team_id])
        return self.token_scopes & TEAM_ROLE_SCOPES[role]

    def team_access(self, team_id: int) -> tuple[bool, list[str]]:
        """``(hasAccess, access)`` for a team, as Sentry's team serializer computes them."""
        if self.member is None:
            return True, sorted(self.scopes)
        has_access = team_id in self.team_roles or self.has_global_access
        if not has_access:
            return False, []
        role = effective_team_role(self.member.role, self.team_roles.get(team_id))
        return True, sorted(TEAM_ROLE_SCOPES[role])

    def scopes_via(self, team_ids: Iterable[int]) -> frozenset[str]:
        """Scopes on something these teams hold: a team, or a project of theirs.

        Not on any of them: the role's scopes, less the team and project write scopes
        unless the caller has global access (Sentry's ``has_team_scope``). On one of
        them: the role's plus that team role's, within what the token allows.
        """
        scopes = self.scopes if self.has_global_access else self.scopes - TEAM_WRITE_SCOPES
        for team_id in team_ids:
            if team_id in self.team_roles:
                scopes |= self.scopes | self.team_scopes(team_id)
        return scopes

    def has_scope_via(self, team_ids: Iterable[int], *scopes: str) -> bool:
        return bool(self.scopes_via(team_ids).intersection(scopes))

    def require_scope_via(self, team_ids: Iterable[int], *scopes: str) -> None:
        if not self.has_scope_via(team_ids, *scopes):
            raise PermissionDenied()

    # projects (Sentry's ProjectPermission)

    def has_project_access(self, team_ids: Iterable[int]) -> bool:
        """Whether the caller reaches a project held by ``team_ids`` at all."""
        return self.has_global_access or any(team_id in self.team_roles for team_id in team_ids)

    def has_project_scope(self, team_ids: Iterable[int], *scopes: str) -> bool:
        """Any of ``scopes`` on a project held by ``team_ids``: the project must be in
        reach, then the caller's scopes, or a team role on one of its teams, must allow it."""
        team_ids = list(team_ids)
        if not self.has_project_access(team_ids):
            return False
        if self.has_scope(*scopes):
            return True
        return any(self.team_scopes(team_id).intersection(scopes) for team_id in team_ids)

    def require_project_scope(self, team_ids: Iterable[int], *scopes: str) -> None:
        if not self.has_project_scope(team_ids, *scopes):
            raise PermissionDenied()
