"""What each scope lets an application do, in words for the consent page."""

from __future__ import annotations

from ..auth.scopes import SCOPES

SCOPE_DESCRIPTIONS = {
    "org:read": "Read your organizations' details",
    "org:write": "Change your organizations' settings",
    "org:admin": "Administer your organizations, including deleting them",
    "org:integrations": "Manage your organizations' integrations",
    "org:ci": "Create releases and upload source maps",
    "project:read": "Read projects",
    "project:write": "Create and change projects",
    "project:admin": "Administer projects, including deleting them",
    "project:releases": "Create and manage releases",
    "project:distribution": "Manage build distribution",
    "team:read": "Read teams",
    "team:write": "Create and change teams",
    "team:admin": "Administer teams, including deleting them",
    "member:read": "See organization members",
    "member:write": "Change organization members",
    "member:admin": "Add and remove organization members",
    "member:invite": "Invite new members",
    "event:read": "Read issues and events",
    "event:write": "Resolve, assign and change issues",
    "event:admin": "Delete issues and events",
    "alerts:read": "Read alert rules",
    "alerts:write": "Create and change alert rules",
}


def describe_scopes(scopes) -> list[tuple[str, str]]:
    """``(scope, description)`` pairs in the catalogue's order."""
    wanted = set(scopes)
    return [(scope, SCOPE_DESCRIPTIONS[scope]) for scope in SCOPES if scope in wanted]
