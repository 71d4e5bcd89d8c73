"""sentryapi plugin: projects, the teams holding them, and their client keys (DSNs).

For other plugins (events, releases...):

- :class:`Project` (``id``, ``organization_id``, ``slug``, ``name``, ``platform``,
  ``status``, ``date_created``, ``first_event``, ``flags``) and :class:`ProjectKey`;
  hang rows on ``ForeignKey("project.id", ondelete="CASCADE")``.
- :func:`get_project_or_404` (organization, id or slug) and :func:`projects_of`; views
  under a project derive from the core's ``sentryapi.api.ProjectEndpoint`` instead, which
  finds the project through this plugin's ``find_project`` hook and checks access.
- :class:`ProjectReach`: the projects a caller reaches, for lists spanning projects.
- :func:`find_ingest_key` for SDK ingestion (one indexed query; see ``ingest.py``).
- :func:`delete_project` removes a project's rows (the deletion job's body).
- :func:`serialize_projects` and :class:`ProjectSchema`: a project as Sentry embeds it in
  other objects (a cron monitor's ``project``).

It also serves each key's JavaScript SDK loader (``dsn.cdn``, ``loader.py``).
"""

import os

from sentryapi.plugins import Plugin

from . import key_views, loader, project_teams, views  # noqa: F401 - registers the routes
from .blueprint import blp
from .hooks import HOOKS
from .ingest import IngestKey, find_ingest_key
from .models import Project, ProjectBookmark, ProjectKey, ProjectTeam
from .reach import ALL_PROJECTS, ProjectReach
from .schemas import ProjectSchema
from .serializers import serialize_projects
from .services import delete_project, get_project_or_404, projects_of

__all__ = [
    "ALL_PROJECTS", "IngestKey", "ProjectReach", "Project", "ProjectKey", "ProjectTeam", "delete_project", "find_ingest_key",
    "get_project_or_404", "plugin", "projects_of", "ProjectSchema", "serialize_projects",
]

plugin = Plugin(
    name="projects",
    requires=("teams",),
    blueprints=(blp,),
    tags=({"name": "Projects", "description": "Projects receive events through their client "
           "keys (DSNs); teams give members access to them."},),
    scopes=("project:read", "project:write", "project:admin", "org:read", "org:write", "org:admin"),
    models=(Project, ProjectTeam, ProjectKey, ProjectBookmark),
    migrations=os.path.join(os.path.dirname(__file__), "migrations", "versions"),
    # A key's dsn.cdn: the JavaScript SDK loader, outside /api/0/.
    route_prefixes=(loader.PREFIX,),
    init_app=lambda app: app.register_blueprint(loader.bp),
    hooks=HOOKS,
)
