"""sentryapi plugin: releases, their deploys and commits (Sentry's ``/releases/`` API).

Written only against the core's public plugin API (``sentryapi.api``,
``sentryapi.plugins``) and the projects and teams plugins' public names, as a third
party's plugin would be.

For other plugins: :class:`Release`, :class:`ReleaseProject` and :class:`Deploy`; the
hooks this plugin calls (``release_created(release)``, ``release_updated(release)``,
``deploy_created(release, deploy)``, ``release_in_use(release)``: truthy refuses a
delete; ``release_deleted(release)`` just before one) and the ones it answers (``events_stored``, ``release_in_use``,
``project_latest_releases`` and the resolution hooks; see ``hooks.py``, ``resolutions.py``).
"""

import os

from sentryapi.plugins import Plugin

from . import deploy_views, views  # noqa: F401 - registers the routes
from .blueprint import blp
from .hooks import HOOKS
from .models import MODELS, Deploy, Release, ReleaseProject

__all__ = ["Deploy", "Release", "ReleaseProject", "plugin"]

plugin = Plugin(
    name="releases",
    requires=("projects",),
    blueprints=(blp,),
    tags=({"name": "Releases", "description": "Releases are the versions of your code you "
           "ship: their projects, deploys and commits, and the issues first seen in them."},),
    scopes=("project:read", "project:write", "project:admin", "project:releases", "org:ci"),
    models=MODELS,
    migrations=os.path.join(os.path.dirname(__file__), "migrations", "versions"),
    hooks=HOOKS,
)
