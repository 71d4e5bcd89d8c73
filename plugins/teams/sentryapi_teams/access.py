"""Looking up an organization's members and teams named in a URL.

Who may do what on a team (roles, team roles, global access) is the core's
``sentryapi.api.Caller``; this plugin tells it which teams a member is on
(the ``member_team_roles`` hook).
"""

from __future__ import annotations

from sqlalchemy import select

from sentryapi.api import Caller, Organization, OrganizationMember, PermissionDenied, db
from sentryapi.api import parse_id as core_parse_id

from .models import TeamMember


def member_team_roles(member) -> dict[int, str | None]:
    """Team id -> stored team role, for every team ``member`` is on (one query)."""
    rows = db.session.execute(
        select(TeamMember.team_id, TeamMember.role).where(TeamMember.member_id == member.id))
    return dict(rows.all())


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
