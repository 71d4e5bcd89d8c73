"""Endpoints: an organization's releases, one release, and a project's releases.

Versions are in the URL percent-encoded and may contain ``/``: the routes take them
with a ``path`` converter (and do not merge repeated slashes).
"""

from __future__ import annotations

from flask import request
from sqlalchemy import select

from sentryapi.api import (
    DATETIME,
    NotFound,
    Ordering,
    ProjectEndpoint,
    build_filters,
    db,
    paginate,
    parse_query,
    text_match,
)

from . import examples, services
from .access import ReleaseAccess
from .blueprint import RELEASE_ADMIN, RELEASE_READ, RELEASE_WRITE, blp
from .models import Release, ReleaseProject, ReleaseProjectEnvironment
from .schemas import (
    ProjectReleaseListArgs,
    ReleaseCreateSchema,
    ReleaseDetailArgs,
    ReleaseListArgs,
    ReleaseSchema,
    ReleaseUpdateSchema,
)
from .serializers import serialize_releases

NEWEST_FIRST = Ordering(Release.date_created, Release.id, descending=True, kind=DATETIME)
ALREADY_EXISTED = 208
VERSION_ROUTE = {"merge_slashes": False}


def filtered(stmt, query: str):
    """``query``: free text in the version, ``release:`` and ``finalized:true|false``."""
    builders = {
        "release": lambda f: text_match(Release.version, f),
        "finalized": lambda f: (Release.date_released.is_not(None) if f.value == "true"
                                else Release.date_released.is_(None)),
    }
    condition = build_filters(parse_query(query), builders, text_columns=(Release.version,))
    return stmt if condition is None else stmt.where(condition)


def in_environments(stmt, environments: list[str], project_ids):
    if not environments:
        return stmt
    return stmt.where(Release.id.in_(select(ReleaseProjectEnvironment.release_id).where(
        ReleaseProjectEnvironment.environment.in_(environments),
        ReleaseProjectEnvironment.project_id.in_(project_ids))))


class ReleaseEndpoint(ProjectEndpoint):
    """Release views; under ``/projects/{org}/{project}/`` the core checks project access."""

    def access(self) -> ReleaseAccess:
        return ReleaseAccess.of(self)


@blp.route("/organizations/<organization_id_or_slug>/releases/")
class OrganizationReleases(ReleaseEndpoint):
    scope_map = {"GET": RELEASE_READ, "POST": RELEASE_WRITE}
    public = frozenset({"GET", "POST"})

    @blp.doc(operationId="listOrganizationReleases")
    @blp.arguments(ReleaseListArgs, location="query")
    @blp.paginated_response(ReleaseSchema(many=True), example=[examples.RELEASE])
    def get(self, args, organization_id_or_slug):
        """List an organization's releases.

        Newest first. Releases of the projects of your teams, unless `project` names
        others (`-1`: every project you can see); an organization token sees all.
        """
        project_ids = self.access().requested_project_ids(args["project"])
        stmt = services.releases_of(self.organization).where(Release.id.in_(
            select(ReleaseProject.release_id).where(ReleaseProject.project_id.in_(project_ids))))
        if args["status"]:
            stmt = stmt.where(Release.status == args["status"])
        stmt = in_environments(filtered(stmt, args["query"]), args["environment"], project_ids)
        return paginate(stmt, NEWEST_FIRST).serialize(serialize_releases)

    @blp.doc(operationId="createOrganizationRelease")
    @blp.arguments(ReleaseCreateSchema)
    @blp.response(201, ReleaseSchema, example=examples.RELEASE)
    @blp.alt_response(ALREADY_EXISTED, schema=ReleaseSchema, example=examples.RELEASE,
                      description="The release already existed (and got no new project).")
    def post(self, data, organization_id_or_slug):
        """Create a release.

        Creating is idempotent: sending an existing version answers 208 with the stored
        release, or 201 when it gained projects. `projects` are slugs or ids of projects
        of your teams. Setting `dateReleased` finalizes it; `commits` and `refs` are
        stored as sent.
        """
        release, changed = services.create_release(self.access(), data,
                                                   request.headers.get("User-Agent"))
        return serialize_releases([release])[0], 201 if changed else ALREADY_EXISTED


@blp.route("/organizations/<organization_id_or_slug>/releases/<path:version>/", **VERSION_ROUTE)
class OrganizationReleaseDetails(ReleaseEndpoint):
    scope_map = {"GET": RELEASE_READ, "PUT": RELEASE_WRITE, "DELETE": RELEASE_ADMIN}
    public = frozenset({"GET", "PUT", "DELETE"})

    @blp.doc(operationId="getOrganizationRelease")
    @blp.arguments(ReleaseDetailArgs, location="query")
    @blp.response(200, ReleaseSchema, example=examples.RELEASE)
    def get(self, args, organization_id_or_slug, version):
        """Retrieve a release.

        With `project`, `currentProjectMeta` names the project's previous, next, first
        and last releases (by creation).
        """
        access = self.access()
        release = services.readable_release_or_404(access, version)
        meta = None
        wanted = args.get("project") or args.get("project_id")
        if wanted:
            project = db.session.scalar(select(ReleaseProject.project_id).where(
                ReleaseProject.project_id.in_(access.requested_project_ids([wanted]))))
            if project is None:
                raise NotFound()
            meta = services.neighbours(release, project)
        return serialize_releases([release], current_project_meta=meta)[0]

    @blp.doc(operationId="updateOrganizationRelease")
    @blp.arguments(ReleaseUpdateSchema)
    @blp.response(200, ReleaseSchema, example=examples.RELEASE)
    def put(self, data, organization_id_or_slug, version):
        """Update a release.

        Changes the ref, URL, dates or status, and replaces commits or refs (an empty
        `refs` clears them). Setting `dateReleased` finalizes it (what `sentry-cli
        releases finalize` does); `projects` is ignored, as in Sentry.
        """
        access = self.access()
        release = services.writable_release_or_404(access, version)
        return serialize_releases([services.update_release(access, release, data)])[0]

    @blp.doc(operationId="deleteOrganizationRelease")
    @blp.errors(400)
    @blp.response(204)
    def delete(self, organization_id_or_slug, version):
        """Delete a release.

        With its deploys and commit links. Refused (400) while issues were first seen in
        it.
        """
        services.delete_release(services.writable_release_or_404(self.access(), version))


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/releases/")
class ProjectReleases(ReleaseEndpoint):
    scope_map = {"GET": RELEASE_READ}
    public = frozenset({"GET"})

    @blp.doc(operationId="listProjectReleases")
    @blp.arguments(ProjectReleaseListArgs, location="query")
    @blp.paginated_response(ReleaseSchema(many=True), example=[examples.RELEASE])
    def get(self, args, organization_id_or_slug, project_id_or_slug):
        """List a project's releases.

        Newest first; `newGroups` counts this project's new issues.
        """
        project = self.project
        stmt = services.releases_of(self.organization).where(Release.id.in_(
            select(ReleaseProject.release_id).where(ReleaseProject.project_id == project.id)))
        stmt = in_environments(filtered(stmt, args["query"]), args["environment"], [project.id])
        return paginate(stmt, NEWEST_FIRST).serialize(
            lambda rows: serialize_releases(rows, project_id=project.id))
