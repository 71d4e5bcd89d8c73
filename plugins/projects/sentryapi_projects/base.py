"""The base view of project endpoints: the project in the URL, and who asks."""

from __future__ import annotations

from sentryapi_teams import Caller

from sentryapi.api import Endpoint

from .models import Project
from .serializers import serialize_projects
from .services import get_project_or_404, team_ids_of


class ProjectEndpoint(Endpoint):
    def caller(self) -> Caller:
        return Caller.of(self)

    def project(self, project_id_or_slug: str) -> Project:
        return get_project_or_404(self.organization, project_id_or_slug)

    def require_project_scope(self, project: Project, *scopes: str) -> Caller:
        """The caller, if they hold one of ``scopes`` on the project (through its teams)."""
        caller = self.caller()
        caller.require_scope_via(team_ids_of(project), *scopes)
        return caller

    def render(self, projects, caller: Caller | None = None, **options) -> list[dict]:
        """Projects of this organization as this caller sees them (see serialize_projects)."""
        caller = caller or self.caller()
        return serialize_projects(projects, lambda _: caller, user=self.user, **options)

    def render_one(self, project: Project, caller: Caller | None = None, **options) -> dict:
        return self.render([project], caller, **options)[0]
