"""Issues resolved "in a release" or "in the next release", and which events reopen them.

Sentry's rules, for the plugin that stores issues (it calls these hooks):

- ``resolve_in_release(organization_id, groups, details)`` when issues are resolved with
  ``statusDetails`` ``inRelease`` (a version, or ``latest``) or ``inNextRelease``;
  ``groups`` maps issue id -> project id. The basis of "next release" is each project's
  latest release (by release date, else creation). Returns the ``statusDetails`` to
  keep; refuses (400) an unknown version, or "next release" where no release exists.
- ``issues_reopened(group_ids)`` when they change status again (or regress).
- ``resolutions_holding(candidates)``: ``{issue id: [release of each new event]}`` for
  resolved issues getting events; returns the ids that stay resolved. Resolved in the
  next release: events of that basis release or older ones (or without a release) keep
  it resolved, a later release reopens it. Resolved in a release: that release or a later
  one reopens it. An issue resolved without a release is not here: any event reopens it.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, tuple_

from sentryapi.api import ValidationFailed, db

from .models import GroupResolution, Release, ReleaseProject

IN_RELEASE, IN_NEXT_RELEASE = "in_release", "in_next_release"
NO_RELEASES = "No release data present in the system to form a basis for 'Next Release'"
UNKNOWN_RELEASE = "Unable to find a release with the given version."


def _latest_of_projects(project_ids: set[int]) -> dict[int, Release]:
    """Each project's latest release: by release date, else creation (one query)."""
    moment = func.coalesce(Release.date_released, Release.date_created)
    rows = db.session.execute(
        select(ReleaseProject.project_id, Release)
        .join(Release, Release.id == ReleaseProject.release_id)
        .where(ReleaseProject.project_id.in_(project_ids))
        .order_by(ReleaseProject.project_id, moment.desc(), Release.id.desc()))
    latest: dict[int, Release] = {}
    for project_id, release in rows:
        latest.setdefault(project_id, release)
    return latest


def _basis(organization_id: int, projects: set[int], details: dict) -> tuple[str, Release] | None:
    if details.get("inNextRelease"):
        latest = _latest_of_projects(projects)
        if len(latest) < len(projects):
            raise ValidationFailed({"statusDetails": [f"inNextRelease: {NO_RELEASES}"]})
        return IN_NEXT_RELEASE, max(latest.values(), key=lambda r: (r.date_created, r.id))
    version = details.get("inRelease")
    if not version:
        return None
    if version == "latest":
        latest = _latest_of_projects(projects)
        if not latest:
            raise ValidationFailed({"statusDetails": [f"inRelease: {NO_RELEASES}"]})
        return IN_RELEASE, max(latest.values(), key=lambda r: (r.date_created, r.id))
    release = db.session.scalar(select(Release).where(
        Release.organization_id == organization_id, Release.version == version,
        Release.id.in_(select(ReleaseProject.release_id).where(ReleaseProject.project_id.in_(projects)))))
    if release is None:
        raise ValidationFailed({"statusDetails": [f"inRelease: {UNKNOWN_RELEASE}"]})
    return IN_RELEASE, release


def resolve_in_release(organization_id: int, groups: dict[int, int], details: dict) -> dict | None:
    """Record the issues' resolution; the ``statusDetails`` to keep (``None``: not ours)."""
    basis = _basis(organization_id, set(groups.values()), details or {})
    issues_reopened(list(groups))
    if basis is None:
        return None
    kind, release = basis
    db.session.add_all(GroupResolution(group_id=group_id, organization_id=organization_id,
                                       release_id=release.id, kind=kind) for group_id in groups)
    return {"inNextRelease": True} if kind == IN_NEXT_RELEASE else {"inRelease": release.version}


def issues_reopened(group_ids: list[int]) -> None:
    if group_ids:
        db.session.execute(delete(GroupResolution).where(GroupResolution.group_id.in_(group_ids)))


def resolutions_holding(candidates: dict[int, list[str | None]]) -> set[int]:
    """The issues that stay resolved despite events of these releases (two queries)."""
    if not candidates:
        return set()
    rows = db.session.execute(
        select(GroupResolution, Release).join(Release, Release.id == GroupResolution.release_id)
        .where(GroupResolution.group_id.in_(list(candidates)))).all()
    wanted = {(resolution.organization_id, version) for resolution, _ in rows
              for version in candidates[resolution.group_id] if version}
    known = {}
    if wanted:
        known = {(r.organization_id, r.version): r for r in db.session.scalars(
            select(Release).where(tuple_(Release.organization_id, Release.version).in_(sorted(wanted))))}
    holding = set()
    for resolution, basis in rows:
        releases = [None if v is None else known.get((resolution.organization_id, v))
                    for v in candidates[resolution.group_id]]
        if all(_holds(resolution.kind, basis, release, version) for release, version in
               zip(releases, candidates[resolution.group_id], strict=True)):
            holding.add(resolution.group_id)
    return holding


def _holds(kind: str, basis: Release, release: Release | None, version: str | None) -> bool:
    if version is None:
        return True  # an event without a release is taken as older, as Sentry does
    if release is None:
        return False  # a release never seen before is a later one
    if release.id == basis.id:
        return kind == IN_NEXT_RELEASE
    return (release.date_created, release.id) < (basis.date_created, basis.id)


HOOKS = {"resolve_in_release": resolve_in_release, "issues_reopened": issues_reopened,
         "resolutions_holding": resolutions_holding}
