"""The access layer: who is calling, their organization, and team-scoped project access.

``caller`` (the ``Caller``: membership, scopes, teams, global access), ``organizations``
(resolving the organization through the caller's memberships), ``permissions`` (Sentry's
permission classes) and ``endpoints`` (``ProjectEndpoint``, the base of every view under a
project; imported from there, as it builds on ``sentryapi.web.views``, which uses this
package to resolve organizations).
"""

from . import permissions
from .caller import TEAM_WRITE_SCOPES, Caller
from .organizations import match_id_or_slug, memberships, resolve_organization

__all__ = [
    "TEAM_WRITE_SCOPES", "Caller", "match_id_or_slug", "memberships", "permissions",
    "resolve_organization",
]
