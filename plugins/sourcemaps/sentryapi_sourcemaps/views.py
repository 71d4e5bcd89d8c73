"""``POST /organizations/{org}/artifactbundle/assemble/``: sentry-cli's bundle assembly."""

from __future__ import annotations

from sentryapi_projects import Project, projects_of
from sqlalchemy import or_

from sentryapi.api import Endpoint, OrganizationReleasePermission, ValidationFailed, db

from .assemble import assemble_bundle
from .blueprint import blp
from .schemas import AssembleSchema, AssembleStateSchema


def project_ids(organization, slugs: list[str]) -> list[int]:
    """The organization's projects named by ``slugs`` (or ids); 400 if one is not among them."""
    wanted = set(slugs)
    ids = [int(s) for s in wanted if s.isascii() and s.isdigit() and len(s) < 19]
    found = db.session.execute(projects_of(organization).with_only_columns(Project.id, Project.slug).where(
        or_(Project.slug.in_(wanted), Project.id.in_(ids)))).all()
    named = {row.slug for row in found} | {str(row.id) for row in found}
    if not wanted <= named:
        raise ValidationFailed({"projects": ["One or more projects are invalid."]})
    return sorted({row.id for row in found})

@blp.route("/organizations/<organization_id_or_slug>/artifactbundle/assemble/")
class ArtifactBundleAssemble(Endpoint):
    """Sentry's ``OrganizationArtifactBundleAssembleEndpoint``."""

    scope_map = OrganizationReleasePermission

    @blp.arguments(AssembleSchema)
    @blp.response(200, AssembleStateSchema)
    def post(self, body, organization_id_or_slug):
        """Assemble an artifact bundle.

        From chunks uploaded to ``chunk-upload/``: answers ``not_found`` with the
        ``missingChunks`` to upload first, then ``ok`` once the bundle is stored and
        indexed by its files' debug ids, its projects and its release (``version``) and
        ``dist``; ``error`` with a ``detail`` for a checksum mismatch or a bad zip.
        """
        ids = project_ids(self.organization, body["projects"])
        return assemble_bundle(self.organization.id, body["checksum"], body["chunks"], ids,
                               body.get("version"), body.get("dist"))
