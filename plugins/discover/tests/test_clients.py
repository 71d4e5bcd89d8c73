"""Sentry's own clients on Discover, unchanged, against a live server: the MCP server's
``search_events`` (its direct path: Sentry search syntax with explicit fields and sort,
which runs without an agent provider) and the ``sentry`` CLI's ``explore``.

The MCP server's natural-language path needs an LLM provider (OpenAI or Anthropic) to
rewrite the question into a query; it cannot run offline, so it is not tested here.
"""

from __future__ import annotations

import json

import pytest

from sentryapi.testing import BACKENDS, McpClient, SentryCli, served_app
from sentryapi.testing.actors import factories

from .conftest import Seeded

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=BACKENDS)
def live(request, tmp_path_factory):
    base = tmp_path_factory.mktemp("discover-clients")
    with served_app(request.param, base / "instance", base / "db.sqlite") as (app, server):
        yield Seeded(app, factories(app)[3]("owner")), server


def test_mcp_search_events_and_cli_explore(live, tmp_path):
    seeded, server = live
    with McpClient(server.url, seeded.owner.token, tmp_path / "mcp") as mcp:
        counted = mcp.text("search_events", {
            "organizationSlug": seeded.org, "dataset": "errors", "query": "level:error",
            "fields": ["title", "count()"], "sort": "-count()"})
        assert "KeyError" in counted and "ValueError" in counted and "TypeError" not in counted
        listed = mcp.text("search_events", {
            "organizationSlug": seeded.org, "dataset": "errors", "query": "error.type:ValueError",
            "projectSlug": seeded.backend})
        assert "ValueError" in listed and "KeyError" not in listed
    cli = SentryCli(server.url, tmp_path / "cli", token=seeded.owner.token)
    table = json.loads(cli.run("explore", f"{seeded.org}/", "-F", "title", "-F", "count()",
                               "-q", "level:error", "--sort", "-count()", "--period", "24h", "--json"))
    rows = table["data"] if isinstance(table, dict) else table
    assert {row["title"]: row["count()"] for row in rows} == {"KeyError: 'missing'": 2, "ValueError: bad": 1}
