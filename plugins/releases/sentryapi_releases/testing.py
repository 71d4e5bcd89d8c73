"""pytest fixtures for suites that use releases (a ``pytest11`` plugin, loaded automatically).

``create_release(actor, version, projects=[slug, ...], **body)`` creates a release through
the API as ``actor`` and returns its JSON. ``sentry_cli_server`` is a live server for the
real sentry-cli (``sentry_cli()``, the binary from the core's dev extras).
"""

from __future__ import annotations

import os
import shutil
import sys
from urllib.parse import quote

import pytest
from sentryapi_projects.testing import PROJECT

from sentryapi.testing import probe, serve, unique


def sentry_cli() -> str:
    """The sentry-cli binary (the ``sentry-cli`` wheel beside this Python, else on PATH)."""
    beside = os.path.join(os.path.dirname(sys.executable), "sentry-cli")
    found = beside if os.path.exists(beside) else shutil.which("sentry-cli")
    if not found:
        pytest.fail("sentry-cli is not installed (it is in the core's dev extras: pip install -e '.[dev]')")
    return found


@pytest.fixture
def sentry_cli_server(make_app):
    """``(app, server)``: a live server whose public URL is its own address (organization
    tokens embed it; Link headers and upload URLs use it)."""
    app = make_app()
    with serve(app) as server:
        app.config["PUBLIC_URL"] = server.url
        yield app, server


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


# Probes (see sentryapi.probes): how the access tests make this plugin's objects.


RELEASE = "/api/0/organizations/<organization_id_or_slug>/releases/<path:version>/"


def _new_release(ctx) -> dict:
    return {"version": unique("probe@1.0"), "projects": [ctx.need(PROJECT)["project_id_or_slug"]]}


@probe("/api/0/organizations/<organization_id_or_slug>/releases/", bodies={"POST": _new_release})
def no_release(ctx) -> dict:
    return {}


@probe(RELEASE, bodies={"PUT": {"ref": "main"}})
@probe("/api/0/organizations/<organization_id_or_slug>/releases/<path:version>/commits/")
@probe("/api/0/organizations/<organization_id_or_slug>/releases/<path:version>/deploys/",
       bodies={"POST": {"environment": "production"}})
def release(ctx) -> dict:
    body = _new_release(ctx)
    made = ctx.api.post(f"/api/0/organizations/{ctx.org}/releases/", json=body)
    assert made.status_code == 201, made.json
    return {"version": quote(made.json["version"], safe=""),
            "project_id_or_slug": body["projects"][0]}


@probe("/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/releases/")
def project_releases(ctx) -> dict:
    return ctx.need(PROJECT)


@probe("/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/releases/<path:version>/commits/")
def project_release(ctx) -> dict:
    return ctx.need(RELEASE)
