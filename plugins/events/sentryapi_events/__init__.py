"""sentryapi plugin: SDK ingestion, grouping into issues, and Sentry's issues and events API.

SDKs post to ``/api/<project_id>/envelope/`` (and the legacy ``/store/``); each accepted
event is committed to a queue before the answer, then grouped into issues by the
digest (a thread in each server process, or ``flask events digest``). See
``ingest/`` (the SDK endpoints), ``digest/`` (grouping into issues), ``issues/`` (the API)
and ``models.py``.

Attachments (``attachments/``) and user feedback (``feedback/``) are stored at ingest too.
Events' attachments are deleted through ``delete_attachments_of`` (issue deletion, and the
``project_deleted`` hook this plugin answers, for the stored files).

Outcomes (accepted, rate limited, client discards...) go to the core's
``record_outcomes`` hook, which the stats plugin implements: it is their one store.
"""

import os

import click
from flask.cli import with_appcontext

from sentryapi.api import freeze_startup_heap
from sentryapi.plugins import BackgroundProcess, Plugin

from . import activity, captured, outcomes, retention, settings  # noqa: F401
from .attachments import views as attachment_views  # noqa: F401 - registers its routes
from .attachments.deletion import delete_attachments_of
from .attachments.models import EventAttachment
from .digest import worker
from .digest.notify import WEBHOOK_EVENTS
from .environments import Environment, EnvironmentProject
from .feedback import views as feedback_views  # noqa: F401 - registers its routes
from .feedback.models import UserReport
from .ingest import keycache
from .ingest.endpoints import ROUTES as INGEST_ROUTES
from .issues import activity_views, environment_views, event_views, lookups  # noqa: F401 - routes
from .issues import views as issue_views
from .issues.serializers import base36
from .models import (
    Event,
    Group,
    GroupHash,
    GroupStat,
    GroupTagValue,
    GroupUserState,
    IngestEvent,
    PendingWebhook,
    ShortIdCounter,
)
from .retention import retention_by_project

__all__ = ["Event", "EventAttachment", "Group", "GroupStat", "GroupTagValue", "UserReport",
           "base36", "delete_attachments_of", "plugin", "retention_by_project"]


def init_app(app) -> None:
    settings.load(app)
    keycache.install()

    @app.before_request
    def start_background_thread():
        worker.ensure_started(app)


def project_deleted(project_id):
    """Its attachments' files go with it (their rows and the reports cascade)."""
    from sqlalchemy import select

    delete_attachments_of(select(EventAttachment.project_id, EventAttachment.event_id)
                          .where(EventAttachment.project_id == project_id).distinct())


@click.group("events")
def cli():
    """Ingested events: the digest that groups them into issues."""


@cli.command("digest")
@click.option("--once", is_flag=True, help="Digest what is queued now, then exit.")
@with_appcontext
def digest_command(once):
    """Group queued events into issues (run several on PostgreSQL to share the work)."""
    from flask import current_app

    from .digest import batch as digest

    if once:
        count = digest.digest_all(current_app.config["EVENTS_DIGEST_BATCH"])
        outcomes.flush()
        click.echo(f"Digested {count} events.")
        return
    click.echo("Digesting queued events; Ctrl-C to stop.")
    freeze_startup_heap()
    worker.run(current_app._get_current_object())


plugin = Plugin(
    name="events",
    requires=("projects",),
    blueprints=(issue_views.blp,),
    tags=({"name": "Events", "description": "Issues (events grouped by fingerprint) and the "
           "events SDKs send; search, triage and stats."},),
    # project:* too: a project's events are read with project scopes, as in Sentry; org:*
    # for the organization's environments.
    scopes=("event:read", "event:write", "event:admin", "project:read", "project:write",
            "project:admin", "org:read", "org:write", "org:admin"),
    # SDKs post to /api/<project_id>/envelope/ and /store/, outside /api/0/.
    route_prefixes=("/api/<raw_project_id>/",),
    wsgi_routes=INGEST_ROUTES,
    # Under `flask sentryapi serve` the digest is a process of its own: grouping then never
    # holds the web workers' interpreter lock (nor their CPU).
    processes=(BackgroundProcess(
        "events digest", ("events", "digest"), {"SENTRYAPI_EVENTS_DIGEST": "off"},
        wanted=lambda app: app.config["EVENTS_DIGEST"] == "thread"),),
    webhook_events=WEBHOOK_EVENTS,
    models=(IngestEvent, Group, GroupHash, Event, GroupTagValue, GroupStat, GroupUserState,
            ShortIdCounter, PendingWebhook, Environment, EnvironmentProject, EventAttachment,
            UserReport, activity.GroupActivity, activity.GroupRedirect),
    migrations=os.path.join(os.path.dirname(__file__), "migrations", "versions"),
    init_app=init_app,
    cli=cli,
    hooks={"cleanup_expired": retention.cleanup_expired, "project_deleted": project_deleted,
           "capture_event": captured.capture_event,
           "resolve_fingerprint": captured.resolve_fingerprint},
)
