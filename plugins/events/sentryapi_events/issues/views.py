"""Issues: project and organization lists with Sentry's search, bulk changes, detail."""

from __future__ import annotations

from sentryapi_projects import ALL_PROJECTS, Project, ProjectReach
from sqlalchemy import select, tuple_

from sentryapi.api import (
    EVENT_ADMIN,
    EVENT_READ,
    EVENT_WRITE,
    Blueprint,
    NotFound,
    ProjectEndpoint,
    db,
    paginate,
)

from ..attachments.models import EventAttachment
from ..models import Event, Group
from . import services as issues
from .event_ids import direct_hit, parse_event_id
from .examples import ISSUE, ISSUE_DETAIL, UPDATE_RESULT
from .schemas import (
    BulkArgs,
    IssueListArgs,
    IssueSchema,
    IssueUpdateResultSchema,
    IssueUpdateSchema,
)
from .serializers import parse_short_id, serialize_issue_detail, serialize_issues
from .stats import period_start, stats_period
from .tags import issue_tag_keys

blp = Blueprint("Events", __name__, description="Issues (groups of events) and events.")

ISSUE_SCOPES = {"GET": EVENT_READ, "PUT": EVENT_WRITE, "DELETE": EVENT_ADMIN}


#: ``collapse=`` values and the keys of an issue they leave out.
COLLAPSIBLE = {"stats": "stats", "lifetime": "lifetime", "filtered": "filtered",
               "unhandled": "isUnhandled"}


def latest_events_with_attachments(group_ids: list[int]) -> set[int]:
    """Of these issues, those whose latest event has an attachment (two queries per page)."""
    if not group_ids:
        return set()
    latest_event = (select(Event.event_id).where(Event.group_id == Group.id)
                    .order_by(Event.timestamp.desc(), Event.id.desc()).limit(1)
                    .correlate(Group).scalar_subquery())
    latest = {(project_id, event_id): group_id for group_id, project_id, event_id in db.session.execute(
        select(Group.id, Group.project_id, latest_event).where(Group.id.in_(group_ids))) if event_id}
    if not latest:
        return set()
    attached = db.session.execute(select(EventAttachment.project_id, EventAttachment.event_id).where(
        tuple_(EventAttachment.project_id, EventAttachment.event_id).in_(list(latest)))).all()
    return {latest[tuple(row)] for row in attached}


def collapsed(items: list[dict], collapse: list[str]) -> list[dict]:
    keys = [COLLAPSIBLE[value] for value in collapse if value in COLLAPSIBLE]
    for item in items:
        for key in keys:
            item.pop(key, None)
    return items


class IssueListMixin:
    """What the project and organization lists share."""

    organization_list = False

    def project_ids(self, args, project_id_or_slug=None):
        """The project in the URL, else those asked for (``-1`` or none: all the caller
        reaches; a named project out of reach is a 403)."""
        if project_id_or_slug is not None:
            return [self.project.id]
        requested = [value for value in args["project"] if value != ALL_PROJECTS]
        reach = ProjectReach.of(self).requested_project_ids(requested or [ALL_PROJECTS])
        return list(db.session.scalars(reach))

    def selection(self, args, project_id_or_slug=None, *, status=None):
        project_ids = self.project_ids(args, project_id_or_slug)
        query = args["query"]
        if args.get("shortIdLookup") in ("1", "true") and query and parse_short_id(query.strip()):
            try:
                group = issues.get_issue_or_404(self.organization, query.strip())
            except NotFound:
                pass
            else:
                if project_ids is None or group.project_id in project_ids:
                    return select(Group).where(Group.id == group.id)
        return issues.issues_select(self.organization, self.user, project_ids=project_ids,
                                    query=query, environments=args["environment"], status=status)

    def sparkline_period(self, args) -> str | None:
        """The stats buckets: ``groupStatsPeriod`` (on a project's list, also ``statsPeriod``)."""
        if "stats" in args["collapse"]:
            return None
        if self.organization_list or args["groupStatsPeriod"] is not None:
            return stats_period(args["groupStatsPeriod"])
        return stats_period(args["statsPeriod"])

    def list_selection(self, args, project_id_or_slug=None):
        """The issues listed: the search, and on the organization's list the date range
        ``statsPeriod`` (issues seen within it: their last event is)."""
        stmt = self.selection(args, project_id_or_slug)
        if self.organization_list and args["statsPeriod"]:
            stmt = stmt.where(Group.last_seen >= period_start(args["statsPeriod"]))
        elif self.organization_list:  # or start/end: issues with events in the range
            if args["start"]:
                stmt = stmt.where(Group.last_seen >= args["start"])
            if args["end"]:
                stmt = stmt.where(Group.first_seen <= args["end"])
        return stmt

    def list_issues(self, args, project_id_or_slug=None):
        period = self.sparkline_period(args)
        hit = (direct_hit(self.project_ids(args, project_id_or_slug), args["query"])
               if parse_event_id(args["query"] or "") else None)
        selection = (select(Group).where(Group.id == hit[0].id) if hit
                     else self.list_selection(args, project_id_or_slug))
        page = paginate(selection, issues.ORDERINGS[args["sort"]], per_page_param="limit")
        slugs = {self.organization.id: self.organization.slug}
        page.serialize(lambda groups: collapsed(serialize_issues(
            groups, user=self.user, stats_period=period, organization_slugs=slugs,
            organization_list=self.organization_list), args["collapse"]))
        if self.organization_list:
            with_attachments = latest_events_with_attachments([int(i["id"]) for i in page.items])
            for issue in page.items:
                if "latestEventHasAttachments" in issue:
                    issue["latestEventHasAttachments"] = int(issue["id"]) in with_attachments
        if hit:
            page.items = [{**issue, "matchingEventId": hit[1]} for issue in page.items]
            page.headers["X-Sentry-Direct-Hit"] = "1"
        return page

    def targets(self, args, project_id_or_slug=None) -> list[Group]:
        """The issues a bulk change applies to: ``id=`` values, else the query's first 1000."""
        stmt = self.selection(args, project_id_or_slug, status=args["status"])
        if args["id"]:
            ids = [issues.parse_issue_id(value) for value in args["id"]]
            stmt = issues.issues_select(self.organization, self.user,
                                        project_ids=self.project_ids(args, project_id_or_slug),
                                        query="").where(Group.id.in_(ids))
        return list(db.session.scalars(stmt.order_by(Group.id).limit(issues.BULK_LIMIT)).unique())

    def bulk_update(self, args, data, project_id_or_slug=None):
        groups = self.targets(args, project_id_or_slug)
        if not groups:
            return "", 204
        return issues.update_issues(self.organization, groups, data, self.user)

    def bulk_delete(self, args, project_id_or_slug=None):
        groups = self.targets(args, project_id_or_slug)
        issues.delete_issues([group.id for group in groups])
        return "", 204


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/issues/")
class ProjectIssueIndex(IssueListMixin, ProjectEndpoint):
    scope_map = ISSUE_SCOPES
    public = frozenset({"GET", "PUT", "DELETE"})

    @blp.deprecated("2026-12-03", successor="/api/0/organizations/{organization_id_or_slug}/issues/")
    @blp.arguments(IssueListArgs, location="query")
    @blp.paginated_response(IssueSchema(many=True), per_page_param="limit", example=[ISSUE])
    def get(self, args, organization_id_or_slug, project_id_or_slug):
        """List a project's issues.

        `query` takes Sentry's search syntax (`is:unresolved` when absent; pass an
        empty `query=` for every issue); `sort` is `date`, `new`, `freq` or `user`;
        `statsPeriod` (`24h`, `14d` or empty) adds event counts per hour or day.
        """
        return self.list_issues(args, project_id_or_slug)

    @blp.arguments(BulkArgs, location="query")
    @blp.arguments(IssueUpdateSchema)
    @blp.response(200, IssueUpdateResultSchema, example=UPDATE_RESULT)
    @blp.alt_response(204, description="No issue matched: nothing changed.")
    def put(self, args, data, organization_id_or_slug, project_id_or_slug):
        """Bulk mutate a list of issues.

        Selects issues by `id` (repeated), else by `query` and `status`; 204 if none match.
        """
        return self.bulk_update(args, data, project_id_or_slug)

    @blp.arguments(BulkArgs, location="query")
    @blp.response(204)
    def delete(self, args, organization_id_or_slug, project_id_or_slug):
        """Bulk remove a list of issues (by `id`, else the first 1000 matching `query`)."""
        return self.bulk_delete(args, project_id_or_slug)


@blp.route("/organizations/<organization_id_or_slug>/issues/")
class OrganizationIssueIndex(IssueListMixin, ProjectEndpoint):
    scope_map = ISSUE_SCOPES
    public = frozenset({"GET", "PUT", "DELETE"})
    organization_list = True

    @blp.arguments(IssueListArgs, location="query")
    @blp.paginated_response(IssueSchema(many=True), per_page_param="limit", example=[ISSUE])
    def get(self, args, organization_id_or_slug):
        """List an organization's issues.

        Like a project's list, across the projects given by `project` (ids or slugs;
        all when absent or `-1`), optionally only those seen in `environment`.
        `statsPeriod` is the date range (any duration: `24h`, `14d`, `1w`, `90d`: issues
        seen within it); `groupStatsPeriod` (`24h` by default, `14d`, or empty) the
        sparkline buckets; `collapse` (`stats`, `lifetime`, `filtered`, `unhandled`,
        repeated) leaves those parts out. A query that is a bare event id answers the issue
        holding it, with `matchingEventId` and the header `X-Sentry-Direct-Hit: 1`.
        """
        return self.list_issues(args)

    @blp.arguments(BulkArgs, location="query")
    @blp.arguments(IssueUpdateSchema)
    @blp.response(200, IssueUpdateResultSchema, example=UPDATE_RESULT)
    @blp.alt_response(204, description="No issue matched: nothing changed.")
    def put(self, args, data, organization_id_or_slug):
        """Bulk mutate an organization's issues."""
        return self.bulk_update(args, data)

    @blp.arguments(BulkArgs, location="query")
    @blp.response(204)
    def delete(self, args, organization_id_or_slug):
        """Bulk remove an organization's issues."""
        return self.bulk_delete(args)


#: The organization a legacy path names when its issue does not exist (ids start at 1).
NO_ORGANIZATION = "0"


class IssueEndpoint(ProjectEndpoint):
    """A view under ``/organizations/{org}/issues/{issue_id}/`` (or the legacy ``/issues/{id}/``).

    An issue is an object of its project: the core checks the caller's access to that
    project (team membership or global access) before the view runs.
    """

    scope_map = ISSUE_SCOPES
    project_arg = "issue_id"
    group: Group | None = None

    def project_ref(self, kwargs: dict) -> str:
        self.group = issues.get_issue_or_404(self.organization, kwargs["issue_id"])
        return str(self.group.project_id)

    def dispatch_request(self, **kwargs):
        if "organization_id_or_slug" not in kwargs:
            # Legacy path without the organization: find it from the issue, then check
            # access exactly as on the organization's path (a stranger gets the same 404).
            issue_id = issues.parse_issue_id(kwargs.get("issue_id", ""))
            org_of = (select(Project.organization_id).join(Group, Group.project_id == Project.id))
            org_id = db.session.scalar(org_of.where(Group.id == issue_id))
            if org_id is None and (parent := issues.merged_into(issue_id)) is not None:
                org_id = db.session.scalar(org_of.where(Group.id == parent))
            # An unknown issue names an organization that does not exist (no id is 0): the
            # caller is authenticated, then gets the 404 another tenant's issue gets. Were
            # the organization left out, the scope check would answer 403 first, and a
            # 403/404 would tell whether the id exists in some other organization.
            kwargs["organization_id_or_slug"] = str(org_id) if org_id is not None else NO_ORGANIZATION
        return super().dispatch_request(**kwargs)

    def issue(self, issue_id: str) -> Group:
        if self.group is None:
            raise NotFound()
        return self.group


class IssueDetailsBase(IssueEndpoint):
    @blp.response(200, IssueSchema, example=ISSUE_DETAIL)
    def get(self, issue_id, organization_id_or_slug=None):
        """Retrieve an issue, with its tags' top values and 24-hour and 30-day stats."""
        group = self.issue(issue_id)
        return serialize_issue_detail(group, user=self.user, tags=issue_tag_keys(group))

    @blp.arguments(IssueUpdateSchema)
    @blp.response(200, IssueSchema, example=ISSUE)
    def put(self, data, issue_id, organization_id_or_slug=None):
        """Update an issue: status, assignee, seen and bookmark flags."""
        group = self.issue(issue_id)
        issues.update_issues(self.organization, [group], data, self.user)
        group = self.issue(issue_id)
        return serialize_issues([group], user=self.user, stats_period="24h")[0]

    @blp.response(202)
    def delete(self, issue_id, organization_id_or_slug=None):
        """Remove an issue and its events."""
        group = self.issue(issue_id)
        issues.delete_issues([group.id])
        return "", 202


@blp.route("/organizations/<organization_id_or_slug>/issues/<issue_id>/")
class IssueDetails(IssueDetailsBase):
    public = frozenset({"GET", "PUT", "DELETE"})


@blp.route("/issues/<issue_id>/")
class LegacyIssueDetails(IssueDetailsBase):
    """``/api/0/issues/{id}/``: older scripts' path to the same issue."""
