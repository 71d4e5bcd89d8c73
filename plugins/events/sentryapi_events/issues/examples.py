"""Realistic response examples for the OpenAPI document, built by the real serializers."""

from __future__ import annotations

import datetime as dt

from ..digest.derived import event_tags
from ..digest.grouping import group_hash
from ..digest.normalize import normalize
from .event_json import serialize_event, serialize_event_summary

RECEIVED = dt.datetime(2026, 11, 24, 9, 30, 12, 345678, tzinfo=dt.UTC)
PROJECT_ID, ISSUE_ID, EVENT_ID = 4505321021243392, 1701, "9ec79c33ec9942ab8353589fcb2e04dc"

#: An error event as sentry-sdk for Python sends it (the part the serializers read).
SDK_EVENT = {
    "level": "error", "platform": "python", "release": "backend@1.4.2",
    "environment": "production", "user": {"id": "42", "email": "jane@example.com"},
    "contexts": {"runtime": {"name": "CPython", "version": "3.11.7"}},
    "exception": {"values": [{"type": "KeyError", "value": "'missing'", "mechanism": {
        "type": "generic", "handled": True}, "stacktrace": {"frames": [
            {"filename": "runner.py", "module": "runner", "function": "main", "lineno": 3,
             "in_app": True},
            {"filename": "jobs.py", "module": "app.jobs", "function": "boom", "lineno": 12,
             "context_line": "    return data['missing']", "in_app": True},
        ]}}]},
}


def _event_data() -> dict:
    raw = {**SDK_EVENT, "event_id": EVENT_ID}
    data = normalize(raw, event_id=EVENT_ID, received=RECEIVED)
    data["hashes"] = [group_hash(data)]
    data["tags"] = event_tags(data)
    return data


EVENT_DATA = _event_data()
EVENT = serialize_event_summary(EVENT_DATA, project_id=PROJECT_ID, group_id=ISSUE_ID)
EVENT_DETAIL = serialize_event(EVENT_DATA, project_id=PROJECT_ID, group_id=ISSUE_ID, size=2002)

ISSUE = {
    "id": str(ISSUE_ID), "shareId": None, "shortId": "BACKEND-1A", "title": "KeyError: 'missing'",
    "culprit": "app.jobs in boom", "permalink": "https://sentry.example.com/organizations/acme/issues/1701/",
    "logger": None, "level": "error", "status": "unresolved", "statusDetails": {},
    "substatus": "ongoing", "isPublic": False, "platform": "python", "priority": "high",
    "priorityLockedAt": None, "seerFixabilityScore": None, "seerAutofixLastTriggered": None,
    "seerExplorerAutofixLastTriggered": None,
    "project": {"id": str(PROJECT_ID), "name": "Backend", "slug": "backend", "platform": "python"},
    "type": "error", "issueType": "error", "issueCategory": "error",
    "metadata": EVENT_DATA["metadata"], "numComments": 0, "assignedTo": None,
    "isBookmarked": False, "isSubscribed": False, "subscriptionDetails": None, "hasSeen": False,
    "annotations": [], "isUnhandled": False, "count": "150", "userCount": 12,
    "firstSeen": "2026-11-20T08:15:02.000000Z", "lastSeen": "2026-11-24T09:30:12.345678Z",
    "stats": {"24h": [[1763884800 + 3600 * n, n % 5] for n in range(24)]},
}
TAG_VALUE = {"key": "environment", "name": "production", "value": "production", "count": 150,
             "firstSeen": "2026-11-20T08:15:02.000000Z", "lastSeen": "2026-11-24T09:30:12.345678Z",
             "query": 'environment:"production"'}
TAG_KEY = {"key": "environment", "name": "Environment", "totalValues": 150, "uniqueValues": 1,
           "topValues": [TAG_VALUE]}
ISSUE_DETAIL = {**ISSUE, "activity": [], "seenBy": [], "participants": [], "userReportCount": 0,
                "firstRelease": {"version": "backend@1.4.0"},
                "lastRelease": {"version": "backend@1.4.2"}, "tags": [TAG_KEY]}
UPDATE_RESULT = {"status": "resolved", "statusDetails": {}, "substatus": None}
