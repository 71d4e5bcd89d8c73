"""sentryapi plugin: cron monitors (Sentry's Crons).

Monitors are made through the API or by an SDK's first check-in with a
``monitor_config``. Check-ins arrive as ``check_in`` envelope items (the events plugin
hands them over through the ``envelope_items`` hook, which this plugin answers) or on
the HTTP check-in endpoint ``/api/<project_id>/cron/<slug>/<key>/`` (``ingest.py``).
The clock (``monitors.clock``, every minute on the core's scheduler; ``clock.py``)
records missed and timed-out check-ins. Failures past a monitor's threshold open an
issue by firing ``capture_event`` (answered by the events plugin, which groups it and
sends ``issue.created``), successes resolve it through ``resolve_fingerprint``; the
plugin's own webhooks are ``monitor.failed`` and ``monitor.recovered``.
"""

import os

from sentryapi.plugins import PeriodicTask, Plugin

from . import clock, views  # noqa: F401 - registers the routes on the blueprint
from .blueprint import blp
from .ingest import ROUTES as INGEST_ROUTES
from .ingest import envelope_items
from .models import Monitor, MonitorCheckIn, MonitorEnvironment

__all__ = ["Monitor", "MonitorCheckIn", "MonitorEnvironment", "plugin"]


plugin = Plugin(
    name="monitors",
    requires=("projects", "events"),
    blueprints=(blp,),
    tags=({"name": "Crons", "description": (
        "Cron monitors: scheduled jobs check in (from SDKs, `sentry-cli monitors run` or "
        "the HTTP check-in URL, `dsn.crons`); a missed, failed or overlong run opens an issue.")},),
    scopes=("org:read", "org:write", "org:admin", "project:read", "project:write",
            "project:admin", "alerts:read", "alerts:write"),
    webhook_events=("monitor.failed", "monitor.recovered"),
    models=(Monitor, MonitorEnvironment, MonitorCheckIn),
    migrations=os.path.join(os.path.dirname(__file__), "migrations", "versions"),
    route_prefixes=("/api/<int:project_id>/cron/",),
    wsgi_routes=INGEST_ROUTES,
    tasks=(PeriodicTask(name="monitors.clock", every=60, run=clock.run),),
    hooks={"envelope_items": envelope_items},
)
