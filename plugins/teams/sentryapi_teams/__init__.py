"""sentryapi plugin: teams, team membership and team roles (Sentry's ``/teams/`` API).

Other plugins build on: :class:`Team`, :class:`TeamMember`, :func:`get_team_or_404`,
:class:`Caller` (who is calling and what they may do on a team) and the ``team_projects``
hook, which a plugin implements to list each team's projects in team responses.
"""

import os

from sentryapi.plugins import Plugin

from . import membership, views  # noqa: F401 - registers the routes on the blueprint
from .access import Caller
from .blueprint import blp
from .hooks import HOOKS
from .models import Team, TeamMember
from .services import get_team_or_404

__all__ = ["Caller", "Team", "TeamMember", "get_team_or_404", "plugin"]

plugin = Plugin(
    name="teams",
    blueprints=(blp,),
    tags=({"name": "Teams", "description": "Teams group an organization's members and "
           "give them access to projects."},),
    scopes=("team:read", "team:write", "team:admin"),
    models=(Team, TeamMember),
    migrations=os.path.join(os.path.dirname(__file__), "migrations", "versions"),
    hooks=HOOKS,
)
