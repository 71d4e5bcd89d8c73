"""The real sentry-cli (the binary from the ``sentry-cli`` wheel, a dev dependency)
against a live server on an ephemeral port, with a user token and an organization token.

Every command must exit 0, and what it did must be visible through the API.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import time

import pytest
from sentryapi_releases.testing import release_path, sentry_cli

from sentryapi.testing import ApiClient


def run(env, *args) -> str:
    done = subprocess.run([sentry_cli(), *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"sentry-cli {' '.join(args)}: {done.stderr or done.stdout}"
    return done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["user", "org"])
def test_sentry_cli_manages_releases(sentry_cli_server, owner, create_project, tmp_path, kind):
    app, server = sentry_cli_server
    project = create_project(owner, name="CLI Project", slug="cli-project")
    token = owner.token
    if kind == "org":  # minted by the live server, so it embeds that server's URL
        made = ApiClient(app.test_client(), owner.token).post(
            f"/api/0/organizations/{owner.org}/org-auth-tokens/", json={"name": "ci"})
        assert made.status_code == 201, made.json
        token = made.json["token"]
    env = {
        "PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
        "SENTRY_URL": server.url, "SENTRY_AUTH_TOKEN": token, "SENTRY_ORG": owner.org,
        "SENTRY_PROJECT": project["slug"], "SENTRY_LOAD_DOTENV": "0",
        "SENTRY_DISABLE_UPDATE_CHECK": "1", "SENTRY_LOG_LEVEL": "warn",
    }
    version = f"cli-{kind}@1.0.0"
    info = run(env, "info")
    assert ("project:releases" in info) if kind == "user" else ("org:ci" in info)
    assert owner.org in run(env, "organizations", "list")
    assert project["slug"] in run(env, "projects", "list")
    run(env, "releases", "new", version)
    run(env, "releases", "new", version)  # again: Sentry's 208, still a success
    run(env, "releases", "finalize", version)
    assert version in run(env, "releases", "list")
    assert version in run(env, "releases", "info", version)
    run(env, "releases", "deploys", version, "new", "-e", "production", "-n", "first deploy")
    assert "production" in run(env, "releases", "deploys", version, "list")
    run(env, "releases", "new", f"{version}-gone")
    run(env, "releases", "delete", f"{version}-gone")
    if importlib.util.find_spec("sentryapi_events") is not None:  # ingestion is installed
        send_event(env, app, owner, project, kind)

    api = ApiClient(app.test_client(), token)
    release = api.get(release_path(owner.org, version))
    assert release.status_code == 200, release.json
    assert release.json["dateReleased"] is not None
    assert release.json["projects"][0]["slug"] == project["slug"]
    assert release.json["lastDeploy"]["environment"] == "production"
    assert release.json["lastDeploy"]["name"] == "first deploy"
    assert release.json["userAgent"].startswith("sentry-cli/")
    assert api.get(release_path(owner.org, f"{version}-gone")).status_code == 404


def send_event(env, app, owner, project, kind):
    """``sentry-cli send-event`` posts an envelope to the DSN; the issue shows in the API."""
    api = ApiClient(app.test_client(), owner.token)
    dsn = api.get(f"/api/0/projects/{owner.org}/{project['slug']}/keys/").json[0]["dsn"]["public"]
    message = f"hello from sentry-cli ({kind} token)"
    run({**env, "SENTRY_DSN": dsn}, "send-event", "-m", message, "--release", f"cli-{kind}@1.0.0")
    deadline = time.monotonic() + 20
    while True:
        issues = api.get(f"/api/0/projects/{owner.org}/{project['slug']}/issues/?query=").json
        if any(message in issue["title"] for issue in issues):
            return
        assert time.monotonic() < deadline, f"the sent event never became an issue: {issues}"
        time.sleep(0.1)
