"""sentryapi plugin: usage stats (Sentry's ``stats_v2``, project stats, issue counts).

Built only on public APIs: the core's ``record_outcomes`` hook (which the events plugin
calls with what became of every ingested item) feeds :class:`OutcomeCount`, counters
at 10-second, hourly and daily resolution (``counters.py``); the endpoints read those,
and the events plugin's per-issue counters, never the events table.

The web UI's dashboard gets the "Stats outcomes" widget from here (``ui_widgets``).

Settings: ``STATS_RETENTION`` (``{resolution_seconds: seconds_kept}``; default 10s
buckets for an hour, hourly for 90 days, daily for 400 days). CLI: ``flask stats prune``.
"""

import os

import click
from flask.cli import with_appcontext

from sentryapi.plugins import Plugin

from . import views  # noqa: F401 - registers the routes
from .blueprint import blp
from .counters import prune, store_records
from .models import MODELS, OutcomeCount
from .periods import date_range

__all__ = ["OutcomeCount", "date_range", "plugin"]


@click.group("stats")
def cli():
    """Usage stats: the outcome counters."""


@cli.command("prune")
@with_appcontext
def prune_command():
    """Delete counter buckets older than their retention (also done while ingesting)."""
    from sentryapi.api import db

    deleted = prune()
    db.session.commit()
    click.echo(f"Deleted {deleted} expired counters.")


def ui_widgets():
    """The web UI's "Stats outcomes" dashboard widget (an ES module shipped with this package)."""
    module = os.path.join(os.path.dirname(__file__), "widgets", "stats-outcomes.js")
    return [{"id": "stats-outcomes", "title": "Stats outcomes", "module": module}]


plugin = Plugin(
    name="stats",
    requires=("events",),
    blueprints=(blp,),
    tags=({"name": "Stats", "description": "Usage stats: what SDKs sent and what became of "
           "it (accepted, filtered, rate limited...), per project, category and outcome "
           "over time; event counts of projects and issues."},),
    scopes=("org:read", "org:write", "org:admin", "project:read", "project:write",
            "project:admin", "event:read", "event:write", "event:admin"),
    models=MODELS,
    migrations=os.path.join(os.path.dirname(__file__), "migrations", "versions"),
    cli=cli,
    hooks={"record_outcomes": store_records, "ui_widgets": ui_widgets},
)
