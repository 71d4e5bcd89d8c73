"""Lookups the clients make before they know the project: short id -> issue, event id -> event.

``sentry issue view PROJ-4`` asks ``/shortids/PROJ-4/``; ``sentry event view <id>`` asks
``/eventids/<id>/`` when the organization has several projects; a search whose query is a
bare event id answers the issue holding it (Sentry's "direct hit", ``X-Sentry-Direct-Hit``).
"""

from __future__ import annotations

from sentryapi_projects import ALL_PROJECTS, Project, ProjectReach
from sqlalchemy import select

from sentryapi.api import EVENT_READ, ORG_READ, NotFound, ProjectEndpoint, db

from .event_ids import find_event, normalized_event_id
from .event_views import render_event
from .examples import EVENT_DETAIL, ISSUE
from .schemas import EventIdLookupSchema, ShortIdLookupSchema
from .serializers import serialize_issues, short_id
from .views import IssueEndpoint, blp


@blp.route("/organizations/<organization_id_or_slug>/shortids/<issue_id>/")
class ShortIdLookup(IssueEndpoint):
    scope_map = {"GET": EVENT_READ}
    public = frozenset({"GET"})

    @blp.response(200, ShortIdLookupSchema, example={
        "organizationSlug": "the-interstellar-jurisdiction", "projectSlug": "pump-station",
        "groupId": ISSUE["id"], "shortId": ISSUE["shortId"], "group": ISSUE})
    def get(self, organization_id_or_slug, issue_id):
        """Resolve a short id (`PUMP-STATION-1`) to its issue."""
        group = self.issue(issue_id)
        issue = serialize_issues([group], user=self.user, stats_period="24h",
                                 organization_slugs={self.organization.id: self.organization.slug})[0]
        return {"organizationSlug": self.organization.slug, "projectSlug": group.project.slug,
                "groupId": str(group.id), "shortId": short_id(group), "group": issue}


@blp.route("/organizations/<organization_id_or_slug>/eventids/<event_id>/")
class EventIdLookup(ProjectEndpoint):
    scope_map = {"GET": ORG_READ}
    public = frozenset({"GET"})

    @blp.response(200, EventIdLookupSchema, example={
        "organizationSlug": "the-interstellar-jurisdiction", "projectSlug": "pump-station",
        "groupId": EVENT_DETAIL["groupID"], "eventId": EVENT_DETAIL["eventID"],
        "event": EVENT_DETAIL})
    def get(self, organization_id_or_slug, event_id):
        """Resolve an event id to its project and issue, among the projects you reach."""
        reach = ProjectReach.of(self).requested_project_ids([ALL_PROJECTS])
        event = find_event(reach, normalized_event_id(event_id))
        if event is None:
            raise NotFound()
        project_slug = db.session.scalar(select(Project.slug).where(Project.id == event.project_id))
        return {"organizationSlug": self.organization.slug, "projectSlug": project_slug,
                "groupId": None if event.group_id is None else str(event.group_id),
                "eventId": event.event_id, "event": render_event(event)}

