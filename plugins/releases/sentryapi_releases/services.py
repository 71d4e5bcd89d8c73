"""Release operations: lookups through the organization, create (idempotent), update,
projects, deploys and delete. Commits and refs are in ``commits.py``."""

from __future__ import annotations

import datetime as dt

from sentryapi_projects import Project
from sqlalchemy import delete, literal, select, tuple_, update

from sentryapi.api import (
    NotFound,
    OrganizationMember,
    ParseError,
    User,
    ValidationFailed,
    call_hook,
    db,
    get_or_404,
    ids_and_slugs,
    parse_id,
    utcnow,
)

from .access import ReleaseAccess
from .commits import set_commits, set_refs
from .models import OPEN, Deploy, Release, ReleaseProject, ReleaseProjectEnvironment
from .upsert import insert_ignore

INVALID_PROJECTS = "Invalid project ids or slugs"


def releases_of(organization):
    return select(Release).where(Release.organization_id == organization.id)


def get_release_or_404(organization, version: str) -> Release:
    return get_or_404(releases_of(organization).where(Release.version == version))


def readable_release_or_404(access: ReleaseAccess, version: str) -> Release:
    """The release, if the caller reaches one of its projects; else the uniform 404."""
    release = get_release_or_404(access.organization, version)
    if not access.can_read(release):
        raise NotFound()
    return release


def writable_release_or_404(access: ReleaseAccess, version: str) -> Release:
    """The release, if the caller reaches all of its projects; else the uniform 404."""
    release = get_release_or_404(access.organization, version)
    if not access.can_write(release):
        raise NotFound()
    return release


def resolve_projects(access: ReleaseAccess, refs: list, pool=None) -> list[Project]:
    """Projects named by slug or id among ``pool`` (the caller's projects by default);
    any other name is Sentry's 400."""
    names = [r for r in refs if isinstance(r, str)]
    named_ids, named_slugs = ids_and_slugs(names)
    if len(named_ids) + len(named_slugs) < len(names):  # an all-digit name too long for an id
        raise ValidationFailed({"projects": [INVALID_PROJECTS]})
    ids = {r for r in refs if isinstance(r, int)} | set(named_ids)
    slugs = set(named_slugs)
    if any(not 0 < i < 2**63 for i in ids):
        raise ValidationFailed({"projects": [INVALID_PROJECTS]})
    pool = access.member_project_ids() if pool is None else pool
    found = list(db.session.scalars(select(Project).where(
        Project.id.in_(pool), Project.id.in_(ids) | Project.slug.in_(slugs)).order_by(Project.id)))
    if {p.id for p in found} >= ids and {p.slug for p in found} >= slugs:
        return found
    raise ValidationFailed({"projects": [INVALID_PROJECTS]})


def find_owner(organization, username: str | None) -> int | None:
    """The id of the member whose e-mail (username) or id is ``username``."""
    if not username:
        return None
    match = User.email == username
    if (user_id := parse_id(username)) is not None:
        match = match | (User.id == user_id)
    owner = db.session.scalar(select(User.id).join(
        OrganizationMember, OrganizationMember.user_id == User.id).where(
        OrganizationMember.organization_id == organization.id, match))
    if owner is None:
        raise ValidationFailed({"owner": ["Unknown user"]})
    return owner


def add_projects(release: Release, projects: list[Project]) -> list[Project]:
    """Link the release to these projects; returns those it was not linked to before."""
    return [p for p in projects if insert_ignore(
        ReleaseProject, [{"release_id": release.id, "project_id": p.id, "new_groups": 0}],
        ("project_id", "release_id"))]


def create_release(access: ReleaseAccess, data: dict, user_agent: str | None) -> tuple[Release, bool]:
    """Create the release, or add projects to the existing one; ``(release, changed)``.

    Creating is idempotent, as in Sentry: the same version again answers the stored
    release (208), with any new projects added (201). Two clients creating it at once
    both succeed.
    """
    organization = access.organization
    projects = resolve_projects(access, data["projects"])
    owner_id = find_owner(organization, data.get("owner"))
    created = bool(insert_ignore(Release, [{
        "organization_id": organization.id, "version": data["version"], "ref": data.get("ref"),
        "url": data.get("url"), "owner_id": owner_id, "date_released": data.get("dateReleased"),
        "date_started": data.get("dateStarted"), "status": data.get("status") or OPEN,
        "user_agent": (user_agent or "")[:256] or None, "data": {}, "date_created": utcnow(),
        "commit_count": 0, "authors": [], "total_deploys": 0,
    }], ("organization_id", "version")))
    release = get_release_or_404(organization, data["version"])
    if not created:
        _check_existing_projects(access, release)
        if data.get("status") and data["status"] != release.status:
            release.status = data["status"]
    new_projects = add_projects(release, projects)
    _apply_commits_and_refs(release, data)
    db.session.flush()
    if created:
        call_hook("release_created", release)
    else:
        call_hook("release_updated", release)
    db.session.commit()
    return release, created or bool(new_projects)


def _check_existing_projects(access: ReleaseAccess, release: Release) -> None:
    if access.can_write(release):
        return
    slugs = db.session.scalars(select(Project.slug).join(
        ReleaseProject, ReleaseProject.project_id == Project.id).where(
        ReleaseProject.release_id == release.id).order_by(Project.slug))
    raise ValidationFailed({"projects": [
        f"You do not have permission to one of the projects: {', '.join(slugs)}"]})


def _apply_commits_and_refs(release: Release, data: dict) -> None:
    if data.get("commits"):
        set_commits(release, data["commits"])
    refs = data.get("refs") or [
        {"repository": r["repository"], "commit": r["currentId"], "previousCommit": r.get("previousId")}
        for r in data.get("headCommits") or []
    ]
    if refs:
        set_refs(release, refs)


def update_release(access: ReleaseAccess, release: Release, data: dict) -> Release:
    """Change the ref, URL, dates or status; replace commits or refs.

    Setting ``dateReleased`` finalizes the release. Fields left out (or ``null``) keep
    their value, and ``projects`` (sentry-cli sends it) is ignored, as in Sentry.
    """
    for key, attr in (("ref", "ref"), ("url", "url"), ("dateReleased", "date_released"),
                      ("dateStarted", "date_started"), ("status", "status")):
        if data.get(key):
            setattr(release, attr, data[key])
    _apply_commits_and_refs(release, data)
    if data.get("refs") == [] and not data.get("headCommits"):
        set_refs(release, [], clear_commits=True)
    db.session.flush()
    call_hook("release_updated", release)
    db.session.commit()
    return release


def delete_release(release: Release) -> None:
    """Remove a release (and, by cascade, its project links, deploys and commit links).

    Refused, as in Sentry, while issues were first seen in it: other plugins answer the
    ``release_in_use`` hook; ``release_deleted`` lets them remove what is theirs.
    """
    if any(call_hook("release_in_use", release)):
        raise ParseError("This release is referenced by active issues and cannot be removed.")
    call_hook("release_deleted", release)
    db.session.execute(delete(Release).where(Release.id == release.id))
    db.session.commit()


def create_deploy(access: ReleaseAccess, release: Release, data: dict) -> Deploy:
    """Record a deploy of the release to an environment, for some or all of its projects."""
    release_projects = select(ReleaseProject.project_id).where(ReleaseProject.release_id == release.id)
    if data.get("projects"):
        projects = resolve_projects(access, data["projects"], pool=access.all_project_ids())
        linked = set(db.session.scalars(release_projects))
        outside = sorted(p.slug for p in projects if p.id not in linked)
        if outside:
            raise ParseError(f"Invalid projects ({', '.join(outside)}) for release {release.version}")
        project_ids = [p.id for p in projects]
    else:
        project_ids = list(db.session.scalars(release_projects))
    deploy = Deploy(
        organization_id=release.organization_id, release_id=release.id,
        environment=data["environment"], name=data.get("name"), url=data.get("url"),
        date_started=data.get("dateStarted"), date_finished=data.get("dateFinished") or utcnow(),
    )
    db.session.add(deploy)
    db.session.flush()
    db.session.execute(update(Release).where(Release.id == release.id).values(
        total_deploys=Release.total_deploys + 1, last_deploy_id=deploy.id))
    touch_environments(release.id, project_ids, deploy.environment, last_deploy_id=deploy.id)
    call_hook("deploy_created", release, deploy)
    db.session.commit()
    return deploy


def touch_environments(release_id: int, project_ids: list[int], environment: str, *,
                       last_deploy_id: int | None = None, seen: dt.datetime | None = None,
                       new_issues: int = 0) -> None:
    """Create or update the (release, project, environment) rows.

    Several digest processes may touch the same rows at once: missing rows are inserted
    with ``ON CONFLICT DO NOTHING``, then all are locked (in one order) and updated, so
    neither a duplicate insert nor a lost count is possible.
    """
    if not project_ids:
        return
    project_ids = sorted(project_ids)
    insert_ignore(ReleaseProjectEnvironment, [
        {"release_id": release_id, "project_id": project_id, "environment": environment,
         "new_issues_count": 0} for project_id in project_ids],
        ("release_id", "project_id", "environment"))
    rows = db.session.scalars(
        select(ReleaseProjectEnvironment).where(
            ReleaseProjectEnvironment.release_id == release_id,
            ReleaseProjectEnvironment.environment == environment,
            ReleaseProjectEnvironment.project_id.in_(project_ids))
        .order_by(ReleaseProjectEnvironment.project_id).with_for_update()
        .execution_options(populate_existing=True))
    for row in rows:
        if last_deploy_id is not None:
            row.last_deploy_id = last_deploy_id
        if seen is not None:
            row.first_seen = min(row.first_seen or seen, seen)
            row.last_seen = max(row.last_seen or seen, seen)
        row.new_issues_count = (row.new_issues_count or 0) + new_issues


def neighbours(release: Release, project_id: int) -> dict:
    """Sentry's ``currentProjectMeta``: the project's releases around this one by creation
    (previous = older, next = newer) and its first and last (four indexed queries)."""
    of_project = select(Release.version).join(
        ReleaseProject, ReleaseProject.release_id == Release.id).where(
        ReleaseProject.project_id == project_id)
    key = (Release.date_created, Release.id)
    here = tuple_(*key)
    mark = tuple_(literal(release.date_created, Release.date_created.type), literal(release.id))
    older = of_project.where(here < mark).order_by(*(c.desc() for c in key)).limit(1)
    newer = of_project.where(here > mark).order_by(*key).limit(1)
    first = of_project.order_by(*key).limit(1)
    last = of_project.order_by(*(c.desc() for c in key)).limit(1)
    return {"prevReleaseVersion": db.session.scalar(older), "nextReleaseVersion": db.session.scalar(newer),
            "firstReleaseVersion": db.session.scalar(first), "lastReleaseVersion": db.session.scalar(last)}
