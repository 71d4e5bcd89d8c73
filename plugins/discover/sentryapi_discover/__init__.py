"""sentryapi plugin: Discover, Sentry's event query API, over errors and transactions.

``/organizations/{org}/events/`` (a table of fields and functions), ``events-stats`` and
``events-timeseries`` (functions over time), ``events-facets``, ``events-meta`` and
``events/validate/``, all compiled by one query compiler (``compiler.py``) to SQL for
PostgreSQL and SQLite. Transactions are stored here: the events plugin hands their
envelope items over (``envelope_items``) after quotas counted them; errors' tags arrive
with ``events_stored``. Both go to a tag index (``discover_tag``). Expired rows go with
``cleanup_expired``; ``transaction.created`` webhooks fire as transactions are stored. The
``discover.rollup`` task stores each ended day's durations sorted, so percentiles over
whole days read one row per project, day and transaction (``rollup.py``).
"""

import os

from sqlalchemy import event

from sentryapi.api import db
from sentryapi.plugins import PeriodicTask, Plugin

from . import rollup, settings, views  # noqa: F401 - views registers the routes
from .blueprint import blp
from .functions import register_sqlite_functions
from .ingest import envelope_items, events_stored
from .models import MODELS, DurationDay, RolledDay, Tag, Transaction
from .retention import cleanup_expired

__all__ = ["DurationDay", "RolledDay", "Tag", "Transaction", "plugin"]


def init_app(app) -> None:
    """Settings; and SQLite has no percentile aggregate: each connection gets ours."""
    settings.load(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", register_sqlite_functions):
            event.listen(engine, "connect", register_sqlite_functions)
            engine.dispose()  # connections opened before this get it when reopened


plugin = Plugin(
    name="discover",
    requires=("events", "stats"),
    blueprints=(blp,),
    tags=({"name": "Discover", "description": "Query errors and transactions: tables of fields "
           "and functions, time series, facets and counts, in Sentry's search syntax."},),
    scopes=("org:read", "org:write", "org:admin", "event:read", "event:write", "event:admin"),
    webhook_events=("transaction.created",),
    models=MODELS,
    migrations=os.path.join(os.path.dirname(__file__), "migrations", "versions"),
    init_app=init_app,
    tasks=(PeriodicTask(name="discover.rollup", every=600, run=rollup.run, lease=1800),),
    hooks={"envelope_items": envelope_items, "events_stored": events_stored,
           "cleanup_expired": cleanup_expired},
)
