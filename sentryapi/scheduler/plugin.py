"""Built-in plugin: the scheduler's lease table, and its thread in the server process."""

from __future__ import annotations

from ..plugins import Plugin
from ..retention import CLEANUP_TASK
from .models import ScheduledTask
from .runner import scheduler_mode, start_scheduler


def init_app(app) -> None:
    from .tasks import registered_tasks

    registered_tasks(app)  # a task name declared twice stops start-up here
    if scheduler_mode(app) != "thread":
        return

    @app.before_request
    def start_scheduler_thread():
        # Once per process, on its first request (after gunicorn forks).
        if app.extensions.get("sentryapi.scheduler") is None:
            app.extensions["sentryapi.scheduler"] = start_scheduler(app) or False


plugin = Plugin(name="scheduler", models=(ScheduledTask,), init_app=init_app, tasks=(CLEANUP_TASK,))
