"""Endpoints: an organization's teams, a team, its members, and the caller's teams."""

from __future__ import annotations

from sqlalchemy import false, select
from sqlalchemy.orm import joinedload

from sentryapi.api import (
    ORG_READ,
    TEAM_ADMIN,
    TEAM_READ,
    TEAM_WRITE,
    Caller,
    Endpoint,
    OrganizationMember,
    OrganizationTeamsPermission,
    PermissionDenied,
    User,
    build_filters,
    paginate,
    parse_query,
    text_match,
)

from . import examples, services
from .blueprint import blp
from .listings import TEAM_MEMBERS, TEAM_SORTS, team_listing
from .models import Team, TeamMember
from .schemas import (
    TeamCreateSchema,
    TeamDetailArgs,
    TeamListArgs,
    TeamMemberSchema,
    TeamSchema,
    TeamUpdateSchema,
)
from .search import boolean, ids_in
from .serializers import serialize_team, serialize_team_members, serialize_teams

BY_SLUG = TEAM_SORTS["slug"]
USER_TEAMS = team_listing("UserTeamListArgs")

SEARCH_KEYS = {
    "slug": lambda f: text_match(Team.slug, f),
    "id": lambda f: ids_in(Team.id, f, "Invalid id value"),
    "hasExternalTeams": lambda f: boolean(f, false()),  # no team is linked to an external one
}


class TeamEndpoint(Endpoint):
    """A view on one team of the organization in the URL."""

    def caller(self) -> Caller:
        return Caller.of(self)

    def team(self, team_id_or_slug: str) -> Team:
        return services.get_team_or_404(self.organization, team_id_or_slug)


@blp.route("/organizations/<organization_id_or_slug>/teams/")
class TeamIndex(TeamEndpoint):
    scope_map = OrganizationTeamsPermission
    public = frozenset({"GET", "POST"})

    @blp.arguments(TeamListArgs, location="query")
    @blp.paginated_response(TeamSchema(many=True), example=[examples.TEAM_WITH_PROJECTS])
    def get(self, args, organization_id_or_slug):
        """List an organization's teams.

        Ordered by slug. `query` matches name and slug as free text, and takes `slug:`,
        `id:` and `hasExternalTeams:`; `detailed=0` leaves out each team's projects.
        """
        stmt = services.teams_of(self.organization)
        condition = build_filters(parse_query(args["query"]), SEARCH_KEYS,
                                  text_columns=(Team.name, Team.slug))
        if condition is not None:
            stmt = stmt.where(condition)
        expand = ("projects", "externalTeams") if args["detailed"] != "0" else ()
        caller = self.caller()
        return paginate(stmt, BY_SLUG).serialize(lambda rows: serialize_teams(rows, caller, expand=expand))

    @blp.errors(409)
    @blp.arguments(TeamCreateSchema)
    @blp.response(201, TeamSchema, example=examples.TEAM)
    def post(self, data, organization_id_or_slug):
        """Create a team.

        Give a `slug`, a `name`, or both; a missing slug is made from the name (made
        unique), a missing name is the slug. You join the team you create. A slug that
        is taken is a 409.
        """
        team = services.create_team(self.organization, name=data.get("name"),
                                    slug=data.get("slug"), creator=self.member)
        return serialize_team(team, self.caller())


@blp.route("/teams/<organization_id_or_slug>/<team_id_or_slug>/")
class TeamDetails(TeamEndpoint):
    scope_map = {"GET": TEAM_READ, "PUT": TEAM_WRITE, "DELETE": TEAM_ADMIN}
    public = frozenset({"GET", "PUT", "DELETE"})

    @blp.arguments(TeamDetailArgs, location="query")
    @blp.response(200, TeamSchema, example=examples.TEAM_DETAIL)
    def get(self, args, organization_id_or_slug, team_id_or_slug):
        """Retrieve a team.

        The organization is included unless `collapse=organization`; `expand=projects`
        adds the team's projects, `expand=externalTeams` its (empty) external teams.
        """
        expand = set(args["expand"])
        if "organization" not in args["collapse"]:
            expand.add("organization")
        return serialize_team(self.team(team_id_or_slug), self.caller(), expand=expand)

    @blp.errors(409)
    @blp.arguments(TeamUpdateSchema)
    @blp.response(200, TeamSchema, example=examples.TEAM)
    def put(self, data, organization_id_or_slug, team_id_or_slug):
        """Update a team's name or slug.

        The id stays, so links by id keep working; a slug already used by another team
        of the organization is a 409.
        """
        team = self.team(team_id_or_slug)
        caller = self.caller()
        caller.require_scope_via([team.id], *TEAM_WRITE)
        services.rename_team(team, name=data.get("name"), slug=data.get("slug"))
        return serialize_team(team, caller)

    @blp.response(204)
    def delete(self, organization_id_or_slug, team_id_or_slug):
        """Delete a team.

        Its memberships and project links go; its projects stay in the organization.
        """
        team = self.team(team_id_or_slug)
        self.caller().require_scope_via([team.id], *TEAM_ADMIN)
        services.delete_team(team)


@blp.route("/teams/<organization_id_or_slug>/<team_id_or_slug>/members/")
class TeamMembers(TeamEndpoint):
    scope_map = {"GET": TEAM_READ}
    public = frozenset({"GET"})

    @blp.arguments(TEAM_MEMBERS.schema, location="query")
    @blp.paginated_response(TeamMemberSchema(many=True), example=[examples.TEAM_MEMBER])
    def get(self, args, organization_id_or_slug, team_id_or_slug):
        """List a team's members (pending invitations are left out), in the order they joined."""
        team = self.team(team_id_or_slug)
        stmt = (
            select(TeamMember)
            .join(OrganizationMember, OrganizationMember.id == TeamMember.member_id)
            .join(User, User.id == OrganizationMember.user_id)
            .where(TeamMember.team_id == team.id)
            .options(joinedload(TeamMember.member).joinedload(OrganizationMember.inviter))
        )
        return TEAM_MEMBERS.paginate(stmt, args).serialize(lambda rows: serialize_team_members(rows, team))


@blp.route("/organizations/<organization_id_or_slug>/user-teams/")
class UserTeams(TeamEndpoint):
    scope_map = {"GET": ORG_READ}
    public = frozenset({"GET"})

    @blp.arguments(USER_TEAMS.schema, location="query")
    @blp.paginated_response(TeamSchema(many=True), example=[examples.TEAM_WITH_PROJECTS])
    def get(self, args, organization_id_or_slug):
        """List the teams you are on in an organization, with their projects, by slug.

        Only for user auth tokens: an organization token is on no team.
        """
        if self.member is None:
            raise PermissionDenied("This endpoint is restricted to user auth tokens.")
        stmt = services.teams_of(self.organization).where(
            Team.id.in_(select(TeamMember.team_id).where(TeamMember.member_id == self.member.id))
        )
        caller = self.caller()
        return USER_TEAMS.paginate(stmt, args).serialize(
            lambda rows: serialize_teams(rows, caller, expand=("projects", "externalTeams"))
        )
