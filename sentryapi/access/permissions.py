"""Sentry's permission classes, declared once: scope maps per method (any one scope suffices).

A view sets ``scope_map = ProjectPermission`` (or ``{**ProjectPermission, "PUT": ...}``
where Sentry lowers one method). The per-family tuples are the maps' entries, for a view
that checks a further scope itself (``self.require_project_scope(*PROJECT_WRITE)``).
"""

from __future__ import annotations

from types import MappingProxyType


def _family(prefix: str, *, write_extra: tuple[str, ...] = ()) -> tuple[tuple[str, ...], ...]:
    read = (f"{prefix}:read", f"{prefix}:write", f"{prefix}:admin")
    return read, (f"{prefix}:write", f"{prefix}:admin", *write_extra), (f"{prefix}:admin",)


def _scope_map(read, write, admin) -> MappingProxyType:
    return MappingProxyType({"GET": read, "POST": write, "PUT": write, "DELETE": admin})


ORG_READ, ORG_WRITE, ORG_ADMIN = _family("org")
PROJECT_READ, PROJECT_WRITE, PROJECT_ADMIN = _family("project")
TEAM_READ, TEAM_WRITE, TEAM_ADMIN = _family("team")
EVENT_READ, EVENT_WRITE, EVENT_ADMIN = _family("event")
MEMBER_READ, MEMBER_WRITE, MEMBER_ADMIN = _family("member", write_extra=("member:invite",))
#: Releases, deploys and release files: CI's scopes too (``project:releases``, ``org:ci``).
RELEASE_READ = (*PROJECT_READ, "project:releases", "org:ci")
RELEASE_WRITE = (*PROJECT_WRITE, "project:releases", "org:ci")
RELEASE_ADMIN = (*PROJECT_ADMIN, "project:releases")

OrganizationPermission = _scope_map(ORG_READ, ORG_WRITE, ORG_ADMIN)
TeamPermission = _scope_map(TEAM_READ, TEAM_WRITE, TEAM_ADMIN)
ProjectPermission = _scope_map(PROJECT_READ, PROJECT_WRITE, PROJECT_ADMIN)
ProjectReleasePermission = _scope_map(RELEASE_READ, RELEASE_WRITE, RELEASE_ADMIN)
OrganizationReleasePermission = ProjectReleasePermission
ProjectEventPermission = _scope_map(EVENT_READ, EVENT_WRITE, EVENT_ADMIN)
OrganizationEventPermission = ProjectEventPermission
MemberPermission = _scope_map(MEMBER_READ, MEMBER_WRITE, MEMBER_ADMIN)
#: An organization's team list: creating a team takes org:write or team:write.
OrganizationTeamsPermission = MappingProxyType({"GET": ORG_READ, "POST": (*ORG_WRITE, "team:write")})
#: A member's membership of a team: the view then checks the caller's team role.
OrganizationMemberTeamPermission = MappingProxyType({
    "GET": (*ORG_READ, *MEMBER_READ),
    "POST": ("org:read", "org:write", "team:write"),
    "PUT": (*ORG_READ, *MEMBER_READ, "team:admin", "team:write"),
    "DELETE": (*ORG_READ, "team:admin"),
})
#: Alert rules and cron monitors (Sentry's ``OrganizationAlertRulePermission`` and
#: ``ProjectAlertRulePermission``): ``alerts:read`` / ``alerts:write`` beside the family's.
OrganizationAlertRulePermission = MappingProxyType({
    "GET": (*ORG_READ, "alerts:read"),
    **{method: ("org:read", *ORG_WRITE, "alerts:write") for method in ("POST", "PUT", "DELETE")},
})
ProjectAlertRulePermission = MappingProxyType({
    "GET": (*PROJECT_READ, "alerts:read", "alerts:write"),
    **{method: (*PROJECT_WRITE, "alerts:write") for method in ("POST", "PUT", "DELETE")},
})

__all__ = [
    "ORG_READ", "ORG_WRITE", "ORG_ADMIN", "PROJECT_READ", "PROJECT_WRITE", "PROJECT_ADMIN",
    "TEAM_READ", "TEAM_WRITE", "TEAM_ADMIN", "EVENT_READ", "EVENT_WRITE", "EVENT_ADMIN",
    "MEMBER_READ", "MEMBER_WRITE", "MEMBER_ADMIN", "RELEASE_READ", "RELEASE_WRITE", "RELEASE_ADMIN",
    "OrganizationPermission", "TeamPermission", "ProjectPermission", "ProjectReleasePermission",
    "OrganizationReleasePermission", "ProjectEventPermission", "OrganizationEventPermission",
    "MemberPermission", "OrganizationTeamsPermission", "OrganizationMemberTeamPermission",
    "OrganizationAlertRulePermission", "ProjectAlertRulePermission",
]
