"""``GET /projects/{org}/{project}/events/{event_id}/source-map-debug/``: why an event's
frames were or were not mapped (``explain.py``)."""

from __future__ import annotations

from sentryapi_events import Event
from sqlalchemy import select

from sentryapi.api import EVENT_READ, PROJECT_READ, NotFound, ProjectEndpoint, db

from . import examples
from .blueprint import blp
from .explain import explain_event
from .schemas import SourceMapDebugSchema

HEX = frozenset("0123456789abcdef")


def event_or_404(project, event_id: str) -> Event:
    """The project's event with this id (32 hex digits, dashes and case forgiven), else 404."""
    wanted = event_id.strip().replace("-", "").lower()
    if len(wanted) != 32 or not set(wanted) <= HEX:
        raise NotFound()
    event = db.session.scalar(select(Event).where(Event.project_id == project.id,
                                                  Event.event_id == wanted).limit(1))
    if event is None:
        raise NotFound()
    return event


@blp.route("/projects/<organization_id_or_slug>/<project_id_or_slug>/events/<event_id>/source-map-debug/")
class SourceMapDebug(ProjectEndpoint):
    """Sentry's ``SourceMapDebugBlueThunderEditionEndpoint``."""

    scope_map = {"GET": (*PROJECT_READ, *EVENT_READ)}
    public = frozenset({"GET"})

    @blp.doc(operationId="getProjectEventSourceMapDebug")
    @blp.response(200, SourceMapDebugSchema, example=examples.SOURCE_MAP_DEBUG)
    def get(self, organization_id_or_slug, project_id_or_slug, event_id):
        """Get debug information related to source maps for a given event.

        For each frame of each exception, as the SDK sent it: whether artifacts with the
        frame's debug id were uploaded, and which names were looked up in the event's
        release (and dist), with what result (`found`, `wrong-dist`, `unsuccessful`).
        """
        return explain_event(self.project, event_or_404(self.project, event_id).data)
