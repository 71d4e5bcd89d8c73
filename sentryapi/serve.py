"""``flask sentryapi serve``: gunicorn and the plugins' background processes, supervised.

Web workers answer requests; work that would share their interpreter lock (the events
digest, RQ webhook workers) runs in processes of its own beside them. A plugin declares
those as :class:`BackgroundProcess` (``Plugin.processes``): a ``flask`` command, the
settings the web workers get while it runs (e.g. the events digest thread turned off),
and whether it is wanted with this configuration. This command starts gunicorn and each
wanted process, starts a background process again when it dies (with a growing pause),
and stops everything when gunicorn stops or on SIGTERM/SIGINT.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import click
from flask import current_app
from flask.cli import with_appcontext

log = logging.getLogger("sentryapi.serve")
#: Pauses before starting a dead background process again: 1 s, doubling up to this.
MAX_RESTART_PAUSE = 30.0
#: A process that ran this long is healthy again: its next restart waits 1 s.
HEALTHY_AFTER = 60.0


@dataclass(frozen=True)
class BackgroundProcess:
    """A process ``flask sentryapi serve`` runs beside the web workers."""

    name: str
    #: Arguments of ``flask --app <app>``, e.g. ``("events", "digest")``.
    command: tuple[str, ...]
    #: ``SENTRYAPI_*`` variables the web workers get while this process runs.
    web_environment: dict[str, str] = field(default_factory=dict)
    #: Whether it is wanted with ``app``'s settings (default: always).
    wanted: Callable[[object], bool] | None = None
    #: Added to its CPU niceness (positive: the web workers go first).
    nice: int = 0


@dataclass
class _Child:
    name: str
    argv: list[str]
    environment: dict[str, str]
    process: subprocess.Popen | None = None
    started: float = 0.0
    pause: float = 1.0
    due: float = 0.0

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv, env=self.environment)
        self.started = time.monotonic()
        log.info("started %s (pid %d)", self.name, self.process.pid)

    def reap(self) -> int | None:
        """Its exit status if it has exited since the last look."""
        if self.process is None:
            return None
        status = self.process.poll()
        if status is not None:
            self.process = None
            healthy = time.monotonic() - self.started >= HEALTHY_AFTER
            self.pause = 1.0 if healthy else min(self.pause * 2, MAX_RESTART_PAUSE)
            self.due = time.monotonic() + self.pause
        return status

    def stop(self, sig: int) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)


def background_processes(app) -> list[BackgroundProcess]:
    """The processes the loaded plugins want with this app's settings."""
    wanted = []
    for plugin in app.extensions["sentryapi.plugins"]:
        for process in plugin.processes:
            if process.wanted is None or process.wanted(app):
                wanted.append(process)
    return wanted


def children(app, app_spec: str, flask_app: str, gunicorn_args: list[str]) -> tuple[_Child, list[_Child]]:
    """The gunicorn child and the background ones, with their environments."""
    processes = background_processes(app)
    base = dict(os.environ)
    web_environment = dict(base)
    for process in processes:
        web_environment.update(process.web_environment)
    web = _Child("gunicorn", [sys.executable, "-m", "gunicorn", *gunicorn_args, app_spec],
                 web_environment)
    background = []
    for process in processes:
        argv = [sys.executable, "-m", "flask", "--app", flask_app, *process.command]
        if process.nice:
            argv = ["nice", "-n", str(process.nice), *argv]
        background.append(_Child(process.name, argv, base))
    return web, background


def supervise(web: _Child, background: list[_Child]) -> int:
    """Run until gunicorn exits or a signal asks to stop; gunicorn's exit status."""
    stopping: list[int] = []

    def ask_to_stop(signum, frame):
        stopping.append(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, ask_to_stop)
    for child in (web, *background):
        child.start()
    status = 0
    while not stopping:
        time.sleep(0.2)
        web_status = web.reap()
        if web_status is not None:
            log.warning("gunicorn exited (%d); stopping the background processes", web_status)
            status = web_status
            break
        for child in background:
            child_status = child.reap()
            if child_status is not None:
                log.warning("%s exited (%d); starting it again in %.0f s", child.name,
                            child_status, child.pause)
            if child.process is None and time.monotonic() >= child.due:
                child.start()
    # SIGINT to gunicorn is a quick stop, SIGTERM a graceful one; the others just end.
    for child in (web, *background):
        child.stop(signal.SIGINT if stopping and stopping[0] == signal.SIGINT else signal.SIGTERM)
    for child in (web, *background):
        if child.process is not None:
            try:
                child.process.wait(35)
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
    return status


@click.command("serve", context_settings={"ignore_unknown_options": True})
@click.option("--app-spec", default="wsgi:app", show_default=True, help="gunicorn's WSGI app.")
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
@with_appcontext
def serve_command(app_spec, gunicorn_args):
    """Serve with gunicorn (extra arguments go to it, e.g. -c gunicorn.conf.py -b HOST:PORT),
    plus the plugins' background processes (the events digest...), restarted if they die."""
    app = current_app._get_current_object()
    web, background = children(app, app_spec, app_spec, list(gunicorn_args))
    for child in background:
        click.echo(f"sentryapi: {child.name} runs beside the web workers: {' '.join(child.argv[-2:])}")
    sys.exit(supervise(web, background))
