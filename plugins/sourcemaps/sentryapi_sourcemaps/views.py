"""``POST /organizations/{org}/artifactbundle/assemble/``: sentry-cli's bundle assembly."""

from __future__ import annotations

from sentryapi.api import Endpoint, OrganizationReleasePermission, ValidationFailed, call_hook

from .assemble import assemble_bundle
from .blueprint import blp
from .schemas import AssembleSchema, AssembleStateSchema


def project_ids(organization, slugs: list[str]) -> list[int]:
    """The organization's projects named by ``slugs``; 400 if one is not among them."""
    found = []
    for slug in dict.fromkeys(slugs):
        answers = [a for a in call_hook("find_project", organization, slug) if a]
        if not answers:
            raise ValidationFailed({"projects": ["One or more projects are invalid."]})
        found.append(answers[0][0].id)
    return found


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
