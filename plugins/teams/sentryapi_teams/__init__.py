"""sentryapi plugin: teams, team membership and team roles (Sentry's ``/teams/`` API).

Other plugins build on: :class:`Team`, :class:`TeamMember`, :func:`get_team_or_404`,
:func:`add_team`, :func:`id_or_slug`, :func:`serialize_teams` with :class:`TeamSchema`, the
``search`` helpers and ``examples``, and the ``team_projects`` hook, which a plugin
implements to list each team's projects in team responses. It answers the core's
``member_team_roles`` hook (which teams a member is on), from which
``sentryapi.api.Caller`` decides team-scoped access. Other modules are private (the plugin
contract checks it).
"""

import os

from sentryapi.plugins import Plugin

from . import examples, membership, search, views  # noqa: F401 - views register the routes
from .access import id_or_slug
from .blueprint import blp
from .hooks import HOOKS
from .listings import team_listing
from .models import Team, TeamMember
from .schemas import TeamSchema
from .serializers import serialize_teams
from .services import add_team, get_team_or_404

__all__ = [
    "Team", "TeamMember", "TeamSchema", "add_team", "examples", "get_team_or_404",
    "id_or_slug", "plugin", "search", "serialize_teams", "team_listing",
]

plugin = Plugin(
    name="teams",
    blueprints=(blp,),
    tags=({"name": "Teams", "description": "Teams group an organization's members and "
           "give them access to projects."},),
    scopes=("team:read", "team:write", "team:admin", "org:read", "org:write", "org:admin",
            "member:read", "member:write", "member:admin"),
    models=(Team, TeamMember),
    migrations=os.path.join(os.path.dirname(__file__), "migrations", "versions"),
    hooks=HOOKS,
)
