"""Render releases as Sentry does, a whole page at once (a fixed number of queries)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sentryapi_projects import Project
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from sentryapi.api import MemberSchema, OrganizationMember, User, db, serialize_member

from .models import (
    Commit,
    CommitAuthor,
    Deploy,
    Release,
    ReleaseCommit,
    ReleaseProject,
    Repository,
)
from .versions import version_info


def serialize_deploy(deploy: Deploy) -> dict:
    return {"id": str(deploy.id), "environment": deploy.environment,
            "dateStarted": deploy.date_started, "dateFinished": deploy.date_finished,
            "name": deploy.name, "url": deploy.url}


def member_users(organization_id: int, *, ids=(), emails=()) -> tuple[dict, dict]:
    """Members' users rendered as Sentry renders a user: ``(by id, by lower-cased e-mail)``."""
    if not ids and not emails:
        return {}, {}
    lowered = [email.lower() for email in emails]
    members = db.session.scalars(
        select(OrganizationMember).join(User, User.id == OrganizationMember.user_id)
        .where(OrganizationMember.organization_id == organization_id,
               User.id.in_(list(ids)) | func.lower(User.email).in_(lowered))
        .options(selectinload(OrganizationMember.inviter)))
    by_id, by_email = {}, {}
    for member in members:
        user = MemberSchema(only=("user",)).dump(serialize_member(member))["user"]
        by_id[member.user_id] = user
        by_email[member.user.email.lower()] = user
    return by_id, by_email


def serialize_repository(repository: Repository) -> dict:
    return {"id": str(repository.id), "name": repository.name, "url": None,
            "provider": {"id": "unknown", "name": "Unknown Provider"}, "status": "active", "dateCreated": repository.date_created,
            "integrationId": None, "externalSlug": None, "externalId": None}


def serialize_commits(organization_id: int, commit_ids: Sequence[int]) -> dict[int, dict]:
    """Commit id -> Sentry's commit object (with its repository and author): two queries."""
    if not commit_ids:
        return {}
    rows = db.session.execute(
        select(Commit, Repository, CommitAuthor)
        .join(Repository, Repository.id == Commit.repository_id)
        .outerjoin(CommitAuthor, CommitAuthor.id == Commit.author_id)
        .where(Commit.id.in_(list(commit_ids)))).all()
    _, users = member_users(organization_id, emails=[a.email for _, _, a in rows if a is not None])
    releases = _releases_by_commit(list(commit_ids))
    out = {}
    for commit, repository, author in rows:
        out[commit.id] = {
            "id": commit.key, "message": commit.message, "dateCreated": commit.date_added,
            "pullRequest": None, "suspectCommitType": "",
            "repository": serialize_repository(repository),
            "author": None if author is None else users.get(author.email.lower(),
                                                            {"name": author.name, "email": author.email}),
            "releases": releases.get(commit.id, []),
        }
    return out


def _releases_by_commit(commit_ids: list[int]) -> dict[int, list[dict]]:
    """The releases each commit is in (one query)."""
    out: dict[int, list[dict]] = defaultdict(list)
    rows = db.session.execute(
        select(ReleaseCommit.commit_id, Release).join(Release, Release.id == ReleaseCommit.release_id)
        .where(ReleaseCommit.commit_id.in_(commit_ids)).order_by(Release.date_created, Release.id))
    for commit_id, release in rows:
        out[commit_id].append({"version": release.version, "shortVersion": release.version,
                               "ref": release.ref, "url": release.url,
                               "dateReleased": release.date_released,
                               "dateCreated": release.date_created})
    return out


def _projects_by_release(release_ids: list[int]) -> dict[int, list[tuple[ReleaseProject, Project]]]:
    out: dict[int, list] = defaultdict(list)
    rows = db.session.execute(
        select(ReleaseProject, Project).join(Project, Project.id == ReleaseProject.project_id)
        .where(ReleaseProject.release_id.in_(release_ids)).order_by(Project.slug))
    for link, project in rows:
        out[link.release_id].append((link, project))
    return out


def _authors(organization_id: int, releases: Sequence[Release]) -> dict[int, list[dict]]:
    ids = {author_id for release in releases for author_id in release.authors or []}
    if not ids:
        return {}
    authors = {a.id: a for a in db.session.scalars(select(CommitAuthor).where(CommitAuthor.id.in_(ids)))}
    _, users = member_users(organization_id, emails=[a.email for a in authors.values()])
    out = {}
    for release in releases:
        rendered, seen = [], set()
        for author_id in release.authors or []:
            author = authors.get(author_id)
            if author is None:
                continue
            data = users.get(author.email.lower(), {"name": author.name, "email": author.email})
            if data["email"] not in seen:
                seen.add(data["email"])
                rendered.append(data)
        out[release.id] = rendered
    return out


def serialize_releases(releases: Sequence[Release], *, project_id: int | None = None,
                       current_project_meta: dict | None = None) -> list[dict]:
    """Releases as Sentry renders them.

    With ``project_id`` (a project's list), ``newGroups`` counts that project's issues
    only. First and last events are over the release's projects.
    """
    if not releases:
        return []
    organization_id = releases[0].organization_id
    release_ids = [release.id for release in releases]
    projects = _projects_by_release(release_ids)
    commits = serialize_commits(organization_id, [r.last_commit_id for r in releases if r.last_commit_id])
    deploy_ids = [r.last_deploy_id for r in releases if r.last_deploy_id]
    # Sentry's schema has a string name in ``lastDeploy`` (null in deploy lists).
    deploys = {d.id: {**serialize_deploy(d), "name": d.name or ""} for d in db.session.scalars(
        select(Deploy).where(Deploy.id.in_(deploy_ids)))} if deploy_ids else {}
    owners, _ = member_users(organization_id, ids=[r.owner_id for r in releases if r.owner_id])
    authors = _authors(organization_id, releases)
    out = []
    for release in releases:
        links = projects.get(release.id, [])
        counted = [link for link, _ in links if project_id is None or link.project_id == project_id]
        firsts = [link.first_event for link, _ in links if link.first_event]
        lasts = [link.last_event for link, _ in links if link.last_event]
        out.append({
            "id": release.id, "version": release.version, "shortVersion": release.version,
            "status": release.status, "versionInfo": version_info(release.version),
            "ref": release.ref, "url": release.url, "dateCreated": release.date_created,
            "dateReleased": release.date_released, "dateStarted": release.date_started,
            "data": release.data or {},
            "newGroups": sum(link.new_groups or 0 for link in counted),
            "owner": owners.get(release.owner_id),
            "commitCount": release.commit_count or 0,
            "lastCommit": commits.get(release.last_commit_id),
            "deployCount": release.total_deploys or 0,
            "lastDeploy": deploys.get(release.last_deploy_id),
            "authors": authors.get(release.id, []),
            "projects": [{
                "id": project.id, "slug": project.slug, "name": project.name,
                "newGroups": link.new_groups or 0, "platform": project.platform,
                "platforms": [project.platform] if project.platform else [],
                "hasHealthData": False,
            } for link, project in links],
            "firstEvent": min(firsts) if firsts else None,
            "lastEvent": max(lasts) if lasts else None,
            "currentProjectMeta": current_project_meta or {},
            "userAgent": release.user_agent,
        })
    return out
