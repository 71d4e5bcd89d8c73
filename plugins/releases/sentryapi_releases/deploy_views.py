"""Endpoints under one release: its deploys and its commits."""

from __future__ import annotations

from sqlalchemy import select

from sentryapi.api import (
    NUMBER,
    STRING,
    ListFilter,
    Listing,
    NotFound,
    Ordering,
    db,
    fields,
)

from . import examples, services
from .blueprint import RELEASE_READ, RELEASE_WRITE, blp
from .models import Commit, Deploy, ReleaseCommit, ReleaseProject, ReleaseProjectEnvironment
from .schemas import DeployCreateSchema, ReleaseCommitSchema, ReleaseDeploySchema
from .serializers import serialize_commits, serialize_deploy
from .views import VERSION_ROUTE, ReleaseEndpoint

DEPLOYS = Listing(
    "ReleaseDeployListArgs",
    # (release_id, date_finished, id) serves this order; a release has few deploys.
    sorts={"dateFinished": Ordering(Deploy.date_finished, Deploy.id),
           "environment": Ordering(Deploy.environment, Deploy.id, kind=STRING)},
    default_sort="-dateFinished",
    query=(Deploy.name, Deploy.environment),
    query_help="Deploys whose name or environment contains this text (case-insensitive).",
    filters={"environment": ListFilter(
        fields.String(metadata={"description": "Only the deploy to this environment (a name "
                                               "no deploy has matches nothing)."}),
        lambda name: Deploy.environment == name)},
)
COMMITS = Listing(
    "ReleaseCommitListArgs",
    # The order the commits were sent in, on (release_id, position); the view joins the commit.
    sorts={"position": Ordering(ReleaseCommit.position, ReleaseCommit.id, kind=NUMBER)},
    default_sort="position",
    query=(Commit.key, Commit.message),
    query_help="Commits whose id (SHA) or message contains this text (case-insensitive).",
)


@blp.route("/organizations/<organization_id_or_slug>/releases/<path:version>/deploys/",
           **VERSION_ROUTE)
class ReleaseDeploys(ReleaseEndpoint):
    scope_map = {"GET": RELEASE_READ, "POST": RELEASE_WRITE}
    public = frozenset({"GET", "POST"})

    @blp.doc(operationId="listOrganizationReleaseDeploys")
    @blp.arguments(DEPLOYS.schema, location="query")
    @blp.paginated_response(ReleaseDeploySchema(many=True), example=[examples.DEPLOY])
    def get(self, args, organization_id_or_slug, version):
        """List a release's deploys.

        The latest deploy to each environment of the projects you can see, latest first
        (as Sentry lists them).
        """
        access = self.access()
        release = services.readable_release_or_404(access, version)
        latest = select(ReleaseProjectEnvironment.last_deploy_id).where(
            ReleaseProjectEnvironment.release_id == release.id,
            ReleaseProjectEnvironment.project_id.in_(access.accessible_project_ids()))
        stmt = select(Deploy).where(Deploy.release_id == release.id, Deploy.id.in_(latest))
        return DEPLOYS.paginate(stmt, args).serialize(lambda rows: [serialize_deploy(d) for d in rows])

    @blp.doc(operationId="createOrganizationReleaseDeploy")
    @blp.arguments(DeployCreateSchema)
    @blp.response(201, ReleaseDeploySchema, example=examples.DEPLOY)
    def post(self, data, organization_id_or_slug, version):
        """Create a deploy.

        Records that the release went to `environment`, for the projects named (default:
        all of the release's). `dateFinished` defaults to now.
        """
        access = self.access()
        release = services.writable_release_or_404(access, version)
        return serialize_deploy(services.create_deploy(access, release, data))


def _commit_page(release, args):
    stmt = (select(ReleaseCommit).join(Commit, Commit.id == ReleaseCommit.commit_id)
            .where(ReleaseCommit.release_id == release.id))

    def render(links):
        commits = serialize_commits(release.organization_id, [link.commit_id for link in links])
        return [commits[link.commit_id] for link in links]

    return COMMITS.paginate(stmt, args).serialize(render)


@blp.route("/organizations/<organization_id_or_slug>/releases/<path:version>/commits/",
           **VERSION_ROUTE)
class ReleaseCommits(ReleaseEndpoint):
    scope_map = {"GET": RELEASE_READ}
    public = frozenset({"GET"})

    @blp.doc(operationId="listOrganizationReleaseCommits")
    @blp.arguments(COMMITS.schema, location="query")
    @blp.paginated_response(ReleaseCommitSchema(many=True), example=[examples.COMMIT])
    def get(self, args, organization_id_or_slug, version):
        """List a release's commits.

        In the order they were sent (newest first), with repository and author.
        """
        return _commit_page(services.readable_release_or_404(self.access(), version), args)


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/releases/<path:version>/commits/",
           **VERSION_ROUTE)
class ProjectReleaseCommits(ReleaseEndpoint):
    scope_map = {"GET": RELEASE_READ}
    public = frozenset({"GET"})

    @blp.doc(operationId="listProjectReleaseCommits")
    @blp.arguments(COMMITS.schema, location="query")
    @blp.paginated_response(ReleaseCommitSchema(many=True), example=[examples.COMMIT])
    def get(self, args, organization_id_or_slug, project_id_or_slug, version):
        """List a project release's commits."""
        project = self.project
        release = services.get_release_or_404(self.organization, version)
        if not db.session.scalar(select(ReleaseProject.id).where(
                ReleaseProject.release_id == release.id, ReleaseProject.project_id == project.id)):
            raise NotFound()
        return _commit_page(release, args)
