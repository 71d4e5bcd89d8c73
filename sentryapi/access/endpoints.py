"""The base of every project-scoped view: the project is found and its access checked first.

As Sentry's ``ProjectEndpoint``: the token must carry one of the method's scopes; the
project named in the URL (or the one an issue belongs to) is looked up in the caller's
organization (404 when it is not there); then the caller must reach it (team membership
or global access) and hold one of the scopes there, through their role or a team role
on one of its teams (403 otherwise). No view can forget the check: the factory refuses
to start when a route naming a project is served by another kind of view.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..auth.protector import is_scope_insufficient
from ..exceptions import NotFound, PermissionDenied
from ..web.hooks import call_hook
from ..web.views import Endpoint
from .caller import Caller
from .permissions import ProjectPermission


def find_project(organization, project_id_or_slug: str) -> tuple[Any, list[int]] | None:
    """``(project, ids of the teams holding it)`` for an active project of the organization,
    from the plugin that has projects (its ``find_project`` hook), or ``None``."""
    for found in call_hook("find_project", organization, project_id_or_slug):
        if found is not None:
            return found
    return None


class ProjectEndpoint(Endpoint):
    """Views under ``/projects/{org}/{project}/`` (and anything else that acts on one project)."""

    scope_map = ProjectPermission
    checks_project: ClassVar[bool] = True
    #: The URL argument naming the project.
    project_arg: ClassVar[str] = "project_id_or_slug"

    #: Set before the view runs: the project and the ids of the teams holding it.
    project = None
    project_team_ids: tuple[int, ...] = ()

    def project_ref(self, kwargs: dict) -> str:
        """The id or slug of the project this request acts on.

        Override for a path that names it through an object of the project (an issue:
        look the object up in ``self.organization``, raise 404 if it is not there).
        """
        return kwargs[self.project_arg]

    def is_project_scoped(self, kwargs: dict) -> bool:
        return self.project_arg in kwargs

    def authorize(self, method: str, kwargs: dict) -> None:
        if not self.is_project_scoped(kwargs):
            super().authorize(method, kwargs)  # an organization-level view of a project plugin
            return
        required = tuple(self.scope_map.get(method, ()))
        if is_scope_insufficient(self.credentials.scopes, required):
            raise PermissionDenied()  # the token itself does not allow it
        found = find_project(self.organization, self.project_ref(kwargs))
        if found is None:
            raise NotFound()
        self.project, team_ids = found
        self.project_team_ids = tuple(team_ids)
        caller = self.caller()
        allowed = (caller.has_project_scope(self.project_team_ids, *required) if required
                   else caller.has_project_access(self.project_team_ids))
        if not allowed:
            raise PermissionDenied()

    def caller(self) -> Caller:
        """The caller in this organization (built once per request)."""
        if getattr(self, "_caller", None) is None:
            self._caller = Caller.of(self)
        return self._caller

    def has_project_scope(self, *scopes: str) -> bool:
        """Whether the caller holds one of ``scopes`` on this request's project."""
        return self.caller().has_project_scope(self.project_team_ids, *scopes)

    def require_project_scope(self, *scopes: str) -> Caller:
        """The caller, if they hold one of ``scopes`` on the project; 403 otherwise."""
        caller = self.caller()
        caller.require_project_scope(self.project_team_ids, *scopes)
        return caller
