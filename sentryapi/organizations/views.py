"""Endpoints: the API index, organizations, and Sentry's regions probe."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from ..access.organizations import memberships
from ..access.permissions import ORG_ADMIN, ORG_READ, ORG_WRITE
from ..api import (
    STRING,
    Blueprint,
    Endpoint,
    Ordering,
    ParseError,
    PermissionDenied,
    build_filters,
    paginate,
    parse_id,
    parse_query,
    text_match,
)
from ..auth.protector import granted_scopes
from ..auth.scopes import TOP_ROLE
from ..extensions import db
from ..tenants.models import Organization, OrganizationMember
from ..tenants.schemas import (
    IndexSchema,
    OrganizationCreateSchema,
    OrganizationDetailSchema,
    OrganizationListArgs,
    OrganizationSchema,
    OrganizationUpdateSchema,
    RegionsSchema,
    UserSchema,
)
from ..tenants.serializers import (
    serialize_organization,
    serialize_organization_detail,
    serialize_user,
)
from ..web.persistence import commit_or_conflict
from . import examples, services

blp = Blueprint("Organizations", __name__, description="Organizations and their settings.")


ORDERINGS = {
    "dateCreated": Ordering(Organization.date_created, Organization.id, descending=True),
    "slug": Ordering(Organization.slug, Organization.id, descending=False, kind=STRING),
    "name": Ordering(Organization.name, Organization.id, descending=False, kind=STRING),
}

SEARCH_KEYS = {
    "id": lambda f: Organization.id.in_([i for i in map(parse_id, f.values) if i is not None]),
    "slug": lambda f: text_match(Organization.slug, f),
    "name": lambda f: text_match(Organization.name, f),
    "status": lambda f: text_match(Organization.status, f),
}


@blp.route("/")
class ApiIndex(Endpoint):
    anonymous_methods = frozenset({"GET"})
    public = frozenset({"GET"})

    @blp.response(200, IndexSchema, example=examples.API_INDEX)
    def get(self):
        """Retrieve the API version and who the caller is.

        Without credentials `auth` and `user` are null; with an organization token `user`
        is null.
        """
        if self.credentials is None:
            return {"version": "0", "auth": None, "user": None}
        return {
            "version": "0",
            "auth": {"scopes": sorted(granted_scopes(self.credentials.token))},
            "user": serialize_user(self.user),
        }


@blp.route("/auth/")
class AuthIndex(Endpoint):
    """Who a token belongs to: the ``sentry`` CLI's ``auth whoami`` and the MCP ``whoami`` tool."""

    scope_map = {"GET": ()}

    @blp.response(200, UserSchema, example=examples.JANE)
    def get(self):
        """Retrieve the user the caller's token belongs to (as `GET /api/0/` names it).

        An organization token belongs to no user: 400.
        """
        if self.user is None:
            raise ParseError("This endpoint requires a user: organization tokens have none.")
        return serialize_user(self.user)


#: Sentry's name for the one region of an install without regions (self-hosted).
MONOLITH_REGION = "--monolith--"


@blp.route("/users/me/regions/")
class UserRegions(Endpoint):
    """The regions the caller's organizations live in: on a self-hosted server, one, whose URL
    is the server's public URL. sentry-cli and the ``sentry`` CLI send every organization
    request to a region's URL, so it must be the address clients reach this server at."""

    scope_map = {"GET": ()}

    @blp.response(200, RegionsSchema, example={"regions": [
        {"name": MONOLITH_REGION, "url": "https://sentry.example.com"}]})
    def get(self):
        """List the caller's regions (one on a self-hosted server)."""
        return {"regions": [{"name": MONOLITH_REGION, "url": current_app.config["PUBLIC_URL"]}]}


@blp.route("/organizations/")
class OrganizationIndex(Endpoint):
    scope_map = {"GET": ORG_READ, "POST": ORG_WRITE}
    public = frozenset({"GET"})

    @blp.doc(operationId="listOrganizations")
    @blp.arguments(OrganizationListArgs, location="query")
    @blp.paginated_response(OrganizationSchema(many=True), example=[examples.ORGANIZATION])
    def get(self, args):
        """List your organizations.

        `query` accepts `id:`, `slug:`, `name:`, `status:` and free text on name and
        slug; `owner=1` keeps the ones you own; `sortBy` is `dateCreated`, `slug` or
        `name`.
        """
        if self.credentials.kind == "org":
            stmt = select(Organization).where(
                Organization.id == self.credentials.organization_id, Organization.status == "active"
            )
        else:
            stmt = memberships(self.user)
            if args["owner"]:
                stmt = stmt.where(OrganizationMember.role == TOP_ROLE)
        condition = build_filters(
            parse_query(args["query"]), SEARCH_KEYS, text_columns=(Organization.name, Organization.slug)
        )
        if condition is not None:
            stmt = stmt.where(condition)
        page = paginate(stmt, ORDERINGS[args["sortBy"]])
        return page.serialize(lambda rows: [serialize_organization(o) for o in rows])

    @blp.errors(409)
    @blp.arguments(OrganizationCreateSchema)
    @blp.response(201, OrganizationSchema, example=examples.ORGANIZATION)
    def post(self, data):
        """Create an organization; you become its owner."""
        if self.user is None:
            raise PermissionDenied("Organization tokens cannot create organizations.")
        if not (current_app.config["ALLOW_ORGANIZATION_CREATION"] or self.user.is_superuser):
            raise PermissionDenied("Only superusers can create organizations on this server.")
        organization = services.create_organization(data["name"], self.user, data.get("slug"))
        return serialize_organization(organization)


@blp.route("/organizations/<organization_id_or_slug>/")
class OrganizationDetails(Endpoint):
    scope_map = {"GET": ORG_READ, "PUT": ORG_WRITE, "DELETE": ORG_ADMIN}
    public = frozenset({"GET", "PUT"})

    @blp.doc(operationId="getOrganization")
    @blp.response(200, OrganizationDetailSchema, example=examples.ORGANIZATION_DETAIL)
    def get(self, organization_id_or_slug):
        """Retrieve an organization, with its settings and your role in it."""
        return serialize_organization_detail(self.organization, self.member, self.scopes)

    @blp.doc(operationId="updateOrganization")
    @blp.errors(409)
    @blp.arguments(OrganizationUpdateSchema)
    @blp.response(200, OrganizationDetailSchema, example=examples.ORGANIZATION_DETAIL)
    def put(self, data, organization_id_or_slug):
        """Update an organization's name, slug or settings."""
        organization = self.organization
        with commit_or_conflict(services.SLUG_CONFLICT):
            if "name" in data:
                organization.name = data.pop("name")
            if "slug" in data:
                organization.slug = data.pop("slug")
            if data:
                organization.options = {**(organization.options or {}), **data}
            db.session.flush()
        return serialize_organization_detail(organization, self.member, self.scopes)

    @blp.response(202, OrganizationSchema)
    def delete(self, organization_id_or_slug):
        """Delete an organization and everything in it."""
        organization = self.organization
        organization.status = "pending_deletion"
        body = serialize_organization(organization)
        db.session.delete(organization)
        db.session.commit()
        return body
