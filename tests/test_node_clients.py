"""The test kit's harness for Sentry's npm clients (sentryapi.testing.node) against a live server.

The clients' own tests live with the resources they use (plugins/*/tests/test_*_clients.py);
these check the harness itself: the pinned versions run, the CLI reaches the server it is
pointed at, and the MCP server speaks JSON-RPC over stdio to a self-hosted http host.
"""

from __future__ import annotations

import json

import pytest

from sentryapi.testing import BACKENDS, McpClient, SentryCli, node_clients_dir, served_app
from sentryapi.testing.actors import factories

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=BACKENDS)
def live(request, tmp_path_factory):
    base = tmp_path_factory.mktemp("node-clients")
    with served_app(request.param, base / "instance", base / "db.sqlite") as (app, server):
        owner = factories(app)[3]("owner")
        yield app, server, owner


def test_pinned_versions_are_installed():
    lock = json.loads((node_clients_dir() / "package-lock.json").read_text())
    packages = lock["packages"]
    assert packages["node_modules/sentry"]["version"] == "0.49.0"
    assert packages["node_modules/@sentry/mcp-server"]["version"] == "0.39.0"


def test_cli_reaches_the_live_server(live, tmp_path):
    app, server, owner = live
    cli = SentryCli(server.url, tmp_path, token=owner.token)
    assert cli.run("--version").strip().endswith("0.49.0")
    orgs = cli.json("org", "list")
    assert [org["slug"] for org in orgs] == [owner.org]


def test_mcp_server_lists_its_tools_over_stdio(live, tmp_path):
    app, server, owner = live
    with McpClient(server.url, owner.token, tmp_path) as mcp:
        assert mcp.server_info["serverInfo"]["version"] == "0.39.0"
        names = {tool["name"] for tool in mcp.list_tools()}
        assert {"find_organizations", "update_issue", "execute_sentry_tool"} <= names
        assert owner.org in mcp.text("find_organizations")
        teams = json.loads(mcp.text("find_teams", {"organizationSlug": owner.org}))  # not listed
        assert teams == {"teams": [], "hasMore": False}
