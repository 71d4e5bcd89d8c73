"""Endpoints: an organization's projects, your projects, a team's projects, a project."""

from __future__ import annotations

from sentryapi_teams import TeamMember, get_team_or_404
from sqlalchemy import delete, select

from sentryapi.api import (
    DATETIME,
    STRING,
    Caller,
    Ordering,
    Organization,
    OrganizationMember,
    PermissionDenied,
    build_filters,
    commit_or_conflict,
    db,
    paginate,
    parse_query,
    role_scopes,
    slugify,
)

from . import examples, services
from .base import ProjectEndpoint
from .blueprint import ORG_READ, PROJECT_ADMIN, PROJECT_READ, PROJECT_WRITE, blp
from .models import ACTIVE, Project, ProjectBookmark, ProjectTeam
from .schemas import (
    ProjectCreatedSchema,
    ProjectCreateSchema,
    ProjectDetailSchema,
    ProjectIndexArgs,
    ProjectListArgs,
    ProjectSchema,
    ProjectUpdateSchema,
)
from .search import TEXT_COLUMNS, search_keys
from .serializers import serialize_projects

BY_SLUG = Ordering(Project.slug, Project.id, descending=False, kind=STRING)
NEWEST_FIRST = Ordering(Project.date_created, Project.id, descending=True, kind=DATETIME)
TEAM_PROJECT_CREATORS = (*PROJECT_WRITE, "org:write", "org:admin")


def filtered(stmt, query: str, member_ids):
    condition = build_filters(parse_query(query), search_keys(member_ids), text_columns=TEXT_COLUMNS)
    return stmt if condition is None else stmt.where(condition)


def _own_member_ids(member):
    return select(OrganizationMember.id).where(OrganizationMember.id == (member.id if member else -1))


@blp.route("/organizations/<organization_id_or_slug>/projects/")
class OrganizationProjects(ProjectEndpoint):
    # POST is lowered to project:read as in Sentry: members create projects (and a team).
    scope_map = {"GET": ORG_READ, "POST": PROJECT_READ}
    public = frozenset({"GET", "POST"})

    @blp.arguments(ProjectListArgs, location="query")
    @blp.paginated_response(ProjectSchema(many=True), example=[examples.PROJECT])
    def get(self, args, organization_id_or_slug):
        """List an organization's projects.

        Ordered by slug. `query` matches name and slug as free text, and takes `id:`,
        `slug:`, `name:`, `platform:`, `team:` (`!team:`), `is_member:1` and `dsn:`.
        """
        stmt = filtered(services.projects_of(self.organization), args["query"],
                        _own_member_ids(self.member))
        caller = self.caller()
        return paginate(stmt, BY_SLUG).serialize(lambda rows: self.render(rows, caller))

    @blp.errors(409)
    @blp.arguments(ProjectCreateSchema)
    @blp.response(201, ProjectCreatedSchema, example={**examples.PROJECT, "team_slug": "team-jane"})
    def post(self, data, organization_id_or_slug):
        """Create a project, with a team of your own.

        A team `team-<your e-mail name>` is created with you as its Team Admin and holds
        the project (its slug is in `team_slug`). Only users can do this: an
        organization token is on no team, so it creates projects under a team instead.
        """
        if self.member is None or self.user is None:
            raise PermissionDenied("Only users can create a project with a team of their own; "
                                   "create it under a team (/teams/{org}/{team}/projects/).")
        username = slugify(self.user.email.partition("@")[0], 40)
        project, team = services.create_project_with_own_team(
            self.organization, self.member, username, name=data["name"], slug=data.get("slug"),
            platform=data.get("platform"))
        return {**self.render_one(project), "team_slug": team.slug}


@blp.route("/projects/")
class ProjectIndex(ProjectEndpoint):
    scope_map = {"GET": PROJECT_READ}

    @blp.arguments(ProjectIndexArgs, location="query")
    @blp.paginated_response(ProjectSchema(many=True))
    def get(self, args):
        """List your projects across organizations, newest first.

        A user sees the projects of the teams they are on; an organization token its
        organization's. `status` is `active` (default), `deleted` or empty for both;
        `organizationId` keeps one organization; `query` as in an organization's list.
        """
        limited_to = self.credentials.organization_id  # an org token, or a user token for one org
        if self.credentials.kind == "org":
            stmt = select(Project)
            member_ids = select(OrganizationMember.id).where(OrganizationMember.id == -1)
        else:
            member_ids = select(OrganizationMember.id).where(OrganizationMember.user_id == self.user.id)
            stmt = select(Project).where(Project.id.in_(
                select(ProjectTeam.project_id)
                .join(TeamMember, TeamMember.team_id == ProjectTeam.team_id)
                .where(TeamMember.member_id.in_(member_ids))
            ))
        stmt = stmt.join(Organization, Organization.id == Project.organization_id).where(
            Organization.status == "active")
        if limited_to is not None:
            stmt = stmt.where(Project.organization_id == limited_to)
        if args["status"] == "active":
            stmt = stmt.where(Project.status == ACTIVE)
        elif args["status"] == "deleted":
            stmt = stmt.where(Project.status != ACTIVE)
        if "organizationId" in args:
            stmt = stmt.where(Project.organization_id == args["organizationId"])
        stmt = filtered(stmt, args["query"], member_ids)
        return paginate(stmt, NEWEST_FIRST).serialize(self.render_across_organizations)

    def render_across_organizations(self, projects) -> list[dict]:
        """Each project as the caller sees it in its organization (three queries a page)."""
        org_ids = {project.organization_id for project in projects}
        organizations = {o.id: o for o in db.session.scalars(
            select(Organization).where(Organization.id.in_(org_ids)))} if org_ids else {}
        callers = {}
        if self.credentials.kind == "org":
            for org_id, organization in organizations.items():
                callers[org_id] = Caller(organization, None, frozenset(self.scopes))
        elif org_ids:
            members = {m.organization_id: m for m in db.session.scalars(select(OrganizationMember).where(
                OrganizationMember.user_id == self.user.id, OrganizationMember.organization_id.in_(org_ids)))}
            roles: dict[int, dict] = {m.id: {} for m in members.values()}
            for member_id, team_id, role in db.session.execute(select(
                    TeamMember.member_id, TeamMember.team_id, TeamMember.role).where(
                    TeamMember.member_id.in_(list(roles)))):
                roles[member_id][team_id] = role
            token = frozenset(self.scopes)
            for org_id, member in members.items():
                callers[org_id] = Caller(organizations[org_id], member, token & role_scopes(member.role),
                                         self.user, token, preloaded_team_roles=roles[member.id])
        return serialize_projects(projects, callers.__getitem__, user=self.user,
                                  organizations=organizations)


@blp.route("/teams/<organization_id_or_slug>/<team_id_or_slug>/projects/")
class TeamProjects(ProjectEndpoint):
    # POST is open to project:read: a member on the team may create projects in it.
    scope_map = {"GET": PROJECT_READ, "POST": (*PROJECT_READ, "org:write", "org:admin")}
    public = frozenset({"GET", "POST"})

    @blp.arguments(ProjectListArgs, location="query")
    @blp.paginated_response(ProjectSchema(many=True), example=[examples.PROJECT])
    def get(self, args, organization_id_or_slug, team_id_or_slug):
        """List a team's projects, ordered by slug."""
        team = get_team_or_404(self.organization, team_id_or_slug)
        stmt = services.projects_of(self.organization).where(Project.id.in_(
            select(ProjectTeam.project_id).where(ProjectTeam.team_id == team.id)))
        stmt = filtered(stmt, args["query"], _own_member_ids(self.member))
        caller = self.caller()
        return paginate(stmt, BY_SLUG).serialize(lambda rows: self.render(rows, caller))

    @blp.errors(409)
    @blp.arguments(ProjectCreateSchema)
    @blp.response(201, ProjectSchema, example=examples.PROJECT)
    def post(self, data, organization_id_or_slug, team_id_or_slug):
        """Create a project held by a team.

        The project gets a default client key (DSN). A missing slug is made from the
        name; a slug already used in the organization is a 409. Members of the team may
        create projects in it; others need project:write on the team.
        """
        team = get_team_or_404(self.organization, team_id_or_slug)
        caller = self.caller()
        on_team = team.id in caller.team_roles and caller.has_scope(*PROJECT_READ)
        if not (on_team or caller.has_scope_via([team.id], *TEAM_PROJECT_CREATORS)):
            raise PermissionDenied()
        project = services.create_project(self.organization, team, name=data["name"],
                                          slug=data.get("slug"), platform=data.get("platform"))
        return self.render_one(project, caller)


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/")
class ProjectDetails(ProjectEndpoint):
    # PUT takes project:read for `isBookmarked` alone, as in Sentry.
    scope_map = {"GET": PROJECT_READ, "PUT": PROJECT_READ, "DELETE": PROJECT_ADMIN}
    public = frozenset({"GET", "PUT", "DELETE"})

    @blp.response(200, ProjectDetailSchema, example=examples.PROJECT_DETAIL)
    def get(self, organization_id_or_slug, project_id_or_slug):
        """Retrieve a project, with its settings."""
        return self.render_one(self.project, detailed=True, null_team=False)

    @blp.errors(409)
    @blp.arguments(ProjectUpdateSchema)
    @blp.response(200, ProjectDetailSchema, example=examples.PROJECT_DETAIL)
    def put(self, data, organization_id_or_slug, project_id_or_slug):
        """Update a project's name, slug, platform, settings, or your bookmark.

        Renaming the slug keeps the id. A slug another project of the organization uses
        is a 409. With project:read alone only `isBookmarked` may be sent.
        """
        project = self.project
        bookmark = data.pop("isBookmarked", None)
        caller = self.caller()
        if data:
            caller = self.require_project_scope(*PROJECT_WRITE)
        if "slug" in data:
            services.check_slug_free(project.organization_id, data["slug"], project_id=project.id)
        with commit_or_conflict(services.SLUG_CONFLICT):
            for attribute in ("name", "slug", "platform"):
                if attribute in data:
                    setattr(project, attribute, data.pop(attribute))
            if data:
                project.options = {**(project.options or {}), **data}
            if bookmark is not None and self.user is not None:
                self.set_bookmark(project, bookmark)
            db.session.flush()
        return self.render_one(project, caller, detailed=True, null_team=False)

    def set_bookmark(self, project: Project, on: bool) -> None:
        mine = (ProjectBookmark.project_id == project.id, ProjectBookmark.user_id == self.user.id)
        exists = db.session.scalar(select(ProjectBookmark.id).where(*mine))
        if on and exists is None:
            db.session.add(ProjectBookmark(project_id=project.id, user_id=self.user.id))
        elif not on and exists is not None:
            db.session.execute(delete(ProjectBookmark).where(*mine))

    @blp.response(204)
    def delete(self, organization_id_or_slug, project_id_or_slug):
        """Delete a project.

        It disappears and its client keys stop working at once; its data is removed
        with it.
        """
        project = self.project
        self.require_project_scope(*PROJECT_ADMIN)
        services.schedule_project_deletion(project)
