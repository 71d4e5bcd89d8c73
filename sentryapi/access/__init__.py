"""The access layer: who is calling, their organization, and team-scoped project access."""

from . import permissions
from .caller import TEAM_WRITE_SCOPES, Caller
from .endpoints import ProjectEndpoint, find_project
from .organizations import match_id_or_slug, memberships, resolve_organization

__all__ = [
    "TEAM_WRITE_SCOPES", "Caller", "ProjectEndpoint", "find_project", "match_id_or_slug",
    "memberships", "permissions", "resolve_organization",
]
