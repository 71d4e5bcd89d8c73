"""Render projects as Sentry does, a whole page at once (a fixed number of queries)."""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from collections.abc import Callable, Sequence

from flask import current_app
from sentryapi_teams import Team
from sqlalchemy import select

from sentryapi.api import Caller, call_hook, db, serialize_organization

from .models import Project, ProjectBookmark, ProjectTeam
from .schemas import PROJECT_FLAGS, PROJECT_OPTION_DEFAULTS

LETTER_AVATAR = {"avatarType": "letter_avatar", "avatarUuid": None, "avatarUrl": None}
#: Sentry's palette for a project's letter avatar, picked by a hash of the slug.
COLORS = ("#3f70bf", "#4e3fbf", "#7b3fbf", "#bf3fb9", "#bf3f6f", "#bf6a3f", "#bfa33f",
          "#95bf3f", "#3fbf55", "#3fbfa3", "#3f9fbf")
HIGHLIGHT_PRESET = {"tags": ["level", "release", "environment", "handled", "url"],
                    "context": {"trace": ["trace_id"]}}

CallerFor = Callable[[int], Caller]


def project_color(slug: str) -> str:
    return COLORS[int(hashlib.md5(slug.encode(), usedforsecurity=False).hexdigest(), 16) % len(COLORS)]


def security_token(project_id: int) -> str:
    """The token a project sends when fetching source files; derived, never stored."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"security-token:%d" % project_id, hashlib.sha256).hexdigest()[:32]


def teams_by_project(project_ids: Sequence[int]) -> dict[int, list[dict]]:
    """``{project_id: [{id, slug, name}, ...]}`` ordered by slug (one query)."""
    out: dict[int, list[dict]] = defaultdict(list)
    if project_ids:
        rows = db.session.execute(
            select(ProjectTeam.project_id, Team.id, Team.slug, Team.name)
            .join(Team, Team.id == ProjectTeam.team_id)
            .where(ProjectTeam.project_id.in_(project_ids))
            .order_by(Team.slug, Team.id)
        )
        for project_id, team_id, slug, name in rows:
            out[project_id].append({"id": team_id, "slug": slug, "name": name})
    return out


def bookmarked(project_ids: Sequence[int], user) -> set[int]:
    if user is None or not project_ids:
        return set()
    return set(db.session.scalars(select(ProjectBookmark.project_id).where(
        ProjectBookmark.user_id == user.id, ProjectBookmark.project_id.in_(project_ids))))


def latest_releases(project_ids: Sequence[int]) -> dict[int, dict]:
    """``{project_id: {"version": ...}}`` from the plugins that know releases
    (``project_latest_releases`` hook)."""
    out: dict[int, dict] = {}
    if project_ids:
        for contributed in call_hook("project_latest_releases", list(project_ids)):
            out.update(contributed)
    return out


def serialize_projects(projects: Sequence[Project], caller_for: CallerFor, *, user=None,
                       detailed: bool = False, null_team: bool = True,
                       organizations: dict | None = None) -> list[dict]:
    """Projects as Sentry renders them; ``caller_for(organization_id)`` is who asks there.

    ``detailed`` adds the settings and the organization; ``null_team`` keeps ``team: null``
    for a project without teams (lists) instead of leaving it out (details);
    ``organizations`` (id -> Organization) embeds each project's organization.
    """
    ids = [project.id for project in projects]
    teams = teams_by_project(ids)
    marks = bookmarked(ids, user)
    latest = latest_releases(ids)
    out = []
    for project in projects:
        caller = caller_for(project.organization_id)
        team_ids = [team["id"] for team in teams.get(project.id, [])]
        is_member = any(team_id in caller.team_roles for team_id in team_ids)
        has_access = is_member or caller.has_global_access
        flags = project.flags or {}
        data = {
            "id": project.id,
            "slug": project.slug,
            "name": project.name,
            "platform": project.platform,
            "dateCreated": project.date_created,
            "isBookmarked": project.id in marks,
            "isMember": is_member,
            "features": [],
            "firstEvent": project.first_event,
            "firstTransactionEvent": bool(flags.get("firstTransactionEvent")),
            "access": sorted(caller.scopes_via(team_ids)) if has_access else [],
            "hasAccess": has_access,
            **{flag: bool(flags.get(flag)) for flag in PROJECT_FLAGS},
            "isInternal": False,
            "isPublic": False,
            "avatar": dict(LETTER_AVATAR),
            "color": project_color(project.slug),
            "status": project.status,
            "teams": teams.get(project.id, []),
            "platforms": [project.platform] if project.platform else [],
            "environments": [],
            "latestRelease": latest.get(project.id),
        }
        if team_ids or null_team:
            data["team"] = data["teams"][0] if team_ids else None
        if organizations is not None:
            data["organization"] = serialize_organization(organizations[project.organization_id])
        if detailed:
            data.update(_details(project, caller))
        out.append(data)
    return out


#: Detailed settings that are fixed here (no data scrubbing rules, grouping configs,
#: symbol sources... to configure): Sentry's defaults for a new project.
FIXED_DETAILS = {
    "options": {},
    "digestsMinDelay": 300,
    "digestsMaxDelay": 1800,
    "allowedDomains": ["*"],
    "dataScrubber": True,
    "dataScrubberDefaults": True,
    "safeFields": [],
    "storeCrashReports": None,
    "sensitiveFields": [],
    "securityTokenHeader": None,
    "verifySSL": False,
    "scrubIPAddresses": False,
    "scrapeJavaScript": True,
    "highlightPreset": HIGHLIGHT_PRESET,
    "groupingConfig": "newstyle:2023-01-11",
    "derivedGroupingEnhancements": "",
    "groupingEnhancements": "",
    "secondaryGroupingExpiry": 0,
    "secondaryGroupingConfig": None,
    "fingerprintingRules": "",
    "processingIssues": 0,
    "defaultEnvironment": None,
    "relayPiiConfig": None,
    "builtinSymbolSources": [],
    "dynamicSamplingBiases": None,
    "symbolSources": "[]",
    "isDynamicallySampled": False,
    "tempestFetchScreenshots": False,
    "autofixAutomationTuning": "off",
    "seerScannerAutomation": False,
    "seerNightshiftTweaks": None,
    "debugFilesRole": None,
}


def _details(project: Project, caller: Caller) -> dict:
    options = {**PROJECT_OPTION_DEFAULTS, **(project.options or {})}
    return {
        **options,
        "resolveAge": options["resolveAge"] or 0,
        **FIXED_DETAILS,
        "organization": serialize_organization(caller.organization),
        "securityToken": security_token(project.id),
    }
