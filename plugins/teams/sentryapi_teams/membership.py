"""Endpoints: put an organization member on a team, change their team role, take them off."""

from __future__ import annotations

from flask import Response
from sqlalchemy import select

from sentryapi.api import (
    Caller,
    NotFound,
    OrganizationMemberTeamPermission,
    PermissionDenied,
    db,
    get_or_404,
)

from . import examples
from .access import member_of
from .blueprint import blp
from .models import Team, TeamMember
from .schemas import MemberTeamSchema, TeamRoleUpdateSchema, TeamSchema
from .serializers import serialize_team
from .views import TeamEndpoint

NO_ADD = "You do not have permission to add members to this team."
NO_ROLE = "You do not have permission to change team roles on this team."
NO_REMOVE = "You do not have permission to remove members from this team."


def can_add(caller: Caller, team: Team) -> bool:
    """Sentry's rule: global access (owner/manager, open membership) or Team Admin.

    An organization token is on no team and joins none: it needs org:write or team:write,
    which an org:ci token never has, open membership or not.
    """
    if caller.member is None:
        return caller.has_scope("org:write", "team:write")
    return caller.has_global_access or caller.has_scope_via([team.id], "team:write")


def can_remove(caller: Caller, team: Team, member) -> bool:
    """Yourself, or as owner/manager (org:write), or as Team Admin (team:admin) on it."""
    if caller.member is not None and caller.member.id == member.id:
        return True
    if caller.has_scope("org:write", "org:admin"):
        return True
    return caller.has_scope_via([team.id], "team:admin")


@blp.route("/organizations/<organization_id_or_slug>/members/<member_id>/teams/<team_id_or_slug>/")
class MemberTeamDetails(TeamEndpoint):
    scope_map = OrganizationMemberTeamPermission
    public = frozenset({"POST", "PUT", "DELETE"})

    def target(self, member_id: str, team_id_or_slug: str):
        member = get_or_404(member_of(self.organization, member_id, self.caller()))
        return member, self.team(team_id_or_slug)

    @staticmethod
    def membership(member, team) -> TeamMember | None:
        return db.session.scalar(
            select(TeamMember).where(TeamMember.team_id == team.id, TeamMember.member_id == member.id)
        )

    @blp.response(200, MemberTeamSchema)
    def get(self, organization_id_or_slug, member_id, team_id_or_slug):
        """Retrieve a member's membership of a team."""
        membership = self.membership(*self.target(member_id, team_id_or_slug))
        if membership is None:
            raise NotFound()
        return {"isActive": True, "teamRole": membership.role}

    @blp.response(201, TeamSchema, example=examples.TEAM)
    @blp.alt_response(204, description="The member was already on the team.")
    def post(self, organization_id_or_slug, member_id, team_id_or_slug):
        """Add an organization member to a team.

        201 with the team when added, 204 when the member was already on it. Allowed to
        owners and managers, to Team Admins of the team, and to everyone when the
        organization has open membership.
        """
        member, team = self.target(member_id, team_id_or_slug)
        if self.membership(member, team) is not None:
            return Response(status=204)
        caller = self.caller()
        if not can_add(caller, team):
            raise PermissionDenied(NO_ADD)
        db.session.add(TeamMember(team_id=team.id, member_id=member.id))
        db.session.commit()
        return serialize_team(team, Caller.of(self))

    @blp.arguments(TeamRoleUpdateSchema)
    @blp.response(200, MemberTeamSchema, example=examples.MEMBER_TEAM)
    def put(self, data, organization_id_or_slug, member_id, team_id_or_slug):
        """Change a member's team role (`contributor` or `admin`).

        The member must already be on the team. Organization admins, managers and owners
        act as Team Admins on their teams whatever role is stored.
        """
        member, team = self.target(member_id, team_id_or_slug)
        membership = self.membership(member, team)
        if membership is None:
            raise NotFound()
        caller = self.caller()
        if not (caller.has_scope("org:write") or caller.has_scope_via([team.id], "team:write")):
            raise PermissionDenied(NO_ROLE)
        membership.role = data["teamRole"]
        db.session.commit()
        return {"isActive": True, "teamRole": membership.role}

    @blp.response(200, TeamSchema, example=examples.TEAM)
    def delete(self, organization_id_or_slug, member_id, team_id_or_slug):
        """Remove an organization member from a team.

        Anyone may take themselves off a team; removing others takes owner or manager,
        or Team Admin on the team. Answers the team either way, as Sentry does.
        """
        member, team = self.target(member_id, team_id_or_slug)
        caller = self.caller()
        if not can_remove(caller, team, member):
            raise PermissionDenied(NO_REMOVE)
        membership = self.membership(member, team)
        if membership is not None:
            db.session.delete(membership)
            db.session.commit()
        return serialize_team(team, Caller.of(self))
