"""Which releases a caller may read or change: those of projects they reach.

A release belongs to the organization but is seen through its projects (Sentry's rule):
reading it takes access to one of its projects, changing it access to all of them.
Which projects a caller reaches is the projects plugin's ``ProjectReach``.
"""

from __future__ import annotations

from sentryapi_projects import ProjectReach
from sqlalchemy import exists, select

from sentryapi.api import db

from .models import Release, ReleaseProject


class ReleaseAccess(ProjectReach):
    def can_read(self, release: Release) -> bool:
        """Access to one of the release's projects."""
        if self.caller.has_global_access:
            return True
        return bool(db.session.scalar(select(exists().where(
            ReleaseProject.release_id == release.id,
            ReleaseProject.project_id.in_(self.member_project_ids())))))

    def can_write(self, release: Release) -> bool:
        """Access to every one of the release's projects (and it has some)."""
        if self.caller.has_global_access:
            return True
        mine = self.member_project_ids()
        rows = db.session.execute(select(
            exists().where(ReleaseProject.release_id == release.id),
            exists().where(ReleaseProject.release_id == release.id,
                           ReleaseProject.project_id.not_in(mine)),
        )).one()
        return rows[0] and not rows[1]
