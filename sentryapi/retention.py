"""Retention: what is older than ``SENTRYAPI_EVENT_RETENTION_DAYS`` is deleted, hourly on
the scheduler and by ``flask sentryapi cleanup``; plugins that keep data answer the
``cleanup_expired`` hook (the events plugin: events, then issues left without events)."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections import Counter
from collections.abc import Callable

import click
from flask import current_app
from flask.cli import with_appcontext

from .database import utcnow
from .scheduler.tasks import PeriodicTask
from .web.hooks import call_hook

log = logging.getLogger("sentryapi.retention")


def cleanup(*, days: int | None = None, dry_run: bool = False,
            progress: Callable[[int], None] | None = None, now: dt.datetime | None = None) -> Counter:
    """Delete (or count) what has expired, in an app context; the totals by kind."""
    default_days = days or current_app.config["EVENT_RETENTION_DAYS"]
    totals: Counter = Counter()
    for answer in call_hook("cleanup_expired", now or utcnow(), default_days, dry_run,
                            progress or (lambda n: None)):
        totals.update(answer)
    return totals


def _scheduled_cleanup() -> None:
    totals = cleanup()
    if any(totals.values()):
        log.info("retention cleanup deleted %s", ", ".join(f"{n} {kind}" for kind, n in sorted(totals.items())))


#: Hourly; a run over a large backlog may take long, so its lease is generous.
CLEANUP_TASK = PeriodicTask("retention.cleanup", 3600, _scheduled_cleanup, lease=6 * 3600)


@click.command("cleanup")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Delete what is older than this many days (default: the retention setting; "
                   "projects' own retention still applies to them).")
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
@with_appcontext
def cleanup_command(days, dry_run):
    """Delete expired events, and issues left without events."""
    now = utcnow()
    expired = cleanup(days=days, dry_run=True, now=now)
    if dry_run:
        click.echo("Would delete " + _summary(expired) + ".")
        return
    with click.progressbar(length=expired["events"], label="Deleting expired events",
                           file=sys.stderr) as bar:
        deleted = cleanup(days=days, now=now, progress=bar.update)
    click.echo("Deleted " + _summary(deleted) + ".")


def _summary(totals: Counter) -> str:
    kinds = {"events": 0, "issues": 0, **totals}
    return ", ".join(f"{count} {kind}" for kind, count in kinds.items())
