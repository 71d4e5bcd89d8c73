"""Endpoints: Sentry's project service hooks, the same per organization, and the log.

``/projects/{org}/{project}/hooks/`` and ``/organizations/{org}/hooks/``: list, create,
retrieve, update, delete; under a hook, ``deliveries/`` (the log), ``deliveries/{id}/
redeliver/`` and ``ping/``. A project's hooks get that project's events; an
organization's get every event of the organization. Project hooks are project-scoped
views (``sentryapi.access.ProjectEndpoint``): team-based access decides who reaches them.
"""

from __future__ import annotations

from sqlalchemy import select

from ..access.endpoints import ProjectEndpoint
from ..access.permissions import ORG_READ, ORG_WRITE, PROJECT_ADMIN, PROJECT_READ, PROJECT_WRITE
from ..api import Blueprint, Endpoint, get_or_404
from ..extensions import db
from . import examples, services
from .listings import DELIVERIES, HOOKS
from .models import ServiceHook, WebhookOutbox
from .schemas import (
    ServiceHookCreateSchema,
    ServiceHookDeliverySchema,
    ServiceHookSchema,
    ServiceHookUpdateSchema,
)

blp = Blueprint("Service Hooks", __name__, description="Webhooks: signed deliveries of events.")

PROJECT_PATH = "/projects/<organization_id_or_slug>/<project_id_or_slug>/hooks/"
ORG_PATH = "/organizations/<organization_id_or_slug>/hooks/"


class HookEndpoint(Endpoint):
    """Shared by both levels; a level says which hooks are in reach."""

    def project_id(self, kwargs: dict, write: bool) -> int | None:
        return None

    def hooks(self, kwargs: dict, write: bool = False):
        project_id = self.project_id(kwargs, write)
        stmt = select(ServiceHook).where(ServiceHook.organization_id == self.organization.id)
        stmt = stmt.where(ServiceHook.project_id.is_(None) if project_id is None
                          else ServiceHook.project_id == project_id)
        return stmt, project_id

    def hook(self, kwargs: dict, write: bool = False) -> ServiceHook:
        stmt, _ = self.hooks(kwargs, write)
        return get_or_404(stmt.where(ServiceHook.guid == kwargs["hook_id"]))

    # the operations

    def list_hooks(self, args, kwargs):
        stmt, _ = self.hooks(kwargs)
        return HOOKS.paginate(stmt, args).serialize(lambda rows: [services.serialize_hook(h) for h in rows])

    def create_hook(self, data, kwargs):
        _, project_id = self.hooks(kwargs, write=True)
        hook = services.create_hook(self.organization.id, project_id, data["url"], data["events"])
        return services.serialize_hook(hook)

    def list_deliveries(self, args, kwargs):
        hook = self.hook(kwargs)
        stmt = select(WebhookOutbox).where(WebhookOutbox.hook_id == hook.id)
        return DELIVERIES.paginate(stmt, args).serialize(services.serialize_deliveries)

    def redeliver(self, kwargs):
        hook = self.hook(kwargs, write=True)
        row = get_or_404(select(WebhookOutbox).where(WebhookOutbox.hook_id == hook.id,
                                                     WebhookOutbox.guid == kwargs["delivery_id"]))
        return services.serialize_deliveries([services.redeliver(row)])[0]

    def ping(self, kwargs):
        row = services.ping(self.hook(kwargs, write=True), self.user)
        return services.serialize_deliveries([row])[0]


class ProjectHookEndpoint(HookEndpoint, ProjectEndpoint):
    def project_id(self, kwargs: dict, write: bool) -> int:
        if write:
            self.require_project_scope(*PROJECT_WRITE)
        return self.project.id


@blp.route(PROJECT_PATH)
class ProjectHookIndex(ProjectHookEndpoint):
    scope_map = {"GET": PROJECT_READ, "POST": PROJECT_WRITE}
    public = frozenset({"GET", "POST"})

    @blp.doc(operationId="listProjectServiceHooks")
    @blp.arguments(HOOKS.schema, location="query")
    @blp.paginated_response(ServiceHookSchema(many=True), example=[examples.HOOK])
    def get(self, args, **kwargs):
        """List a project's service hooks, newest first."""
        return self.list_hooks(args, kwargs)

    @blp.doc(operationId="createProjectServiceHook")
    @blp.arguments(ServiceHookCreateSchema)
    @blp.response(201, ServiceHookSchema, example=examples.HOOK)
    def post(self, data, **kwargs):
        """Register a new service hook on a project.

        It receives the project's events it subscribes to, signed with its `secret`
        (generated, in the response). Events: any `resource.action` the server's plugins
        emit (`issue.created`, `issue.resolved`, `error.created`...), a whole resource
        (`issue`), or Sentry's `event.created` (every stored event) and `event.alert`.
        """
        return self.create_hook(data, kwargs)


@blp.route(PROJECT_PATH + "<hook_id>/")
class ProjectHookDetails(ProjectHookEndpoint):
    scope_map = {"GET": PROJECT_READ, "PUT": PROJECT_WRITE, "DELETE": PROJECT_ADMIN}
    public = frozenset({"GET", "PUT", "DELETE"})

    @blp.doc(operationId="retrieveProjectServiceHook")
    @blp.response(200, ServiceHookSchema, example=examples.HOOK)
    def get(self, **kwargs):
        """Retrieve a service hook of a project."""
        return services.serialize_hook(self.hook(kwargs))

    @blp.doc(operationId="updateProjectServiceHook")
    @blp.arguments(ServiceHookUpdateSchema)
    @blp.response(200, ServiceHookSchema, example=examples.HOOK)
    def put(self, data, **kwargs):
        """Update a service hook: its URL, its events, or `status` (`active` re-enables it)."""
        return services.serialize_hook(services.update_hook(self.hook(kwargs, write=True), data))

    @blp.doc(operationId="deleteProjectServiceHook")
    @blp.response(204)
    def delete(self, **kwargs):
        """Remove a service hook (and its delivery log)."""
        db.session.delete(self.hook(kwargs, write=True))
        db.session.commit()


@blp.route(PROJECT_PATH + "<hook_id>/deliveries/")
class ProjectHookDeliveries(ProjectHookEndpoint):
    scope_map = {"GET": PROJECT_READ}
    public = frozenset({"GET"})

    @blp.doc(operationId="listProjectServiceHookDeliveries")
    @blp.arguments(DELIVERIES.schema, location="query")
    @blp.paginated_response(ServiceHookDeliverySchema(many=True), example=[examples.DELIVERY])
    def get(self, args, **kwargs):
        """List a project hook's deliveries, newest first, each with its latest attempts."""
        return self.list_deliveries(args, kwargs)


@blp.route(PROJECT_PATH + "<hook_id>/deliveries/<delivery_id>/redeliver/")
class ProjectHookRedelivery(ProjectHookEndpoint):
    scope_map = {"POST": PROJECT_WRITE}
    public = frozenset({"POST"})

    @blp.doc(operationId="redeliverProjectServiceHookDelivery")
    @blp.response(202, ServiceHookDeliverySchema, example=examples.PENDING_DELIVERY)
    def post(self, **kwargs):
        """Send a delivery again: one more attempt, same body and `Request-ID`."""
        return self.redeliver(kwargs)


@blp.route(PROJECT_PATH + "<hook_id>/ping/")
class ProjectHookPing(ProjectHookEndpoint):
    scope_map = {"POST": PROJECT_WRITE}
    public = frozenset({"POST"})

    @blp.doc(operationId="pingProjectServiceHook")
    @blp.response(202, ServiceHookDeliverySchema, example=examples.PENDING_DELIVERY)
    def post(self, **kwargs):
        """Send a test delivery (`Sentry-Hook-Resource: ping`), even to a disabled hook."""
        return self.ping(kwargs)


@blp.route(ORG_PATH)
class OrganizationHookIndex(HookEndpoint):
    scope_map = {"GET": ORG_READ, "POST": ORG_WRITE}
    public = frozenset({"GET", "POST"})

    @blp.doc(operationId="listOrganizationServiceHooks")
    @blp.arguments(HOOKS.schema, location="query")
    @blp.paginated_response(ServiceHookSchema(many=True), example=[examples.HOOK])
    def get(self, args, **kwargs):
        """List an organization's service hooks, newest first."""
        return self.list_hooks(args, kwargs)

    @blp.doc(operationId="createOrganizationServiceHook")
    @blp.arguments(ServiceHookCreateSchema)
    @blp.response(201, ServiceHookSchema, example=examples.HOOK)
    def post(self, data, **kwargs):
        """Register a service hook for a whole organization.

        It receives every event of the organization it subscribes to (every project's),
        signed with its `secret`. Events are named as for a project's hooks.
        """
        return self.create_hook(data, kwargs)


@blp.route(ORG_PATH + "<hook_id>/")
class OrganizationHookDetails(HookEndpoint):
    scope_map = {"GET": ORG_READ, "PUT": ORG_WRITE, "DELETE": ORG_WRITE}
    public = frozenset({"GET", "PUT", "DELETE"})

    @blp.doc(operationId="retrieveOrganizationServiceHook")
    @blp.response(200, ServiceHookSchema, example=examples.HOOK)
    def get(self, **kwargs):
        """Retrieve a service hook of an organization."""
        return services.serialize_hook(self.hook(kwargs))

    @blp.doc(operationId="updateOrganizationServiceHook")
    @blp.arguments(ServiceHookUpdateSchema)
    @blp.response(200, ServiceHookSchema, example=examples.HOOK)
    def put(self, data, **kwargs):
        """Update an organization's service hook (`status: active` re-enables it)."""
        return services.serialize_hook(services.update_hook(self.hook(kwargs, write=True), data))

    @blp.doc(operationId="deleteOrganizationServiceHook")
    @blp.response(204)
    def delete(self, **kwargs):
        """Remove an organization's service hook (and its delivery log)."""
        db.session.delete(self.hook(kwargs, write=True))
        db.session.commit()


@blp.route(ORG_PATH + "<hook_id>/deliveries/")
class OrganizationHookDeliveries(HookEndpoint):
    scope_map = {"GET": ORG_READ}
    public = frozenset({"GET"})

    @blp.doc(operationId="listOrganizationServiceHookDeliveries")
    @blp.arguments(DELIVERIES.schema, location="query")
    @blp.paginated_response(ServiceHookDeliverySchema(many=True), example=[examples.DELIVERY])
    def get(self, args, **kwargs):
        """List an organization hook's deliveries, newest first, with their latest attempts."""
        return self.list_deliveries(args, kwargs)


@blp.route(ORG_PATH + "<hook_id>/deliveries/<delivery_id>/redeliver/")
class OrganizationHookRedelivery(HookEndpoint):
    scope_map = {"POST": ORG_WRITE}
    public = frozenset({"POST"})

    @blp.doc(operationId="redeliverOrganizationServiceHookDelivery")
    @blp.response(202, ServiceHookDeliverySchema, example=examples.PENDING_DELIVERY)
    def post(self, **kwargs):
        """Send a delivery again: one more attempt, same body and `Request-ID`."""
        return self.redeliver(kwargs)


@blp.route(ORG_PATH + "<hook_id>/ping/")
class OrganizationHookPing(HookEndpoint):
    scope_map = {"POST": ORG_WRITE}
    public = frozenset({"POST"})

    @blp.doc(operationId="pingOrganizationServiceHook")
    @blp.response(202, ServiceHookDeliverySchema, example=examples.PENDING_DELIVERY)
    def post(self, **kwargs):
        """Send a test delivery (`Sentry-Hook-Resource: ping`), even to a disabled hook."""
        return self.ping(kwargs)
