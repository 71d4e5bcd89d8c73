"""sentryapi plugin: source maps (sentry-cli's chunk upload and artifact bundles), applied
to JavaScript stack traces when events are digested.

Written against the core's public plugin API only, as a third party's plugin would be.
It answers the ``rewrite_stack_frames`` hook the events plugin's digest fires before
grouping (``symbolicate.py``), ``release_deleted`` and ``cleanup_expired`` (``retention.py``:
a deleted release's bundles, bundles and debug files past their retention, blobs nothing
holds). Bytes live in the core's blob store (``blobs.py``).
"""

import os

from sentryapi.plugins import Plugin

from . import (  # noqa: F401 - registers the routes
    chunks,
    debug_file_views,
    event_views,
    release_file_views,
    settings,
    views,
)
from .blueprint import blp
from .models import MODELS
from .retention import cleanup_expired, release_deleted
from .symbolicate import rewrite_stack_frames

__all__ = ["plugin"]


def init_app(app) -> None:
    settings.load(app)


plugin = Plugin(
    name="sourcemaps",
    requires=("releases", "events"),
    blueprints=(blp,),
    tags=({"name": "Source Maps", "description": "Source maps, artifact bundles and debug files "
           "uploaded by sentry-cli, used to make minified stack traces readable."},),
    scopes=("project:read", "project:write", "project:admin", "project:releases", "org:ci",
            "event:read", "event:write", "event:admin"),
    models=MODELS,
    migrations=os.path.join(os.path.dirname(__file__), "migrations", "versions"),
    init_app=init_app,
    hooks={"rewrite_stack_frames": rewrite_stack_frames, "cleanup_expired": cleanup_expired,
           "release_deleted": release_deleted},
)
