"""Hooks this plugin answers: what stored events tell about releases.

``events_stored(events, new_group_ids)`` is called by the plugin that stores events, in
its transaction, once per batch. ``events`` are dicts with ``organization_id``,
``project_id``, ``group_id``, ``release`` (a version or ``None``), ``environment`` and
``timestamp``; ``new_group_ids`` the issues the batch created. An event's release is
created the first time it is seen (as Sentry does), linked to the event's project, and
its first and last event, new issues and environments are counted: a few statements per
batch, plus one or two per release and environment in it.
"""

from __future__ import annotations

from sentryapi_projects import Project, projects_of
from sqlalchemy import func, select, tuple_

from sentryapi.api import db

from . import resolutions
from .models import OPEN, Release, ReleaseProject
from .services import touch_environments
from .upsert import insert_ignore
from .versions import version_error


def _with_release(events: list[dict]) -> list[dict]:
    return [e for e in events if e.get("release") and version_error(e["release"]) is None]


def events_stored(events: list[dict], new_group_ids) -> None:
    events = _with_release(events)
    if not events:
        return
    release_ids = _ensure_releases(events)
    first_release_of = _first_release_of_new_groups(events, set(new_group_ids))
    per_link: dict[tuple[int, int], dict] = {}
    per_environment: dict[tuple[int, str], dict] = {}
    for event in events:
        release_id = release_ids[(event["organization_id"], event["release"])]
        moment = event["timestamp"]
        link = per_link.setdefault((release_id, event["project_id"]),
                                   {"first": moment, "last": moment, "new": 0})
        link["first"], link["last"] = min(link["first"], moment), max(link["last"], moment)
        if event.get("environment"):
            env = per_environment.setdefault((release_id, event["environment"]),
                                             {"projects": set(), "first": moment, "new": 0})
            env["projects"].add(event["project_id"])
            env["first"] = min(env["first"], moment)
    for event in first_release_of.values():
        release_id = release_ids[(event["organization_id"], event["release"])]
        per_link[(release_id, event["project_id"])]["new"] += 1
        if event.get("environment"):
            per_environment[(release_id, event["environment"])]["new"] += 1
    _update_links(per_link)
    for (release_id, environment), env in per_environment.items():
        touch_environments(release_id, sorted(env["projects"]), environment, seen=env["first"],
                           new_issues=env["new"])


def _ensure_releases(events: list[dict]) -> dict[tuple[int, str], int]:
    """(organization id, version) -> release id, creating the releases first seen here."""
    earliest: dict[tuple[int, str], object] = {}
    for event in events:
        key = (event["organization_id"], event["release"])
        earliest[key] = min(earliest.get(key, event["timestamp"]), event["timestamp"])
    insert_ignore(Release, [
        {"organization_id": org, "version": version, "date_created": moment, "status": OPEN,
         "data": {}, "commit_count": 0, "authors": [], "total_deploys": 0}
        for (org, version), moment in sorted(earliest.items())
    ], ("organization_id", "version"))
    rows = db.session.execute(select(Release.organization_id, Release.version, Release.id).where(
        tuple_(Release.organization_id, Release.version).in_(sorted(earliest))))
    return {(org, version): release_id for org, version, release_id in rows}


def _first_release_of_new_groups(events: list[dict], new_group_ids: set) -> dict[int, dict]:
    """Each new issue's earliest event in the batch (the release it was first seen in)."""
    first: dict[int, dict] = {}
    for event in sorted(events, key=lambda e: e["timestamp"]):
        if event.get("group_id") in new_group_ids:
            first.setdefault(event["group_id"], event)
    return first


def _update_links(per_link: dict[tuple[int, int], dict]) -> None:
    insert_ignore(ReleaseProject, [
        {"release_id": release_id, "project_id": project_id, "new_groups": 0}
        for release_id, project_id in sorted(per_link)
    ], ("project_id", "release_id"))
    links = db.session.scalars(select(ReleaseProject).where(
        tuple_(ReleaseProject.release_id, ReleaseProject.project_id).in_(sorted(per_link))))
    for link in links:
        seen = per_link[(link.release_id, link.project_id)]
        link.first_event = min(link.first_event or seen["first"], seen["first"])
        link.last_event = max(link.last_event or seen["last"], seen["last"])
        link.new_groups = (link.new_groups or 0) + seen["new"]


def release_in_use_by_new_issues(release: Release) -> bool:
    """A release issues were first seen in (``newGroups``) is kept, as Sentry keeps it."""
    return bool(db.session.scalar(select(ReleaseProject.id).where(
        ReleaseProject.release_id == release.id, ReleaseProject.new_groups > 0).limit(1)))


def project_latest_releases(project_ids: list[int]) -> dict[int, dict]:
    """Each project's newest release, for ``latestRelease`` in project responses (one query)."""
    rank = func.row_number().over(partition_by=ReleaseProject.project_id,
                                  order_by=(Release.date_created.desc(), Release.id.desc()))
    ranked = (select(ReleaseProject.project_id, Release.version, rank.label("rank"))
              .join(Release, Release.id == ReleaseProject.release_id)
              .where(ReleaseProject.project_id.in_(project_ids)).subquery())
    rows = db.session.execute(select(ranked.c.project_id, ranked.c.version).where(ranked.c.rank == 1))
    return {project_id: {"version": version} for project_id, version in rows}


def fuzz_seed(organization, member) -> dict:
    """A release of the organization's first project, for the API fuzzing tests to name."""
    project_id = db.session.scalar(projects_of(organization).with_only_columns(Project.id)
                                   .order_by(Project.id).limit(1))
    release = Release(organization_id=organization.id, version="fuzz@1.0.0", status=OPEN, data={},
                      authors=[], commit_count=0, total_deploys=0)
    db.session.add(release)
    db.session.flush()
    if project_id is not None:
        db.session.add(ReleaseProject(release_id=release.id, project_id=project_id, new_groups=0))
    return {"version": release.version}


HOOKS = {"events_stored": events_stored, "release_in_use": release_in_use_by_new_issues,
         "project_latest_releases": project_latest_releases, "fuzz_seed": fuzz_seed,
         **resolutions.HOOKS}
