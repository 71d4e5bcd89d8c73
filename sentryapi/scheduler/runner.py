"""Running due tasks: :func:`run_due` (one look), and the thread that looks every second."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import weakref

from ..background import on_stop
from ..database import failure_summary, utcnow
from . import lease
from .tasks import PeriodicTask, UnknownTask, registered_tasks

log = logging.getLogger("sentryapi.scheduler")
#: Seconds between looks at the tasks (each look is one small query when nothing is due).
TICK_SECONDS = 1.0
EXTENSION = "sentryapi.scheduler"


def scheduler_mode(app) -> str:
    """``thread``, ``worker`` or ``off``: where this app's periodic tasks run."""
    chosen = app.config["SCHEDULER"]
    if chosen == "auto":
        return "worker" if app.config["REDIS_URL"] else "thread"
    return chosen


def run_due(app, now: dt.datetime | None = None) -> list[str]:
    """Run, one after the other in this thread, every task due at ``now`` that this process
    claims; the names of those it ran."""
    now = now or utcnow()
    ran = []
    for task in registered_tasks(app).values():
        with app.app_context():
            if lease.claim(task, now):
                _run(task)
                ran.append(task.name)
    return ran


def run_task(app, name: str) -> None:
    """Run task ``name`` now whatever its lease (operators, tests); raises what it raises."""
    task = registered_tasks(app).get(name)
    if task is None:
        raise UnknownTask(name)
    with app.app_context():
        lease.claim(task, utcnow(), force=True)
        _run(task, reraise=True)


def _run(task: PeriodicTask, *, reraise: bool = False) -> None:
    from ..extensions import db

    try:
        task.run()
    except Exception as error:  # noqa: BLE001 - logged; the task is tried at its next period
        db.session.rollback()
        lease.release(task, utcnow(), failure_summary(error))
        log.error("task %s failed (%s)", task.name, failure_summary(error))
        log.debug("task %s failed", task.name, exc_info=True)
        if reraise:
            raise
    else:
        db.session.commit()
        lease.release(task, utcnow())
    finally:
        db.session.remove()


class SchedulerThread(threading.Thread):
    """Looks at the tasks every second in this process; holds the app weakly."""

    def __init__(self, app):
        super().__init__(name="sentryapi-scheduler", daemon=True)
        self.app_ref = weakref.ref(app)
        self.stopping = threading.Event()
        weakref.finalize(app, self.stopping.set)

    def stop(self) -> None:
        self.stopping.set()
        if self is not threading.current_thread() and self.is_alive():
            self.join(30)

    def run(self) -> None:
        failing = False
        while not self.stopping.wait(10 if failing else TICK_SECONDS):
            app = self.app_ref()
            if app is None:
                return
            try:
                run_due(app)
            except Exception as error:  # noqa: BLE001 - the database is away: try again later
                if not failing:
                    log.error("periodic tasks could not be claimed (%s); retrying", failure_summary(error))
                failing = True
            else:
                failing = False
            del app


_lock = threading.Lock()


def start_scheduler(app) -> SchedulerThread | None:
    """This process's scheduler thread for ``app`` (started once; ``None`` without tasks)."""
    if not registered_tasks(app):
        return None
    with _lock:
        running = app.extensions.get(EXTENSION)
        if running is None or not running.is_alive():
            running = SchedulerThread(app)
            app.extensions[EXTENSION] = running
            on_stop(app, running.stop)
            running.start()
    return running
