"""Render teams as Sentry does, a whole page at once (a fixed number of queries)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import func, select

from sentryapi.api import (
    Caller,
    OrganizationMember,
    call_hook,
    db,
    effective_team_role,
    serialize_member,
    serialize_organization,
)

from .models import Team, TeamMember

LETTER_AVATAR = {"avatarType": "letter_avatar", "avatarUuid": None, "avatarUrl": None}


def member_counts(team_ids: Sequence[int]) -> dict[int, int]:
    """Members on each team, invitations not counted (one query)."""
    if not team_ids:
        return {}
    rows = db.session.execute(
        select(TeamMember.team_id, func.count(TeamMember.id))
        .join(OrganizationMember, OrganizationMember.id == TeamMember.member_id)
        .where(TeamMember.team_id.in_(team_ids), OrganizationMember.user_id.is_not(None))
        .group_by(TeamMember.team_id)
    )
    return dict(rows.all())


def team_projects(teams: Sequence[Team], caller: Caller) -> dict[int, list[dict]]:
    """Each team's projects, from whichever plugin knows projects (the ``team_projects`` hook)."""
    merged: dict[int, list[dict]] = {}
    for contributed in call_hook("team_projects", teams, caller):
        for team_id, projects in contributed.items():
            merged.setdefault(team_id, []).extend(projects)
    return merged


def serialize_teams(teams: Sequence[Team], caller: Caller, *,
                    expand: Collection[str] = ()) -> list[dict]:
    """Teams of ``caller.organization``; ``expand`` may hold projects, externalTeams, organization."""
    counts = member_counts([team.id for team in teams])
    projects = team_projects(teams, caller) if "projects" in expand and teams else {}
    organization = serialize_organization(caller.organization) if "organization" in expand else None
    out = []
    for team in teams:
        has_access, access = caller.team_access(team.id)
        data = {
            "id": team.id,
            "slug": team.slug,
            "name": team.name,
            "dateCreated": team.date_created,
            "isMember": team.id in caller.team_roles,
            "teamRole": caller.team_roles.get(team.id),
            "flags": {"idp:provisioned": False},
            "access": access,
            "hasAccess": has_access,
            "isPending": False,
            "memberCount": counts.get(team.id, 0),
            "avatar": dict(LETTER_AVATAR),
        }
        if "externalTeams" in expand:
            data["externalTeams"] = []
        if "projects" in expand:
            data["projects"] = projects.get(team.id, [])
        if organization is not None:
            data["organization"] = organization
        out.append(data)
    return out


def serialize_team(team: Team, caller: Caller, *, expand: Collection[str] = ()) -> dict:
    return serialize_teams([team], caller, expand=expand)[0]


def serialize_team_members(memberships: Sequence[TeamMember], team: Team) -> list[dict]:
    """Team members: the organization member plus the team role (effective) and team slug."""
    return [
        {
            **serialize_member(tm.member),
            "teamRole": effective_team_role(tm.member.role, tm.role),
            "teamSlug": team.slug,
        }
        for tm in memberships
    ]
