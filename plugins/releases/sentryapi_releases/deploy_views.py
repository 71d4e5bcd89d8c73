"""Endpoints under one release: its deploys and its commits."""

from __future__ import annotations

from sqlalchemy import select

from sentryapi.api import DATETIME, NUMBER, NotFound, Ordering, db, paginate

from . import examples, services
from .blueprint import RELEASE_READ, RELEASE_WRITE, blp
from .models import Deploy, ReleaseCommit, ReleaseProject, ReleaseProjectEnvironment
from .schemas import DeployCreateSchema, ReleaseCommitSchema, ReleaseDeploySchema
from .serializers import serialize_commits, serialize_deploy
from .views import VERSION_ROUTE, ReleaseEndpoint

LATEST_FIRST = Ordering(Deploy.date_finished, Deploy.id, descending=True, kind=DATETIME)
LISTED_ORDER = Ordering(ReleaseCommit.position, ReleaseCommit.id, descending=False, kind=NUMBER)


@blp.route("/organizations/<organization_id_or_slug>/releases/<path:version>/deploys/",
           **VERSION_ROUTE)
class ReleaseDeploys(ReleaseEndpoint):
    scope_map = {"GET": RELEASE_READ, "POST": RELEASE_WRITE}
    public = frozenset({"GET", "POST"})

    @blp.doc(operationId="listOrganizationReleaseDeploys")
    @blp.paginated_response(ReleaseDeploySchema(many=True), example=[examples.DEPLOY])
    def get(self, organization_id_or_slug, version):
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
        return paginate(stmt, LATEST_FIRST).serialize(lambda rows: [serialize_deploy(d) for d in rows])

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


def _commit_page(release):
    stmt = select(ReleaseCommit).where(ReleaseCommit.release_id == release.id)

    def render(links):
        commits = serialize_commits(release.organization_id, [link.commit_id for link in links])
        return [commits[link.commit_id] for link in links]

    return paginate(stmt, LISTED_ORDER).serialize(render)


@blp.route("/organizations/<organization_id_or_slug>/releases/<path:version>/commits/",
           **VERSION_ROUTE)
class ReleaseCommits(ReleaseEndpoint):
    scope_map = {"GET": RELEASE_READ}
    public = frozenset({"GET"})

    @blp.doc(operationId="listOrganizationReleaseCommits")
    @blp.paginated_response(ReleaseCommitSchema(many=True), example=[examples.COMMIT])
    def get(self, organization_id_or_slug, version):
        """List a release's commits.

        In the order they were sent (newest first), with repository and author.
        """
        return _commit_page(services.readable_release_or_404(self.access(), version))


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/releases/<path:version>/commits/",
           **VERSION_ROUTE)
class ProjectReleaseCommits(ReleaseEndpoint):
    scope_map = {"GET": RELEASE_READ}
    public = frozenset({"GET"})

    @blp.doc(operationId="listProjectReleaseCommits")
    @blp.paginated_response(ReleaseCommitSchema(many=True), example=[examples.COMMIT])
    def get(self, organization_id_or_slug, project_id_or_slug, version):
        """List a project release's commits."""
        project = self.project
        release = services.get_release_or_404(self.organization, version)
        if not db.session.scalar(select(ReleaseProject.id).where(
                ReleaseProject.release_id == release.id, ReleaseProject.project_id == project.id)):
            raise NotFound()
        return _commit_page(release)
