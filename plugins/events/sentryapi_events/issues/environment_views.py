"""Sentry's environments API: an organization's environments, a project's (with
``isHidden``), and hiding or showing them."""

from __future__ import annotations

from sqlalchemy import select, update

from sentryapi.api import (
    STRING,
    Endpoint,
    NotFound,
    Ordering,
    OrganizationPermission,
    ProjectEndpoint,
    ProjectPermission,
    Schema,
    db,
    fields,
    paginate,
    validate,
)

from ..environments import (
    MAX_NAME_LENGTH,
    VISIBILITIES,
    Environment,
    EnvironmentProject,
    organization_environments,
    project_environments,
    serialize,
)
from .views import blp

ORG_ORDER = Ordering(Environment.name, Environment.id, descending=False, kind=STRING)
PROJECT_ORDER = Ordering(EnvironmentProject.name, EnvironmentProject.id, descending=False, kind=STRING)

ENVIRONMENT_EXAMPLE = {"id": "1", "name": "production"}
PROJECT_ENVIRONMENT_EXAMPLE = {"id": "1", "name": "production", "isHidden": False}


class EnvironmentSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)


class ProjectEnvironmentSchema(EnvironmentSchema):
    isHidden = fields.Boolean(required=True)


class VisibilityArgs(Schema):
    visibility = fields.String(load_default="visible", validate=validate.OneOf(VISIBILITIES), metadata={
        "description": "Which environments: `visible` (the default), `hidden` or `all`."})


class VisibilityUpdate(Schema):
    isHidden = fields.Boolean(required=True, metadata={
        "description": "`true` hides the environment in this project, `false` shows it."})


class BulkVisibilityUpdate(VisibilityUpdate):
    environmentNames = fields.List(fields.String(validate=validate.Length(max=MAX_NAME_LENGTH)),
                                   required=True, validate=validate.Length(max=1000), metadata={
                                       "description": "Names of the environments to update (at most 1000)."})


@blp.route("/organizations/<organization_id_or_slug>/environments/")
class OrganizationEnvironmentIndex(Endpoint):
    scope_map = OrganizationPermission
    public = frozenset({"GET"})

    @blp.arguments(VisibilityArgs, location="query")
    @blp.paginated_response(EnvironmentSchema(many=True), example=[ENVIRONMENT_EXAMPLE])
    def get(self, args, organization_id_or_slug):
        """List the organization's environments (seen in events of its projects), by name."""
        page = paginate(organization_environments(self.organization.id, args["visibility"]), ORG_ORDER)
        page.items = [serialize(row) for row in page.items]
        return page


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/environments/")
class ProjectEnvironmentIndex(ProjectEndpoint):
    scope_map = ProjectPermission
    public = frozenset({"GET", "PUT"})

    @blp.arguments(VisibilityArgs, location="query")
    @blp.paginated_response(ProjectEnvironmentSchema(many=True), example=[PROJECT_ENVIRONMENT_EXAMPLE])
    def get(self, args, organization_id_or_slug, project_id_or_slug):
        """List a project's environments, by name."""
        page = paginate(project_environments(self.project.id, args["visibility"]), PROJECT_ORDER)
        page.items = [serialize(row) for row in page.items]
        return page

    @blp.arguments(BulkVisibilityUpdate)
    @blp.response(200, ProjectEnvironmentSchema(many=True), example=[PROJECT_ENVIRONMENT_EXAMPLE])
    def put(self, data, organization_id_or_slug, project_id_or_slug):
        """Hide or show several of a project's environments; answers the ones it changed."""
        project = self.project
        names = set(data["environmentNames"])
        db.session.execute(update(EnvironmentProject).where(
            EnvironmentProject.project_id == project.id, EnvironmentProject.name.in_(names))
            .values(is_hidden=data["isHidden"]))
        db.session.commit()
        rows = db.session.scalars(select(EnvironmentProject).where(
            EnvironmentProject.project_id == project.id, EnvironmentProject.name.in_(names))
            .order_by(EnvironmentProject.name))
        return [serialize(row) for row in rows]


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/environments/<environment>/")
class ProjectEnvironmentDetails(ProjectEndpoint):
    scope_map = ProjectPermission
    public = frozenset({"GET", "PUT"})

    def environment(self, name: str) -> EnvironmentProject:
        row = db.session.scalar(select(EnvironmentProject).where(
            EnvironmentProject.project_id == self.project.id, EnvironmentProject.name == name))
        if row is None:
            raise NotFound()
        return row

    @blp.response(200, ProjectEnvironmentSchema, example=PROJECT_ENVIRONMENT_EXAMPLE)
    def get(self, organization_id_or_slug, project_id_or_slug, environment):
        """Retrieve one of a project's environments."""
        return serialize(self.environment(environment))

    @blp.arguments(VisibilityUpdate)
    @blp.response(200, ProjectEnvironmentSchema, example=PROJECT_ENVIRONMENT_EXAMPLE)
    def put(self, data, organization_id_or_slug, project_id_or_slug, environment):
        """Hide or show one of a project's environments."""
        row = self.environment(environment)
        row.is_hidden = data["isHidden"]
        db.session.commit()
        return serialize(row)
