"""Endpoints: a project's client keys (DSNs), and every key of an organization."""

from __future__ import annotations

from sentryapi_teams import get_team_or_404
from sqlalchemy import select

from sentryapi.api import NUMBER, Ordering, commit_or_conflict, db, get_or_404, paginate

from . import examples, services
from .base import ProjectEndpoint
from .blueprint import ORG_READ, PROJECT_ADMIN, PROJECT_READ, PROJECT_WRITE, blp
from .keys import new_key, serialize_key
from .models import Project, ProjectKey, ProjectTeam
from .schemas import (
    OrganizationKeyListArgs,
    ProjectKeyCreateSchema,
    ProjectKeyListArgs,
    ProjectKeySchema,
    ProjectKeyUpdateSchema,
)

NEWEST_FIRST = Ordering(ProjectKey.id, ProjectKey.id, descending=True, kind=NUMBER)


def keys_with_status(stmt, status: str | None):
    if status is not None:
        stmt = stmt.where(ProjectKey.is_active.is_(status == "active"))
    return stmt


def rate_limit_values(limit: dict | None) -> dict:
    """``rateLimit`` as columns; ``null`` (or nulls inside) removes the limit."""
    limit = limit or {}
    return {"rate_limit_count": limit.get("count"), "rate_limit_window": limit.get("window")}


def render_keys(keys) -> list[dict]:
    return [serialize_key(key) for key in keys]


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/keys/")
class ProjectKeys(ProjectEndpoint):
    scope_map = {"GET": PROJECT_READ, "POST": PROJECT_WRITE}
    public = frozenset({"GET", "POST"})

    @blp.arguments(ProjectKeyListArgs, location="query")
    @blp.paginated_response(ProjectKeySchema(many=True), example=[examples.KEY])
    def get(self, args, organization_id_or_slug, project_id_or_slug):
        """List a project's client keys, newest first; `status` is `active` or `inactive`."""
        project = self.project
        stmt = keys_with_status(select(ProjectKey).where(ProjectKey.project_id == project.id),
                                args.get("status"))
        return paginate(stmt, NEWEST_FIRST).serialize(render_keys)

    @blp.errors(409)
    @blp.arguments(ProjectKeyCreateSchema)
    @blp.response(201, ProjectKeySchema, example=examples.KEY)
    def post(self, data, organization_id_or_slug, project_id_or_slug):
        """Create a client key; the server makes its public and secret parts."""
        project = self.project
        self.require_project_scope(*PROJECT_WRITE)
        key = new_key(project.id, data.get("name"), **rate_limit_values(data.get("rateLimit")))
        with commit_or_conflict("Could not create a key; try again."):
            db.session.add(key)
        return serialize_key(key)


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/keys/<key_id>/")
class ProjectKeyDetails(ProjectEndpoint):
    scope_map = {"GET": PROJECT_READ, "PUT": PROJECT_WRITE, "DELETE": PROJECT_ADMIN}
    public = frozenset({"GET", "PUT", "DELETE"})

    def key(self, project_id_or_slug: str, key_id: str) -> tuple[Project, ProjectKey]:
        project = self.project
        key = get_or_404(select(ProjectKey).where(ProjectKey.project_id == project.id,
                                                  ProjectKey.public_key == key_id))
        return project, key

    @blp.response(200, ProjectKeySchema, example=examples.KEY)
    def get(self, organization_id_or_slug, project_id_or_slug, key_id):
        """Retrieve a client key by its public key."""
        return serialize_key(self.key(project_id_or_slug, key_id)[1])

    @blp.arguments(ProjectKeyUpdateSchema)
    @blp.response(200, ProjectKeySchema, example=examples.KEY)
    def put(self, data, organization_id_or_slug, project_id_or_slug, key_id):
        """Rename a key, turn it on or off, or change its rate limit or loader settings.

        A key turned off is refused by ingestion from the next request on.
        """
        project, key = self.key(project_id_or_slug, key_id)
        self.require_project_scope(*PROJECT_WRITE)
        if "name" in data:
            key.label = data["name"]
        if "isActive" in data:
            key.is_active = data["isActive"]
        if "rateLimit" in data:
            for column, value in rate_limit_values(data["rateLimit"]).items():
                setattr(key, column, value)
        if "browserSdkVersion" in data:
            key.browser_sdk_version = data["browserSdkVersion"]
        if "dynamicSdkLoaderOptions" in data:
            key.loader_options = {**(key.loader_options or {}), **data["dynamicSdkLoaderOptions"]}
        db.session.commit()
        return serialize_key(key)

    @blp.response(204)
    def delete(self, organization_id_or_slug, project_id_or_slug, key_id):
        """Delete a client key; SDKs using it are refused from then on."""
        project, key = self.key(project_id_or_slug, key_id)
        self.require_project_scope(*PROJECT_ADMIN)
        db.session.delete(key)
        db.session.commit()


@blp.route("/organizations/<organization_id_or_slug>/project-keys/")
class OrganizationProjectKeys(ProjectEndpoint):
    scope_map = {"GET": ORG_READ}
    public = frozenset({"GET"})

    @blp.arguments(OrganizationKeyListArgs, location="query")
    @blp.paginated_response(ProjectKeySchema(many=True), example=[examples.KEY])
    def get(self, args, organization_id_or_slug):
        """List the client keys of every project in an organization, newest first.

        `team` (slug or id) keeps the keys of that team's projects; `status` is `active`
        or `inactive`.
        """
        projects = services.projects_of(self.organization).with_only_columns(Project.id)
        if "team" in args:
            team = get_team_or_404(self.organization, args["team"])
            projects = projects.where(Project.id.in_(
                select(ProjectTeam.project_id).where(ProjectTeam.team_id == team.id)))
        stmt = keys_with_status(select(ProjectKey).where(ProjectKey.project_id.in_(projects)),
                                args.get("status"))
        return paginate(stmt, NEWEST_FIRST).serialize(render_keys)
