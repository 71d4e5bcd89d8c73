"""Endpoints: an organization's monitors (list, create), one monitor through the
organization or its project (retrieve, update, mute, delete), its check-ins, and its
state in one environment."""

from __future__ import annotations

from flask import Response
from sentryapi_projects import ProjectReach, ProjectTeam
from sqlalchemy import or_, select

from sentryapi.api import (
    DATETIME,
    STRING,
    Caller,
    Endpoint,
    NotFound,
    Ordering,
    ProjectEndpoint,
    ValidationFailed,
    build_filters,
    db,
    get_or_404,
    paginate,
    parse_query,
    slugify,
)

from . import examples
from .blueprint import MONITOR_SCOPES, ORGANIZATION_SCOPES, blp
from .models import Monitor, MonitorCheckIn, MonitorEnvironment
from .schemas import (
    CheckInListArgs,
    CheckInSchema,
    MonitorCreateSchema,
    MonitorDeleteArgs,
    MonitorEnvironmentUpdateSchema,
    MonitorListArgs,
    MonitorSchema,
    MonitorUpdateSchema,
)
from .serializers import serialize_checkins, serialize_monitors
from .services import (
    apply,
    delete_monitor,
    get_monitor_or_404,
    monitors_of,
    new_monitor,
    project_of,
    slug_taken,
)

BY_NAME = Ordering(Monitor.name, Monitor.id, descending=False, kind=STRING)
NEWEST_FIRST = Ordering(MonitorCheckIn.date_added, MonitorCheckIn.id, descending=True, kind=DATETIME)
ORG_MONITOR = "/organizations/<organization_id_or_slug>/monitors/<monitor_id_or_slug>/"
PROJECT_MONITOR = "/projects/<organization_id_or_slug>/<project_id_or_slug>/monitors/<monitor_id_or_slug>/"


def require_project_write(caller: Caller, organization, project_ref) -> int:
    """The id of the project a monitor goes to, if the caller may write there (403 if not)."""
    project = project_of(organization, project_ref)
    team_ids = db.session.scalars(select(ProjectTeam.team_id).where(ProjectTeam.project_id == project.id))
    caller.require_project_scope(list(team_ids), *MONITOR_SCOPES["POST"])
    return project.id


def owner_filter(stmt, owners: list[str], user):
    conditions = []
    for owner in owners:
        kind, _, raw = owner.partition(":")
        if owner == "me" and user is not None:
            conditions.append(Monitor.owner_user_id == user.id)
        elif kind in ("user", "team") and raw.isdigit() and len(raw) < 19:
            column = Monitor.owner_user_id if kind == "user" else Monitor.owner_team_id
            conditions.append(column == int(raw))
        elif owner == "unassigned":
            conditions.append(Monitor.owner_user_id.is_(None) & Monitor.owner_team_id.is_(None))
        else:
            raise ValidationFailed({"owner": [f"Invalid owner: {owner}"]})
    return stmt.where(or_(*conditions)) if conditions else stmt


@blp.route("/organizations/<organization_id_or_slug>/monitors/")
class OrganizationMonitors(Endpoint):
    scope_map = ORGANIZATION_SCOPES
    public = frozenset({"GET", "POST"})

    @blp.arguments(MonitorListArgs, location="query")
    @blp.paginated_response(MonitorSchema(many=True), example=[examples.MONITOR])
    @blp.doc(operationId="listOrganizationMonitors")
    def get(self, args, organization_id_or_slug):
        """List an organization's monitors.

        By name, with each one's state per environment; only the projects the caller
        reaches (`project` names some, `-1` all they reach), with the `environment`s
        named, owned by `owner` (`user:ID`, `team:ID`, `me`, `unassigned`), or with
        `query` in the name or slug.
        """
        reach = ProjectReach.of(self)
        stmt = monitors_of(self.organization).where(
            Monitor.project_id.in_(reach.requested_project_ids(args.get("project") or [])))
        environments = args.get("environment")
        if environments:
            stmt = stmt.where(Monitor.id.in_(select(MonitorEnvironment.monitor_id).where(
                MonitorEnvironment.environment.in_(environments))))
        stmt = owner_filter(stmt, args.get("owner") or [], self.user)
        # Sentry's search syntax, free text in the name or slug (broken syntax is a 400).
        condition = build_filters(parse_query(args.get("query")), {},
                                  text_columns=(Monitor.name, Monitor.slug))
        if condition is not None:
            stmt = stmt.where(condition)
        caller = reach.caller
        return paginate(stmt, BY_NAME).serialize(
            lambda rows: serialize_monitors(rows, caller, environments))

    @blp.arguments(MonitorCreateSchema)
    @blp.response(201, MonitorSchema, example=examples.MONITOR)
    @blp.doc(operationId="createOrganizationMonitor")
    def post(self, data, organization_id_or_slug):
        """Create a monitor.

        `config.schedule` is a crontab (`0 * * * *`) or an interval (`[10, "minute"]`);
        the slug comes from the name when it is not given.
        """
        caller = Caller.of(self)
        project_id = require_project_write(caller, self.organization, data["project"])
        slug = data.get("slug") or slugify(data["name"])
        if slug_taken(self.organization.id, slug):
            raise ValidationFailed({"slug": [f'The slug "{slug}" is already in use.']})
        monitor = new_monitor(self.organization, project_id, slug, data["name"])
        apply(monitor, self.organization, {k: v for k, v in data.items() if k not in ("project", "slug")})
        db.session.commit()
        return serialize_monitors([monitor], caller)[0]


class MonitorEndpoint(ProjectEndpoint):
    """One monitor, named through its organization (its project is then the monitor's)
    or through its project; access is the project's, as in Sentry."""

    scope_map = MONITOR_SCOPES
    project_arg = "monitor_id_or_slug"
    monitor: Monitor | None = None

    def project_ref(self, kwargs: dict) -> str:
        if "project_id_or_slug" in kwargs:
            return kwargs["project_id_or_slug"]
        self.monitor = get_monitor_or_404(self.organization, kwargs["monitor_id_or_slug"])
        return str(self.monitor.project_id)

    def get_monitor(self, monitor_id_or_slug: str) -> Monitor:
        monitor = self.monitor or get_monitor_or_404(self.organization, monitor_id_or_slug)
        if monitor.project_id != self.project.id:
            raise NotFound()
        return monitor

    def render(self, monitor: Monitor) -> dict:
        return serialize_monitors([monitor], self.caller())[0]

    def read(self, monitor_id_or_slug):
        return self.render(self.get_monitor(monitor_id_or_slug))

    def update(self, data, monitor_id_or_slug):
        monitor = self.get_monitor(monitor_id_or_slug)
        if "project" in data:
            data["project"] = require_project_write(self.caller(), self.organization, data["project"])
        apply(monitor, self.organization, data)
        db.session.commit()
        return self.render(monitor)

    def remove(self, args, monitor_id_or_slug):
        delete_monitor(self.get_monitor(monitor_id_or_slug), args.get("environment"))
        db.session.commit()
        return Response(status=202)

    def checkins(self, args, monitor_id_or_slug):
        monitor = self.get_monitor(monitor_id_or_slug)
        stmt = select(MonitorCheckIn).where(MonitorCheckIn.monitor_id == monitor.id)
        if args.get("environment"):
            stmt = stmt.where(MonitorCheckIn.monitor_environment_id.in_(
                select(MonitorEnvironment.id).where(MonitorEnvironment.monitor_id == monitor.id,
                                                    MonitorEnvironment.environment.in_(args["environment"]))))
        return paginate(stmt, NEWEST_FIRST).serialize(serialize_checkins)


@blp.route(ORG_MONITOR)
class OrganizationMonitorDetails(MonitorEndpoint):
    public = frozenset({"GET", "PUT", "DELETE"})

    @blp.response(200, MonitorSchema, example=examples.MONITOR)
    @blp.doc(operationId="getOrganizationMonitor")
    def get(self, organization_id_or_slug, monitor_id_or_slug):
        """Retrieve a monitor.

        Its config, owner, and state in each environment (last and next check-in, an
        active incident).
        """
        return self.read(monitor_id_or_slug)

    @blp.arguments(MonitorUpdateSchema)
    @blp.response(200, MonitorSchema, example=examples.MONITOR)
    @blp.doc(operationId="updateOrganizationMonitor")
    def put(self, data, organization_id_or_slug, monitor_id_or_slug):
        """Update a monitor.

        What the body names changes; `isMuted` mutes or unmutes it in every environment.
        """
        return self.update(data, monitor_id_or_slug)

    @blp.arguments(MonitorDeleteArgs, location="query")
    @blp.response(202)
    @blp.doc(operationId="deleteOrganizationMonitor")
    def delete(self, args, organization_id_or_slug, monitor_id_or_slug):
        """Delete a monitor, or only its environments named by `environment`.

        Its check-ins go with it.
        """
        return self.remove(args, monitor_id_or_slug)


@blp.route(ORG_MONITOR + "checkins/")
class OrganizationMonitorCheckIns(MonitorEndpoint):
    public = frozenset({"GET"})

    @blp.arguments(CheckInListArgs, location="query")
    @blp.paginated_response(CheckInSchema(many=True), example=[examples.CHECKIN])
    @blp.doc(operationId="listOrganizationMonitorCheckins")
    def get(self, args, organization_id_or_slug, monitor_id_or_slug):
        """Retrieve check-ins for a monitor.

        Newest first: each with its status (`ok`, `error`, `in_progress`, `missed`,
        `timeout`), duration and the config it ran under.
        """
        return self.checkins(args, monitor_id_or_slug)


@blp.route(PROJECT_MONITOR)
class ProjectMonitorDetails(MonitorEndpoint):
    public = frozenset({"GET", "PUT", "DELETE"})

    @blp.response(200, MonitorSchema, example=examples.MONITOR)
    @blp.doc(operationId="getProjectMonitor")
    def get(self, organization_id_or_slug, project_id_or_slug, monitor_id_or_slug):
        """Retrieve a monitor of a project.

        As through the organization; a monitor of another project is a 404.
        """
        return self.read(monitor_id_or_slug)

    @blp.arguments(MonitorUpdateSchema)
    @blp.response(200, MonitorSchema, example=examples.MONITOR)
    @blp.doc(operationId="updateProjectMonitor")
    def put(self, data, organization_id_or_slug, project_id_or_slug, monitor_id_or_slug):
        """Update a monitor of a project.

        What the body names changes; `isMuted` mutes or unmutes it in every environment.
        """
        return self.update(data, monitor_id_or_slug)

    @blp.arguments(MonitorDeleteArgs, location="query")
    @blp.response(202)
    @blp.doc(operationId="deleteProjectMonitor")
    def delete(self, args, organization_id_or_slug, project_id_or_slug, monitor_id_or_slug):
        """Delete a monitor of a project, or only its environments named by `environment`.

        Its check-ins go with it.
        """
        return self.remove(args, monitor_id_or_slug)


@blp.route(PROJECT_MONITOR + "checkins/")
class ProjectMonitorCheckIns(MonitorEndpoint):
    public = frozenset({"GET"})

    @blp.arguments(CheckInListArgs, location="query")
    @blp.paginated_response(CheckInSchema(many=True), example=[examples.CHECKIN])
    @blp.doc(operationId="listProjectMonitorCheckins")
    def get(self, args, organization_id_or_slug, project_id_or_slug, monitor_id_or_slug):
        """Retrieve check-ins for a monitor of a project.

        Newest first, as through the organization.
        """
        return self.checkins(args, monitor_id_or_slug)


@blp.route(ORG_MONITOR + "environments/<environment>/")
class MonitorEnvironmentDetails(MonitorEndpoint):
    """Not in Sentry's published document; served as Sentry serves it."""

    @blp.arguments(MonitorEnvironmentUpdateSchema)
    @blp.response(200, MonitorSchema, example=examples.MONITOR)
    def put(self, data, organization_id_or_slug, monitor_id_or_slug, environment):
        """Mute or unmute a monitor in one environment.

        `{"isMuted": true}`: its failures there open no issue.
        """
        monitor = self.get_monitor(monitor_id_or_slug)
        row = get_or_404(select(MonitorEnvironment).where(
            MonitorEnvironment.monitor_id == monitor.id, MonitorEnvironment.environment == environment))
        row.is_muted = data["is_muted"]
        db.session.commit()
        return self.render(monitor)

    @blp.response(202)
    def delete(self, organization_id_or_slug, monitor_id_or_slug, environment):
        """Delete a monitor's state and check-ins in one environment."""
        monitor = self.get_monitor(monitor_id_or_slug)
        get_or_404(select(MonitorEnvironment.id).where(
            MonitorEnvironment.monitor_id == monitor.id, MonitorEnvironment.environment == environment))
        delete_monitor(monitor, [environment])
        db.session.commit()
        return Response(status=202)


