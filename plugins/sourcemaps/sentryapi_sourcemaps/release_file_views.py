"""Routes of the legacy release files API, in the project and the organization form."""

from __future__ import annotations

from flask import current_app

from sentryapi.api import Endpoint as OrganizationEndpoint
from sentryapi.api import (
    OrganizationReleasePermission,
    ProjectEndpoint,
    ProjectReleasePermission,
    paginate,
)

from . import examples
from .blobs import blobs
from .blueprint import blp
from .release_files import (
    BY_NAME,
    delete_file,
    file_or_404,
    files_of,
    release_or_404,
    rename_file,
    serialize_file,
    upload_file,
)
from .schemas import (
    RELEASE_FILE_UPLOAD,
    ReleaseFileDownloadSchema,
    ReleaseFileQuerySchema,
    ReleaseFileSchema,
    ReleaseFileUpdateSchema,
)

PROJECT_FILES = "/projects/<organization_id_or_slug>/<project_id_or_slug>/releases/<path:version>/files/"
ORGANIZATION_FILES = "/organizations/<organization_id_or_slug>/releases/<path:version>/files/"
ROUTE = {"merge_slashes": False}


def max_upload(config) -> int:
    return config["SOURCEMAPS_MAX_RELEASE_FILE_SIZE"] + 64 * 1024


class FilesBase:
    """List and upload; ``release()`` finds the release in the organization or project."""

    multipart_methods = frozenset({"POST"})
    public = frozenset({"GET", "POST"})

    @classmethod
    def max_body_size(cls, config) -> int:
        return max_upload(config)

    def list_files(self, args, version):
        stmt = files_of(self.release(version), args.get("query", []), args.get("checksum", []))
        return paginate(stmt, BY_NAME).serialize(lambda rows: [serialize_file(f) for f in rows])

    def upload(self, version):
        return serialize_file(upload_file(self.release(version)))


class FileBase:
    """Read (or download), rename, delete one file."""

    public = frozenset({"GET", "PUT", "DELETE"})

    def read(self, args, version, file_id):
        file = file_or_404(self.release(version), file_id)
        if args.get("download"):
            data = blobs().get(file.organization_id, file.checksum) or b""
            name = file.name.rsplit("/", 1)[-1] or "file"
            return current_app.response_class(data, mimetype="application/octet-stream", headers={
                "Content-Disposition": f'attachment; filename="{name}"'})
        return serialize_file(file)


def _project_release(self, version):
    return release_or_404(self.organization, version, self.project)


def _organization_release(self, version):
    return release_or_404(self.organization, version)


@blp.route(PROJECT_FILES, **ROUTE)
class ProjectReleaseFiles(FilesBase, ProjectEndpoint):
    scope_map = ProjectReleasePermission
    release = _project_release

    @blp.doc(operationId="listProjectReleaseFiles")
    @blp.arguments(ReleaseFileQuerySchema, location="query")
    @blp.paginated_response(ReleaseFileSchema(many=True), example=[examples.RELEASE_FILE])
    def get(self, args, organization_id_or_slug, project_id_or_slug, version):
        """List a project's release files.

        By name; `query` keeps names containing one of its values, `checksum` exact SHA-1s.
        """
        return self.list_files(args, version)

    @blp.doc(operationId="uploadProjectReleaseFile", requestBody=RELEASE_FILE_UPLOAD)
    @blp.response(201, ReleaseFileSchema, example=examples.RELEASE_FILE)
    @blp.errors(409)
    def post(self, organization_id_or_slug, project_id_or_slug, version):
        """Upload a new project release file.

        `multipart/form-data` with the `file`, its `name` (URL), `dist` and `header`s
        (`Sourcemap:app.js.map`). A name already in the release (and dist) is a 409.
        """
        return self.upload(version), 201


@blp.route(PROJECT_FILES + "<file_id>/", **ROUTE)
class ProjectReleaseFileDetails(FileBase, ProjectEndpoint):
    scope_map = ProjectReleasePermission
    release = _project_release

    @blp.doc(operationId="getProjectReleaseFile")
    @blp.arguments(ReleaseFileDownloadSchema, location="query")
    @blp.response(200, ReleaseFileSchema, example=examples.RELEASE_FILE)
    def get(self, args, organization_id_or_slug, project_id_or_slug, version, file_id):
        """Retrieve a project release's file.

        Its metadata, or its contents with `download` set.
        """
        return self.read(args, version, file_id)

    @blp.doc(operationId="updateProjectReleaseFile")
    @blp.arguments(ReleaseFileUpdateSchema)
    @blp.response(200, ReleaseFileSchema, example=examples.RELEASE_FILE)
    @blp.errors(409)
    def put(self, body, organization_id_or_slug, project_id_or_slug, version, file_id):
        """Update a project release file.

        Its `name` (and `dist`).
        """
        return serialize_file(rename_file(file_or_404(self.release(version), file_id), body))

    @blp.doc(operationId="deleteProjectReleaseFile")
    @blp.response(204)
    def delete(self, organization_id_or_slug, project_id_or_slug, version, file_id):
        """Delete a project release file.

        Its contents go too unless another file or bundle holds the same bytes.
        """
        delete_file(file_or_404(self.release(version), file_id))


@blp.route(ORGANIZATION_FILES, **ROUTE)
class OrganizationReleaseFiles(FilesBase, OrganizationEndpoint):
    scope_map = OrganizationReleasePermission
    release = _organization_release

    @blp.doc(operationId="listOrganizationReleaseFiles")
    @blp.arguments(ReleaseFileQuerySchema, location="query")
    @blp.paginated_response(ReleaseFileSchema(many=True), example=[examples.RELEASE_FILE])
    def get(self, args, organization_id_or_slug, version):
        """List an organization's release files.

        By name; `query` keeps names containing one of its values, `checksum` exact SHA-1s.
        """
        return self.list_files(args, version)

    @blp.doc(operationId="uploadOrganizationReleaseFile", requestBody=RELEASE_FILE_UPLOAD)
    @blp.response(201, ReleaseFileSchema, example=examples.RELEASE_FILE)
    @blp.errors(409)
    def post(self, organization_id_or_slug, version):
        """Upload a new organization release file.

        `multipart/form-data` with the `file`, its `name` (URL), `dist` and `header`s
        (`Sourcemap:app.js.map`). A name already in the release (and dist) is a 409.
        """
        return self.upload(version), 201


@blp.route(ORGANIZATION_FILES + "<file_id>/", **ROUTE)
class OrganizationReleaseFileDetails(FileBase, OrganizationEndpoint):
    scope_map = OrganizationReleasePermission
    release = _organization_release

    @blp.doc(operationId="getOrganizationReleaseFile")
    @blp.arguments(ReleaseFileDownloadSchema, location="query")
    @blp.response(200, ReleaseFileSchema, example=examples.RELEASE_FILE)
    def get(self, args, organization_id_or_slug, version, file_id):
        """Retrieve an organization release's file.

        Its metadata, or its contents with `download` set.
        """
        return self.read(args, version, file_id)

    @blp.doc(operationId="updateOrganizationReleaseFile")
    @blp.arguments(ReleaseFileUpdateSchema)
    @blp.response(200, ReleaseFileSchema, example=examples.RELEASE_FILE)
    @blp.errors(409)
    def put(self, body, organization_id_or_slug, version, file_id):
        """Update an organization release file.

        Its `name` (and `dist`).
        """
        return serialize_file(rename_file(file_or_404(self.release(version), file_id), body))

    @blp.doc(operationId="deleteOrganizationReleaseFile")
    @blp.response(204)
    def delete(self, organization_id_or_slug, version, file_id):
        """Delete an organization release file.

        Its contents go too unless another file or bundle holds the same bytes.
        """
        delete_file(file_or_404(self.release(version), file_id))
