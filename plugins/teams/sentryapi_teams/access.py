"""Who is calling and what they may do with a team: Sentry's team roles and global access.

An organization member sees every team. Writing to a team (or to a project through its
teams) takes the scopes the endpoint names, and, unless the caller has *global access*
(owner or manager role, open membership, or an organization token), membership in that
team: Sentry's "Admin privileges on any teams of which they're a member".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import select

from sentryapi.api import (
    Organization,
    OrganizationMember,
    PermissionDenied,
    User,
    db,
    role_scopes,
)
from sentryapi.api import parse_id as core_parse_id

from .models import TeamMember

CONTRIBUTOR_SCOPES = frozenset({
    "event:read", "event:write", "event:admin", "project:releases", "project:read", "org:read",
    "member:read", "team:read", "alerts:read", "alerts:write",
})
TEAM_ROLE_SCOPES = {
    "contributor": CONTRIBUTOR_SCOPES,
    "admin": CONTRIBUTOR_SCOPES | {"project:write", "project:admin", "team:write", "team:admin"},
}
TEAM_ROLES = tuple(TEAM_ROLE_SCOPES)
DEFAULT_TEAM_ROLE = "contributor"
#: Writes a caller without global access has only on teams they are on.
TEAM_WRITE_SCOPES = frozenset({"project:write", "project:admin", "team:write", "team:admin"})
#: Organization roles that act on every team (Sentry's ``is_global``).
GLOBAL_ORG_ROLES = frozenset({"manager", "owner"})


def minimum_team_role(org_role: str) -> str:
    """Sentry gives admins, managers and owners at least Team Admin on their teams."""
    return DEFAULT_TEAM_ROLE if org_role == "member" else "admin"


def effective_team_role(org_role: str, stored_role: str | None) -> str:
    floor = minimum_team_role(org_role)
    role = stored_role or DEFAULT_TEAM_ROLE
    return "admin" if "admin" in (role, floor) else role


@dataclass(frozen=True)
class Caller:
    """The caller in one organization: membership (``None`` for an organization token)
    and effective scopes (token scopes within the member's role)."""

    organization: Organization
    member: OrganizationMember | None
    scopes: frozenset[str]
    user: User | None = None
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
            return True  # an organization token acts for the whole organization
        return self.member.role in GLOBAL_ORG_ROLES or self.open_membership

    @cached_property
    def team_roles(self) -> dict[int, str | None]:
        """Team id -> stored team role, for every team the caller is on (one query)."""
        if self.preloaded_team_roles is not None:
            return self.preloaded_team_roles
        if self.member is None:
            return {}
        rows = db.session.execute(
            select(TeamMember.team_id, TeamMember.role).where(TeamMember.member_id == self.member.id)
        )
        return dict(rows.all())

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
        if self.member is None:
            return scopes
        for team_id in team_ids:
            if team_id in self.team_roles:
                role = effective_team_role(self.member.role, self.team_roles[team_id])
                scopes |= self.scopes | (self.token_scopes & TEAM_ROLE_SCOPES[role])
        return scopes

    def has_scope_via(self, team_ids: Iterable[int], *scopes: str) -> bool:
        return bool(self.scopes_via(team_ids).intersection(scopes))

    def require_scope_via(self, team_ids: Iterable[int], *scopes: str) -> None:
        if not self.has_scope_via(team_ids, *scopes):
            raise PermissionDenied()


def member_of(organization: Organization, member_id: str, caller: Caller):
    """A select of the organization's member ``member_id`` (``me`` is the caller)."""
    stmt = select(OrganizationMember).where(OrganizationMember.organization_id == organization.id)
    if member_id == "me":
        if caller.member is None:
            raise PermissionDenied("Organization tokens have no membership.")
        return stmt.where(OrganizationMember.id == caller.member.id)
    return stmt.where(OrganizationMember.id == parse_id(member_id))


def parse_id(value: str) -> int:
    """A numeric id from a URL, or -1 (matches nothing) for anything else."""
    number = core_parse_id(value)
    return -1 if number is None else number


def id_or_slug(model, value: str):
    """``model.id == value`` for all-digit values (slugs never are), else the slug."""
    if value.isascii() and value.isdigit():
        return model.id == parse_id(value)
    return model.slug == value
