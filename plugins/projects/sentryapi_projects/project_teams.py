"""Endpoints: the teams that hold a project; giving a team access, taking it away."""

from __future__ import annotations

from sentryapi_teams import Team, TeamSchema, get_team_or_404, serialize_teams, team_listing
from sqlalchemy import select

from . import examples, services
from .base import ProjectEndpoint
from .blueprint import PROJECT_READ, PROJECT_WRITE, blp
from .models import ProjectTeam
from .schemas import ProjectSchema

PROJECT_TEAMS = team_listing("ProjectTeamListArgs")


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/teams/")
class ProjectTeams(ProjectEndpoint):
    scope_map = {"GET": PROJECT_READ}
    public = frozenset({"GET"})

    @blp.arguments(PROJECT_TEAMS.schema, location="query")
    @blp.paginated_response(TeamSchema(many=True), example=[examples.TEAM])
    def get(self, args, organization_id_or_slug, project_id_or_slug):
        """List the teams that have access to a project, ordered by slug unless sorted."""
        project = self.project
        stmt = select(Team).where(Team.id.in_(
            select(ProjectTeam.team_id).where(ProjectTeam.project_id == project.id)))
        caller = self.caller()
        return PROJECT_TEAMS.paginate(stmt, args).serialize(lambda rows: serialize_teams(rows, caller))


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/teams/<team_id_or_slug>/")
class ProjectTeamDetails(ProjectEndpoint):
    scope_map = {"POST": PROJECT_WRITE, "DELETE": PROJECT_WRITE}
    public = frozenset({"POST", "DELETE"})

    def targets(self, project_id_or_slug, team_id_or_slug):
        project = self.project
        team = get_team_or_404(self.organization, team_id_or_slug)
        return project, team

    @blp.errors(409)  # two requests adding the same team at once
    @blp.response(201, ProjectSchema, example=examples.PROJECT)
    def post(self, organization_id_or_slug, project_id_or_slug, team_id_or_slug):
        """Give a team access to a project (it is fine if it already has it).

        Takes project:write on the project and on the team.
        """
        project, team = self.targets(project_id_or_slug, team_id_or_slug)
        caller = self.require_project_scope(*PROJECT_WRITE)
        caller.require_scope_via([team.id], *PROJECT_WRITE)
        services.link_team(project, team)
        return self.render_one(project, caller, null_team=False)

    @blp.response(200, ProjectSchema, example=examples.PROJECT)
    def delete(self, organization_id_or_slug, project_id_or_slug, team_id_or_slug):
        """Take a team's access to a project away; the project stays, even with no team."""
        project, team = self.targets(project_id_or_slug, team_id_or_slug)
        caller = self.require_project_scope(*PROJECT_WRITE)
        caller.require_scope_via([team.id], *PROJECT_WRITE)
        services.unlink_team(project, team)
        return self.render_one(project, caller, null_team=False)
