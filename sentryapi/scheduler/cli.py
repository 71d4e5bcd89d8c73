"""``flask sentryapi tasks`` (what is scheduled, when it last ran) and ``run-task``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extensions import db
from .models import ScheduledTask
from .runner import run_task, scheduler_mode
from .tasks import registered_tasks


@click.command("tasks")
@with_appcontext
def tasks_command():
    """List the periodic tasks, where they run, and their last run."""
    app = current_app._get_current_object()
    rows = {row.name: row for row in db.session.scalars(select(ScheduledTask))}
    click.echo(f"Periodic tasks run in: {scheduler_mode(app)}")
    for name, task in sorted(registered_tasks(app).items()):
        row = rows.get(name)
        last = row.last_finished_at.isoformat() if row and row.last_finished_at else "never"
        status = f"failed: {row.last_error}" if row and row.last_error else "ok"
        click.echo(f"  {name}  every {task.every:g}s  last run {last}  {status if row else ''}".rstrip())


@click.command("run-task")
@click.argument("name")
@with_appcontext
def run_task_command(name):
    """Run one periodic task now, whatever its schedule."""
    app = current_app._get_current_object()
    if name not in registered_tasks(app):
        raise click.ClickException(f"no task {name!r}; `flask sentryapi tasks` lists them")
    run_task(app, name)
    click.echo(f"Ran {name}.")
