"""Probes (see ``sentryapi.probes``) for the stats routes that name a project."""

from __future__ import annotations

from sentryapi_projects.testing import PROJECT

from sentryapi.testing import probe

PROJECT_STATS = "/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/stats/"
ISSUE_COUNTS = "/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/issue-counts/"


@probe(PROJECT_STATS)
@probe(ISSUE_COUNTS)
def project(ctx) -> dict:
    return dict(ctx.need(PROJECT))
