"""Probes and fixtures for tests of the sourcemaps plugin; never imported by the server."""

from __future__ import annotations

from sentryapi_projects.testing import PROJECT

from sentryapi.testing import probe

ASSEMBLE = "/api/0/organizations/<organization_id_or_slug>/artifactbundle/assemble/"
EMPTY_SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"


@probe(ASSEMBLE, bodies={"POST": lambda ctx: {
    "checksum": EMPTY_SHA1, "chunks": [EMPTY_SHA1],
    "projects": [ctx.need(PROJECT)["project_id_or_slug"]]}})
def assemble(ctx):
    return {}


@probe("/api/0/organizations/<organization_id_or_slug>/chunk-upload/")
def chunk_upload(ctx):
    return {}
