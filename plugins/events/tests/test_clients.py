"""Sentry's current npm clients, unchanged, against a live server: the ``sentry`` CLI 0.49 and
``@sentry/mcp-server`` 0.39 (pinned in tests/clients; see ``sentryapi.testing.node``).

One server (per database) and one MCP process serve the whole module: the clients take a
second or so to start, so the data is seeded once and the tests read and change it in order.
"""

from __future__ import annotations

import json

import pytest
from sentryapi_events.testing import digest_now, envelope, exception_event

from sentryapi.testing import BACKENDS, McpClient, SentryCli, served_app
from sentryapi.testing.actors import factories

pytestmark = pytest.mark.slow


class Seeded:
    """The module's server and what it holds: a team, a project, two issues, a release."""

    def __init__(self, app, server, owner):
        self.app, self.server, self.owner, self.org = app, server, owner, owner.org
        api = owner.api
        self.team = api.post(f"/api/0/organizations/{self.org}/teams/", json={"name": "Core"}).json
        self.project = api.post(f"/api/0/teams/{self.org}/{self.team['slug']}/projects/",
                                json={"name": "Backend", "platform": "python"}).json
        self.slug = self.project["slug"]
        key = api.get(f"/api/0/projects/{self.org}/{self.slug}/keys/").json[0]
        self.dsn = key["dsn"]["public"]
        self.keyerror = exception_event(user={"id": "1"}, release="1.0", breadcrumbs={
            "values": [{"message": "crumb-one", "category": "log"}]})
        self.valueerror = exception_event("ValueError", "bad", function="parse")
        for event in (self.keyerror, self.valueerror):
            sent = api.client.post(f"/api/{self.project['id']}/envelope/", data=envelope(event),
                                   headers={"X-Sentry-Auth": f"Sentry sentry_key={key['public']}, "
                                            "sentry_version=7",
                                            "Content-Type": "application/x-sentry-envelope"})
            assert sent.status_code == 200, sent.json
        digest_now(app)
        issues = api.get(f"/api/0/projects/{self.org}/{self.slug}/issues/?query=").json
        self.issues = {issue["title"].split(":")[0]: issue for issue in issues}

    def issue(self, name: str) -> dict:
        found = self.owner.api.get(f"/api/0/organizations/{self.org}/issues/"
                                   f"{self.issues[name]['id']}/")
        assert found.status_code == 200, found.json
        return found.json


# One database: these tests are about what the clients send and read; every operation they
# call is checked on both databases by the conformance and access suites, and each CLI start
# costs seconds.
@pytest.fixture(scope="module", params=BACKENDS[:1])
def seeded(request, tmp_path_factory):
    base = tmp_path_factory.mktemp("clients")
    with served_app(request.param, base / "instance", base / "db.sqlite") as (app, server):
        yield Seeded(app, server, factories(app)[3]("owner"))


@pytest.fixture(scope="module")
def cli(seeded, tmp_path_factory):
    return SentryCli(seeded.server.url, tmp_path_factory.mktemp("cli-home"), token=seeded.owner.token)


@pytest.fixture(scope="module")
def mcp(seeded, tmp_path_factory):
    with McpClient(seeded.server.url, seeded.owner.token, tmp_path_factory.mktemp("mcp")) as client:
        yield client


def test_cli_login_whoami_and_listings(seeded, tmp_path):
    fresh = SentryCli(seeded.server.url, tmp_path)  # no token in the environment
    fresh.run("auth", "login", "--url", seeded.server.url, "--token", seeded.owner.token)
    assert seeded.owner.user.email in fresh.run("auth", "whoami")
    assert "Verified: yes" in fresh.result("info").stdout
    assert seeded.org in fresh.run("org", "list")
    assert seeded.team["slug"] in fresh.run("team", "list", seeded.org)
    assert seeded.slug in fresh.run("project", "list", seeded.org)
    assert seeded.dsn in fresh.run("dsn", "list", f"{seeded.org}/{seeded.slug}")


def test_cli_issue_commands(seeded, cli):
    org, key = seeded.org, seeded.issues["KeyError"]
    listed = cli.run("issue", "list", f"{org}/{seeded.slug}")
    assert key["shortId"] in listed and seeded.issues["ValueError"]["shortId"] in listed
    by_short = cli.run("issue", "view", f"{org}/{key['shortId']}")
    assert "KeyError" in by_short
    assert "KeyError" in cli.run("issue", "view", key["id"])
    assert "KeyError" in cli.run("issue", "view", f"{seeded.server.url}/organizations/{org}/issues/{key['id']}/")
    assert seeded.keyerror["event_id"] in cli.run("issue", "events", f"{org}/{key['shortId']}")
    assert "1.0" in cli.run("issue", "tags", f"{org}/{key['shortId']}", "release")
    cli.run("issue", "resolve", f"{org}/{key['shortId']}")
    assert seeded.issue("KeyError")["status"] == "resolved"
    cli.run("issue", "unresolve", f"{org}/{key['shortId']}")
    assert seeded.issue("KeyError")["status"] == "unresolved"
    cli.run("issue", "archive", f"{org}/{key['shortId']}")
    assert seeded.issue("KeyError")["status"] == "ignored"
    cli.run("issue", "unresolve", key["id"])
    activity = seeded.owner.api.get(f"/api/0/organizations/{org}/issues/{key['id']}/activities/").json
    assert [a["type"] for a in activity["activity"]][:4] == [
        "set_unresolved", "set_ignored", "set_unresolved", "set_resolved"]


def test_cli_event_commands(seeded, cli):
    event_id = seeded.keyerror["event_id"]
    viewed = cli.run("event", "view", event_id)  # a bare id: found through /eventids/
    assert event_id in viewed and "crumb-one" in viewed
    assert event_id in cli.run("event", "list", f"{seeded.org}/{seeded.issues['KeyError']['shortId']}")


def test_cli_release_and_token_commands(seeded, cli):
    org, version = seeded.org, "backend@2.0.0"
    cli.run("release", "create", f"{org}/{version}", "--project", seeded.slug)
    assert version in cli.run("release", "list", org)
    assert version in cli.run("release", "view", f"{org}/{version}")
    cli.run("release", "finalize", f"{org}/{version}")
    assert seeded.owner.api.get(f"/api/0/organizations/{org}/releases/{version}/").json["dateReleased"]
    assert cli.result("token", "list").returncode == 0


def test_mcp_reads_organizations_teams_projects_dsns_releases(seeded, mcp):
    org = seeded.org
    assert seeded.owner.user.email in mcp.text("whoami")
    assert org in mcp.text("find_organizations")
    assert seeded.team["slug"] in mcp.text("find_teams", {"organizationSlug": org})
    assert seeded.slug in mcp.text("find_projects", {"organizationSlug": org})
    assert seeded.dsn in mcp.text("find_dsns", {"organizationSlug": org, "projectSlug": seeded.slug})
    seeded.owner.api.post(f"/api/0/organizations/{org}/releases/",
                          json={"version": "backend@3.0.0", "projects": [seeded.slug]})
    assert "backend@3.0.0" in mcp.text("find_releases", {"organizationSlug": org})
    assert "backend@3.0.0" in mcp.text("get_release_details", {
        "organizationSlug": org, "releaseVersion": "backend@3.0.0"})


def test_mcp_creates_and_updates_teams_projects_dsns(seeded, mcp):
    org, api = seeded.org, seeded.owner.api
    mcp.text("create_team", {"organizationSlug": org, "name": "agents"})
    assert "agents" in [t["slug"] for t in api.get(f"/api/0/organizations/{org}/teams/").json]
    mcp.text("create_project", {"organizationSlug": org, "teamSlug": "agents", "name": "Agent App",
                                "platform": "node"})
    project = api.get(f"/api/0/projects/{org}/agent-app/")
    assert project.status_code == 200 and project.json["platform"] == "node", project.json
    mcp.text("update_project", {"organizationSlug": org, "projectSlug": "agent-app",
                                "name": "Agent App Renamed"})
    assert api.get(f"/api/0/projects/{org}/agent-app/").json["name"] == "Agent App Renamed"
    mcp.text("add_team_to_project", {"organizationSlug": org, "projectSlug": seeded.slug,
                                     "teamSlug": "agents"})
    teams = api.get(f"/api/0/projects/{org}/{seeded.slug}/teams/").json
    assert "agents" in [t["slug"] for t in teams]
    made = mcp.text("create_dsn", {"organizationSlug": org, "projectSlug": "agent-app",
                                   "name": "Production"})
    keys = api.get(f"/api/0/projects/{org}/agent-app/keys/").json
    production = [k for k in keys if k["name"] == "Production"]
    assert production and production[0]["dsn"]["public"] in made


def test_mcp_reads_and_triages_issues(seeded, mcp):
    org, key = seeded.org, seeded.issues["ValueError"]
    details = mcp.text("get_issue_details", {"organizationSlug": org, "issueId": key["shortId"]})
    assert "ValueError" in details
    by_event = mcp.text("get_issue_details", {"organizationSlug": org,
                                              "eventId": seeded.valueerror["event_id"]})
    assert key["shortId"] in by_event
    assert "ValueError" in mcp.text("search_issues", {"organizationSlug": org, "query": "is:unresolved"})
    assert "error" in mcp.text("get_issue_tag_values", {"organizationSlug": org,
                                                        "issueId": key["shortId"], "tagKey": "level"})
    crumbs = mcp.text("get_issue_breadcrumbs", {"organizationSlug": org,
                                                "issueId": seeded.issues["KeyError"]["shortId"]})
    assert "crumb-one" in crumbs
    mcp.text("add_issue_note", {"organizationSlug": org, "issueId": key["shortId"],
                                "text": "From an agent."})
    assert seeded.issue("ValueError")["numComments"] == 1
    mcp.text("update_issue", {"organizationSlug": org, "issueId": key["shortId"],
                              "status": "resolved", "reason": "Fixed in parse()."})
    assert seeded.issue("ValueError")["status"] == "resolved"
    activity = mcp.text("get_issue_activity", {"organizationSlug": org, "issueId": key["shortId"]})
    assert "From an agent." in activity


def test_cli_merge_last(seeded, cli):
    """Merging changes the seeded issues: it runs after the others."""
    org = seeded.org
    key, value = seeded.issues["KeyError"], seeded.issues["ValueError"]
    cli.run("issue", "merge", f"{org}/{key['shortId']}", f"{org}/{value['shortId']}")
    listed = seeded.owner.api.get(f"/api/0/projects/{org}/{seeded.slug}/issues/?query=").json
    assert len(listed) == 1
    assert json.dumps(listed)  # the parent answers for both ids
    for issue in (key, value):
        assert seeded.owner.api.get(f"/api/0/issues/{issue['id']}/").json["id"] == listed[0]["id"]
