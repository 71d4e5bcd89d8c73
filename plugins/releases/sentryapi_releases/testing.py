"""pytest fixtures for suites that use releases (a ``pytest11`` plugin, loaded automatically).

``create_release(actor, version, projects=[slug, ...], **body)`` creates a release through
the API as ``actor`` and returns its JSON.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest


def release_path(org: str, version: str, *rest: str) -> str:
    """The URL of a release (the version percent-encoded, as clients send it)."""
    tail = "".join(f"{part}/" for part in rest)
    return f"/api/0/organizations/{org}/releases/{quote(version, safe='')}/{tail}"


@pytest.fixture
def create_release():
    def create(actor, version: str, projects: list, **body):
        response = actor.api.post(f"/api/0/organizations/{actor.org}/releases/",
                                  json={"version": version, "projects": projects, **body})
        assert response.status_code in (201, 208), response.json
        return response.json

    return create
