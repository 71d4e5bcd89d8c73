"""What a plugin declares: :class:`PeriodicTask`, and the registry's view of them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,79}$")


class UnknownTask(LookupError):
    """No loaded plugin declares a task of that name."""


@dataclass(frozen=True)
class PeriodicTask:
    """``run()`` every ``every`` seconds, in an app context, once across all hosts.

    ``lease`` is how long one run may take before another process may start it again
    (a process killed mid-run leaves its lease to expire). ``run`` commits its own work.
    """

    name: str
    every: float
    run: Callable[[], None]
    lease: float = 900.0

    def __post_init__(self):
        if not NAME.match(self.name):
            raise ValueError(f"task name {self.name!r}: lowercase letters, digits, '.', '_', '-'")
        if self.every < 1:
            raise ValueError(f"task {self.name!r}: every must be at least 1 second")
        if self.lease < 1:
            raise ValueError(f"task {self.name!r}: lease must be at least 1 second")


def registered_tasks(app) -> dict[str, PeriodicTask]:
    """Every loaded plugin's tasks by name (a name declared twice stops start-up)."""
    found: dict[str, PeriodicTask] = {}
    for plugin in app.extensions["sentryapi.plugins"]:
        for task in plugin.tasks:
            if task.name in found:
                raise ValueError(f"task {task.name!r} is declared twice (plugin {plugin.name!r})")
            found[task.name] = task
    return found
