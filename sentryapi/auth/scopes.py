"""Sentry's scope catalogue and the organization roles that grant them."""

from __future__ import annotations

from dataclasses import dataclass

SCOPES: tuple[str, ...] = (
    "org:read", "org:write", "org:admin", "org:integrations", "org:ci",
    "project:read", "project:write", "project:admin", "project:releases", "project:distribution",
    "team:read", "team:write", "team:admin",
    "member:read", "member:write", "member:admin", "member:invite",
    "event:read", "event:write", "event:admin",
    "alerts:read", "alerts:write",
)


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    priority: int  # a higher number can manage every lower one
    scopes: frozenset[str]
    desc: str


_MEMBER = frozenset({
    "event:read", "event:write", "event:admin", "project:releases", "project:read",
    "org:read", "member:read", "team:read", "alerts:read", "alerts:write",
})
_ADMIN = _MEMBER | {
    "project:write", "project:admin", "team:write", "team:admin", "org:integrations",
}
_MANAGER = _ADMIN | {"member:write", "member:admin", "member:invite", "org:write"}
_OWNER = _MANAGER | {"org:admin", "project:distribution"}

ROLES: dict[str, Role] = {
    role.id: role
    for role in (
        Role("member", "Member", 1, _MEMBER,
             "Members can view and act on events, as well as view most other data within the organization."),
        Role("admin", "Admin", 2, _ADMIN,
             "Admin privileges on any teams of which they're a member."),
        Role("manager", "Manager", 3, _MANAGER,
             "Gains admin access on all teams as well as the ability to add and remove members."),
        Role("owner", "Owner", 4, _OWNER,
             "Unrestricted access to the organization, its data, and its settings."),
    )
}

DEFAULT_ROLE = "member"
TOP_ROLE = "owner"

#: Every scope a user token may carry (the owner role's, which is every scope but org:ci).
USER_TOKEN_SCOPES = tuple(s for s in SCOPES if s in _OWNER)
#: What Sentry gives organization auth tokens, and all they may ever carry: ``org:ci`` acts
#: for the organization (global access), so a team-scoped scope on it would reach every team.
ORG_TOKEN_DEFAULT_SCOPES = ("org:ci",)
ORG_TOKEN_SCOPES = frozenset(ORG_TOKEN_DEFAULT_SCOPES)

#: Scopes implied by another: org:ci lets CI tools read the organization and manage releases.
IMPLIED = {"org:ci": frozenset({"org:read", "project:releases"})}


#: Team roles (Sentry's "Contributor" and "Team Admin") and what they allow on their team
#: and its projects; an organization role may widen a member's scopes there, no further.
TEAM_ROLE_SCOPES: dict[str, frozenset[str]] = {
    "contributor": _MEMBER,
    "admin": _MEMBER | {"project:write", "project:admin", "team:write", "team:admin"},
}
TEAM_ROLES = tuple(TEAM_ROLE_SCOPES)
DEFAULT_TEAM_ROLE = "contributor"
#: Organization roles that act on every team and project (Sentry's ``is_global``).
GLOBAL_ORG_ROLES = frozenset({"manager", "owner"})


def minimum_team_role(org_role: str) -> str:
    """Sentry gives admins, managers and owners at least Team Admin on their teams."""
    return DEFAULT_TEAM_ROLE if org_role == "member" else "admin"


def effective_team_role(org_role: str, stored_role: str | None) -> str:
    floor = minimum_team_role(org_role)
    role = stored_role or DEFAULT_TEAM_ROLE
    return "admin" if "admin" in (role, floor) else role


def role_scopes(role: str) -> frozenset[str]:
    return ROLES[role].scopes


def expand(scopes) -> frozenset[str]:
    """A set of scopes plus the ones they imply."""
    out = set(scopes)
    for scope in scopes:
        out |= IMPLIED.get(scope, frozenset())
    return frozenset(out)


def can_manage(actor_role: str, target_role: str) -> bool:
    return ROLES[actor_role].priority >= ROLES[target_role].priority
