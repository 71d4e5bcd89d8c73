"""Response examples for the OpenAPI document (a test checks they match the schemas)."""

from __future__ import annotations

DEPLOY = {
    "id": "1", "environment": "production", "dateStarted": None,
    "dateFinished": "2024-01-01T00:10:00Z", "name": "deploy 1", "url": None,
}

COMMIT = {
    "id": "a7cd23e1b5ca9bf6cb8d4e1d5c6a94a1d8a1c8b1", "message": "Fix the checkout total",
    "dateCreated": "2024-01-01T00:00:00Z", "pullRequest": None, "suspectCommitType": "",
    "repository": {
        "id": "1", "name": "acme/frontend", "url": None, "provider": {"id": "unknown", "name": "Unknown Provider"}, "status": "active",
        "dateCreated": "2024-01-01T00:00:00Z", "integrationId": None, "externalSlug": None,
        "externalId": None,
    },
    "author": {"name": "Jane Doe", "email": "jane@example.com"},
    "releases": [{"version": "frontend@1.0.0", "shortVersion": "frontend@1.0.0", "ref": None,
                  "url": None, "dateReleased": "2024-01-01T00:05:00Z",
                  "dateCreated": "2024-01-01T00:00:00Z"}],
}

RELEASE = {
    "id": 1, "version": "frontend@1.0.0", "shortVersion": "frontend@1.0.0", "status": "open",
    "versionInfo": {
        "package": "frontend",
        "version": {"raw": "1.0.0", "major": 1, "minor": 0, "patch": 0, "pre": None,
                    "buildCode": None, "components": 3},
        "description": "1.0.0", "buildHash": None,
    },
    "ref": None, "url": None, "dateCreated": "2024-01-01T00:00:00Z",
    "dateReleased": "2024-01-01T00:05:00Z", "dateStarted": None, "data": {}, "newGroups": 0,
    "owner": None, "commitCount": 1, "lastCommit": COMMIT, "deployCount": 1, "lastDeploy": DEPLOY,
    "authors": [{"name": "Jane Doe", "email": "jane@example.com"}],
    "projects": [{"id": 1, "slug": "frontend", "name": "Frontend", "newGroups": 0,
                  "platform": "javascript", "platforms": ["javascript"], "hasHealthData": False}],
    "firstEvent": None, "lastEvent": None, "currentProjectMeta": {}, "userAgent": "sentry-cli/3.8.2",
}
