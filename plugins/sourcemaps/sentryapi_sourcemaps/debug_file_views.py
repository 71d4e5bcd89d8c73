"""Routes for native debug files: sentry-cli's ``difs/assemble/`` and the ``dsyms/`` list."""

from __future__ import annotations

from flask import request

from sentryapi.api import (
    DATETIME,
    Ordering,
    ProjectEndpoint,
    ProjectReleasePermission,
    ValidationError,
    ValidationFailed,
    paginate,
)

from . import examples
from .blueprint import blp
from .debug_files import assemble_debug_file, debug_files_of, serialize_debug_file
from .models import DebugFile
from .schemas import SHA1, DebugFileQuerySchema, DebugFileSchema, DifRequestSchema

NEWEST_FIRST = Ordering(DebugFile.date_created, DebugFile.id, descending=True, kind=DATETIME)
MAX_FILES_PER_REQUEST = 1000


def dif_requests() -> dict[str, dict]:
    """The body: ``{sha1: {"name", "debug_id", "chunks"}}``, each entry checked."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or len(body) > MAX_FILES_PER_REQUEST:
        raise ValidationFailed({"non_field_errors": [
            f"Expected an object of at most {MAX_FILES_PER_REQUEST} files keyed by SHA-1."]})
    loaded, errors = {}, {}
    for checksum, entry in body.items():
        try:
            SHA1(checksum)
            loaded[checksum] = DifRequestSchema().load(entry if isinstance(entry, dict) else {})
        except ValidationError as error:
            errors[checksum] = error.messages if isinstance(error.messages, list) else [str(error.messages)]
    if errors:
        raise ValidationFailed(errors)
    return loaded


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/files/difs/assemble/")
class DifAssemble(ProjectEndpoint):
    """Sentry's ``DifAssembleEndpoint``."""

    scope_map = {"POST": ProjectReleasePermission["POST"]}

    @blp.response(200)
    def post(self, organization_id_or_slug, project_id_or_slug):
        """Assemble debug information files.

        From chunks uploaded to ``chunk-upload/``: per SHA-1, ``not_found`` with the
        ``missingChunks`` to upload first, then ``ok`` with the stored ``dif``, or
        ``error`` with a ``detail``.
        """
        return {checksum: assemble_debug_file(self.project, checksum, entry)
                for checksum, entry in dif_requests().items()}


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/files/dsyms/")
class DebugFiles(ProjectEndpoint):
    scope_map = {"GET": ProjectReleasePermission["GET"]}
    public = frozenset({"GET"})

    @blp.doc(operationId="listProjectDebugFiles")
    @blp.arguments(DebugFileQuerySchema, location="query")
    @blp.paginated_response(DebugFileSchema(many=True), example=[examples.DEBUG_FILE])
    def get(self, args, organization_id_or_slug, project_id_or_slug):
        """List a project's debug information files.

        Newest first, as uploaded by `sentry-cli debug-files upload`; `query`, `debug_id`,
        `code_id` and `file_formats` narrow the list.
        """
        stmt = debug_files_of(self.project, args.get("query"), args.get("debug_id"),
                              args.get("code_id"), args.get("file_formats", []))
        return paginate(stmt, NEWEST_FIRST).serialize(lambda rows: [serialize_debug_file(f) for f in rows])
