"""Events of a project or an issue, one event in full, and an issue's tag values."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, tuple_

from sentryapi.api import (
    DATETIME,
    EVENT_READ,
    NUMBER,
    PROJECT_READ,
    STRING,
    NotFound,
    Ordering,
    ParseError,
    ProjectEndpoint,
    build_filters,
    db,
    paginate,
    parse_query,
    text_match,
)

from ..models import Event, GroupTagValue
from .event_json import serialize_event, serialize_event_summary
from .examples import EVENT, EVENT_DETAIL, TAG_KEY, TAG_VALUE
from .schemas import EventDetailSchema, EventListArgs, EventSchema, TagKeySchema, TagValueSchema
from .tags import issue_tag_keys, tag_value_json
from .views import IssueEndpoint, blp

UTC = dt.UTC
#: Sentry lists a project's events for its project and event scopes alike.
PROJECT_EVENTS_READ = (*PROJECT_READ, *EVENT_READ)
EVENT_ORDER = Ordering(Event.timestamp, Event.id, kind=DATETIME)
#: ``sample=true``: event ids are random, so their order is a stable pseudo-random one
#: (walked on the ``(project_id, event_id)`` index).
SAMPLE_ORDER = Ordering(Event.event_id, Event.id, descending=False, kind=STRING)
EVENT_SEARCH = {
    "environment": lambda f: text_match(Event.environment, f),
    "release": lambda f: text_match(Event.release, f),
    "level": lambda f: text_match(Event.level, f),
}
PERIOD_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def _period_start(value: str) -> dt.datetime:
    unit = PERIOD_UNITS.get(value[-1:])
    if unit is None or not value[:-1].isdigit() or len(value) > 8:
        raise ParseError(f"Invalid statsPeriod: {value}")
    return dt.datetime.now(UTC) - dt.timedelta(seconds=int(value[:-1]) * unit)


def events_select(args, *conditions):
    stmt = select(Event).where(*conditions)
    if args["statsPeriod"]:
        stmt = stmt.where(Event.timestamp >= _period_start(args["statsPeriod"]))
    else:
        if args["start"]:
            stmt = stmt.where(Event.timestamp >= args["start"])
        if args["end"]:
            stmt = stmt.where(Event.timestamp <= args["end"])
    if args["environment"]:
        stmt = stmt.where(Event.environment.in_(args["environment"]))
    condition = build_filters(parse_query(args["query"]), EVENT_SEARCH,
                              text_columns=(Event.title, Event.message))
    return stmt if condition is None else stmt.where(condition)


def event_order(args) -> Ordering:
    return SAMPLE_ORDER if args["sample"] else EVENT_ORDER


def render_events(page, full: bool):
    if full:
        return page.serialize(lambda rows: [serialize_event(
            e.data, project_id=e.project_id, group_id=e.group_id, size=e.size) for e in rows])
    return page.serialize(lambda rows: [serialize_event_summary(
        e.data, project_id=e.project_id, group_id=e.group_id) for e in rows])


def neighbours(event: Event) -> tuple[str | None, str | None]:
    """The issue's events just before and after this one (by time, then id)."""
    if event.group_id is None:
        return None, None
    here = tuple_(Event.timestamp, Event.id)
    mark = tuple_(event.timestamp, event.id)
    base = select(Event.event_id).where(Event.group_id == event.group_id)
    previous = db.session.scalar(base.where(here < mark)
                                 .order_by(Event.timestamp.desc(), Event.id.desc()).limit(1))
    following = db.session.scalar(base.where(here > mark)
                                  .order_by(Event.timestamp, Event.id).limit(1))
    return previous, following


def render_event(event: Event) -> dict:
    previous, following = neighbours(event)
    return serialize_event(event.data, project_id=event.project_id, group_id=event.group_id,
                           size=event.size, previous_id=previous, next_id=following)


def normalized_event_id(value: str) -> str:
    candidate = value.replace("-", "").lower()
    if len(candidate) != 32 or any(c not in "0123456789abcdef" for c in candidate):
        raise NotFound()
    return candidate


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/events/")
class ProjectEventIndex(ProjectEndpoint):
    scope_map = {"GET": PROJECT_EVENTS_READ}
    public = frozenset({"GET"})

    @blp.arguments(EventListArgs, location="query")
    @blp.paginated_response(EventSchema(many=True), example=[EVENT])
    def get(self, args, organization_id_or_slug, project_id_or_slug):
        """List a project's error events, newest first (`full=true` for whole events)."""
        project = self.project
        page = paginate(events_select(args, Event.project_id == project.id), event_order(args))
        return render_events(page, args["full"])


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/events/<event_id>/")
class ProjectEventDetails(ProjectEndpoint):
    scope_map = {"GET": PROJECT_EVENTS_READ}
    public = frozenset({"GET"})

    @blp.response(200, EventDetailSchema, example=EVENT_DETAIL)
    def get(self, organization_id_or_slug, project_id_or_slug, event_id):
        """Retrieve an event: the whole normalized payload, with Sentry's `entries`."""
        project = self.project
        event = db.session.scalars(select(Event).where(
            Event.project_id == project.id, Event.event_id == normalized_event_id(event_id))).first()
        if event is None:
            raise NotFound()
        return render_event(event)


@blp.route("/organizations/<organization_id_or_slug>/issues/<issue_id>/events/")
class IssueEventIndex(IssueEndpoint):
    scope_map = {"GET": EVENT_READ}
    public = frozenset({"GET"})

    @blp.arguments(EventListArgs, location="query")
    @blp.paginated_response(EventSchema(many=True), example=[EVENT])
    def get(self, args, organization_id_or_slug, issue_id):
        """List an issue's events, newest first."""
        group = self.issue(issue_id)
        scope = [Event.group_id == group.id]
        if args["sample"]:  # walk the project's event id index
            scope.append(Event.project_id == group.project_id)
        page = paginate(events_select(args, *scope), event_order(args))
        return render_events(page, args["full"])


class IssueEventBase(IssueEndpoint):
    scope_map = {"GET": EVENT_READ}

    @blp.response(200, EventDetailSchema, example=EVENT_DETAIL)
    def get(self, issue_id, event_id, organization_id_or_slug=None):
        """Retrieve an issue's event: an event id, or `latest`, `oldest` or `recommended`."""
        group = self.issue(issue_id)
        stmt = select(Event).where(Event.group_id == group.id)
        if event_id in ("latest", "recommended"):
            stmt = stmt.order_by(Event.timestamp.desc(), Event.id.desc())
        elif event_id == "oldest":
            stmt = stmt.order_by(Event.timestamp, Event.id)
        else:
            stmt = stmt.where(Event.event_id == normalized_event_id(event_id))
        event = db.session.scalars(stmt.limit(1)).first()
        if event is None:
            raise NotFound()
        return render_event(event)


@blp.route("/organizations/<organization_id_or_slug>/issues/<issue_id>/events/<event_id>/")
class IssueEventDetails(IssueEventBase):
    public = frozenset({"GET"})


@blp.route("/issues/<issue_id>/events/<event_id>/")
class LegacyIssueEventDetails(IssueEventBase):
    """``/api/0/issues/{id}/events/latest/`` and friends, as older scripts call them."""


@blp.route("/organizations/<organization_id_or_slug>/issues/<issue_id>/tags/")
class IssueTagIndex(IssueEndpoint):
    scope_map = {"GET": EVENT_READ}
    unpaginated = {"GET": "one row per tag key of the issue; Sentry does not page it either"}

    @blp.response(200, TagKeySchema(many=True), example=[TAG_KEY])
    def get(self, organization_id_or_slug, issue_id):
        """List an issue's tag keys with their most frequent values."""
        return issue_tag_keys(self.issue(issue_id))


@blp.route("/organizations/<organization_id_or_slug>/issues/<issue_id>/tags/<key>/")
class IssueTagDetails(IssueEndpoint):
    scope_map = {"GET": EVENT_READ}
    public = frozenset({"GET"})

    @blp.response(200, TagKeySchema, example=TAG_KEY)
    def get(self, organization_id_or_slug, issue_id, key):
        """Retrieve one tag key of an issue: counts and its most frequent values."""
        found = issue_tag_keys(self.issue(issue_id), [key])
        if not found:
            raise NotFound()
        return found[0]


TAG_VALUE_ORDERS = {
    "count": Ordering(GroupTagValue.times_seen, GroupTagValue.id, kind=NUMBER),
    "date": Ordering(GroupTagValue.last_seen, GroupTagValue.id, kind=DATETIME),
    "age": Ordering(GroupTagValue.first_seen, GroupTagValue.id, kind=DATETIME),
    "id": Ordering(GroupTagValue.id, GroupTagValue.id, kind=NUMBER),
}


@blp.route("/organizations/<organization_id_or_slug>/issues/<issue_id>/tags/<key>/values/")
class IssueTagValues(IssueEndpoint):
    scope_map = {"GET": EVENT_READ}
    public = frozenset({"GET"})

    @blp.paginated_response(TagValueSchema(many=True), example=[TAG_VALUE])
    def get(self, organization_id_or_slug, issue_id, key):
        """List the values of one tag key of an issue (`sort`: `count`, `date`, `age`, `id`;
        `-` first for descending, the default)."""
        from flask import request

        group = self.issue(issue_id)
        sort = request.args.get("sort", "-count")
        ordering = TAG_VALUE_ORDERS.get(sort.lstrip("-"))
        if ordering is None:
            raise ParseError("Invalid sort: use count, date, age or id, with - for descending.")
        ordering = Ordering(ordering.key, ordering.id, descending=sort.startswith("-"),
                            kind=ordering.kind)
        page = paginate(select(GroupTagValue).where(GroupTagValue.group_id == group.id,
                                                    GroupTagValue.key == key), ordering)
        return page.serialize(lambda rows: [tag_value_json(row) for row in rows])
