"""The stats endpoints: organization stats v2, project stats, issue counts."""

from __future__ import annotations

import dataclasses
import datetime as dt

from flask import jsonify
from sentryapi_projects import ProjectReach

from sentryapi.api import Endpoint, ProjectEndpoint

from . import examples
from .blueprint import EVENT_READ, ORG_READ, PROJECT_READ, blp
from .event_stats import issue_counts
from .project_stats import project_stats
from .schemas import (
    PROJECT_STATS_SCHEMA,
    IssueCountArgs,
    IssueCountSchema,
    ProjectStatsArgs,
    UsageArgs,
    UsageSchema,
)
from .usage import parse_usage_query, run_usage_query


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@blp.route("/organizations/<organization_id_or_slug>/stats_v2/")
class OrganizationStatsV2(Endpoint):
    scope_map = {"GET": ORG_READ}
    public = frozenset({"GET"})

    @blp.doc(operationId="listOrganizationStatsV2")
    @blp.arguments(UsageArgs, location="query")
    @blp.response(200, UsageSchema, example=examples.USAGE)
    def get(self, args, organization_id_or_slug):
        """Retrieve event counts for an organization (v2).

        What became of the items SDKs sent (accepted, filtered, rate limited, invalid,
        client discards...), summed per `interval` and grouped by `outcome`, `category`,
        `reason` and/or `project`. `category` must be a filter or a `groupBy`.
        `interval` is a whole number of hours dividing a day (default `1h`); the range
        (`statsPeriod`, default `14d`, or `start` and `end`) is widened to whole
        intervals, at most 1000 of them.
        """
        query = parse_usage_query(self.organization, args, now())
        if query.project_ids is not None or "project" in query.group_by:
            # As Sentry: organization totals are every member's to read; figures per
            # project only for the projects the caller reaches (a named one out of reach: 403).
            query = dataclasses.replace(query, project_ids=ProjectReach.of(self).restrict(query.project_ids))
        # Rendered as is: thousands of numbers need no schema pass (the document has it).
        return jsonify(run_usage_query(self.organization, query))


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/stats/")
class ProjectStats(ProjectEndpoint):
    scope_map = {"GET": PROJECT_READ}
    public = frozenset({"GET"})

    @blp.doc(operationId="listProjectStats")
    @blp.arguments(ProjectStatsArgs, location="query")
    @blp.response(200, PROJECT_STATS_SCHEMA, example=examples.PROJECT_STATS)
    def get(self, args, organization_id_or_slug, project_id_or_slug):
        """Retrieve event counts for a project.

        `[[unix_ts, count], ...]` per bucket of `resolution`, oldest first, for the error
        events counted by `stat`. Buckets start at multiples of their width (UTC).
        """
        project = self.project
        # A bare array: returned as a response, the documented schema is not a Schema.
        return jsonify(project_stats(project, args, now()))


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/issue-counts/")
class ProjectIssueCounts(ProjectEndpoint):
    scope_map = {"GET": EVENT_READ + PROJECT_READ}

    @blp.arguments(IssueCountArgs, location="query")
    @blp.response(200, IssueCountSchema, example=examples.ISSUE_COUNTS)
    def get(self, args, organization_id_or_slug, project_id_or_slug):
        """Count a project's issues by level and by status.

        Ours (Sentry has no exact twin): `statsPeriod` keeps the issues seen in that
        period up to now.
        """
        project = self.project
        return issue_counts(project, args, now())
