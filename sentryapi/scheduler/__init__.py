"""Periodic tasks that plugins declare (``Plugin.tasks``), run once per period across hosts.

A task is a :class:`PeriodicTask`: a name, a period and a function run in an app context.
Every process that may run tasks looks at them about once a second; whichever claims a
task's lease row first (:mod:`.lease`, one atomic ``UPDATE`` on the shared database)
runs it, so a task runs at most once per period however many hosts and workers there are.

Where they run (``SENTRYAPI_SCHEDULER``): ``thread`` is a thread of the server process (the
embedded default), ``worker`` the RQ worker processes (``flask sentryapi worker``; ``auto``
picks it when ``SENTRYAPI_REDIS_URL`` is set), ``off`` nowhere (tests drive them with
:func:`run_due` and :func:`run_task`).
"""

from .runner import run_due, run_task, scheduler_mode, start_scheduler
from .tasks import PeriodicTask, UnknownTask, registered_tasks

__all__ = ["PeriodicTask", "UnknownTask", "registered_tasks", "run_due", "run_task",
           "scheduler_mode", "start_scheduler"]
