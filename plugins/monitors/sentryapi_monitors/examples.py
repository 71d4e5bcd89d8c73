"""Response examples for the OpenAPI document (a test checks they match the schemas)."""

from __future__ import annotations

CONFIG = {
    "schedule_type": "crontab", "schedule": "0 * * * *", "checkin_margin": 5, "max_runtime": 30,
    "timezone": "Europe/Vienna", "failure_issue_threshold": 2, "recovery_threshold": 1,
    "alert_rule_id": None,
}

PROJECT = {
    "id": "4505321021243392", "slug": "backend", "name": "Backend", "platform": "python",
    "dateCreated": "2024-01-01T00:00:00Z", "isBookmarked": False, "isMember": True, "features": [],
    "firstEvent": "2024-01-02T00:00:00Z", "firstTransactionEvent": False, "access": ["project:read"],
    "hasAccess": True, "hasMonitors": True, "isInternal": False, "isPublic": False,
    "avatar": {"avatarType": "letter_avatar", "avatarUuid": None}, "color": "#3f70bf",
    "status": "active",
}

MONITOR = {
    "id": "12", "name": "Nightly export", "slug": "nightly-export", "status": "active",
    "isMuted": False, "isUpserting": False, "config": CONFIG, "dateCreated": "2024-01-01T00:00:00Z",
    "project": PROJECT,
    "environments": [{
        "name": "production", "status": "ok", "isMuted": False, "dateCreated": "2024-01-01T00:00:00Z",
        "lastCheckIn": "2024-01-03T10:00:02Z", "nextCheckIn": "2024-01-03T11:00:00Z",
        "nextCheckInLatest": "2024-01-03T11:05:00Z", "activeIncident": None,
    }],
    "owner": {"type": "team", "id": "3", "name": "backend"},
}

CHECKIN = {
    "id": "5bd3a5fa-3c6e-4b53-9e6b-cd3a1b0e2f9a", "environment": "production", "status": "ok",
    "duration": 2035, "dateCreated": "2024-01-03T10:00:02Z", "dateAdded": "2024-01-03T10:00:02Z",
    "dateUpdated": "2024-01-03T10:00:04Z", "dateInProgress": "2024-01-03T10:00:02Z",
    "dateClock": "2024-01-03T10:00:02Z", "expectedTime": "2024-01-03T10:00:00Z",
    "monitorConfig": CONFIG, "groups": [],
}
