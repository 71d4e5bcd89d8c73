"""The base view of the projects plugin: the core's ProjectEndpoint, plus rendering."""

from __future__ import annotations

from sentryapi.api import Caller
from sentryapi.api import ProjectEndpoint as CoreProjectEndpoint

from .serializers import serialize_projects


class ProjectEndpoint(CoreProjectEndpoint):
    def render(self, projects, caller: Caller | None = None, **options) -> list[dict]:
        """Projects of this organization as this caller sees them (see serialize_projects)."""
        caller = caller or self.caller()
        return serialize_projects(projects, lambda _: caller, user=self.user, **options)

    def render_one(self, project, caller: Caller | None = None, **options) -> dict:
        return self.render([project], caller, **options)[0]
