"""Feedback and attachments through Sentry's real clients: the Python SDK's transport sends
them, the npm ``sentry`` CLI lists feedback, the MCP server reads user reports and attachments."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
import sentry_sdk
from sentry_sdk.envelope import Envelope, Item, PayloadRef
from sentryapi_events.testing import digest_now

from sentryapi.testing import BACKENDS, McpClient, SentryCli, served_app
from sentryapi.testing.actors import factories
from sentryapi.testing.node import GATEWAY_TOOL

pytestmark = pytest.mark.slow
SCREENSHOT = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


@pytest.fixture(scope="module", params=BACKENDS)
def live(request, tmp_path_factory):
    """A live server with a project whose SDK sent an error with two attachments, a user
    report about it, and widget feedback (all through the real sentry-sdk)."""
    base = tmp_path_factory.mktemp("feedback-clients")
    with served_app(request.param, base / "instance", base / "db.sqlite") as (app, server):
        owner = factories(app)[3]("owner")
        team = owner.api.post(f"/api/0/organizations/{owner.org}/teams/", json={"name": "Core"}).json
        project = owner.api.post(f"/api/0/teams/{owner.org}/{team['slug']}/projects/",
                                 json={"name": "Web", "platform": "python"}).json
        key = owner.api.get(f"/api/0/projects/{owner.org}/{project['slug']}/keys/").json[0]
        dsn = f"http://{key['public']}@{server.url.split('://', 1)[1]}/{project['id']}"
        event_id = send_with_sdk(dsn)
        digest_now(app)
        yield app, server, owner, project["slug"], event_id


def send_with_sdk(dsn: str) -> str:
    """An error with attachments (``scope.add_attachment``), then a ``user_report`` and a
    ``feedback`` envelope through the SDK's own transport (the Python SDK has no feedback
    API of its own; these are the items the JavaScript SDK's feedback functions send)."""
    for scope in (sentry_sdk.get_isolation_scope(), sentry_sdk.get_current_scope()):
        scope.clear()
    sentry_sdk.init(dsn=dsn, default_integrations=False)
    try:
        with sentry_sdk.new_scope() as scope:
            scope.add_attachment(bytes=SCREENSHOT, filename="screenshot.png", content_type="image/png")
            scope.add_attachment(bytes=b"started\nfailed\n", filename="app.log", content_type="text/plain")
            event_id = sentry_sdk.capture_message("Checkout failed", level="error")
        transport = sentry_sdk.get_client().transport
        report = Envelope(headers={"event_id": uuid.uuid4().hex})
        report.add_item(Item(payload=PayloadRef(json={
            "event_id": event_id, "name": "Jane Smith", "email": "jane@example.com",
            "comments": "I clicked pay and nothing happened."}), type="user_report"))
        transport.capture_envelope(report)
        feedback_id = uuid.uuid4().hex
        widget = Envelope(headers={"event_id": feedback_id})
        widget.add_item(Item(payload=PayloadRef(json={
            "event_id": feedback_id, "type": "feedback", "level": "info", "platform": "javascript",
            "contexts": {"feedback": {"message": "The new menu is hard to find",
                                      "contact_email": "ann@example.com", "name": "Ann"}}}),
            type="feedback"))
        transport.capture_envelope(widget)
        assert sentry_sdk.flush(10) is None
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init()
    return event_id


def test_cli_lists_feedback(live, tmp_path):
    app, server, owner, project, _ = live
    cli = SentryCli(server.url, tmp_path, token=owner.token)
    listed = cli.json("feedback", "list", f"{owner.org}/{project}")
    items = listed["data"] if isinstance(listed, dict) else listed
    by_message = {item["metadata"]["message"]: item for item in items}
    assert set(by_message) == {"I clicked pay and nothing happened.", "The new menu is hard to find"}
    assert by_message["The new menu is hard to find"]["metadata"]["contact_email"] == "ann@example.com"
    text = cli.run("feedback", "list", f"{owner.org}/{project}")
    assert "The new menu is hard to find" in text and "Ann" in text


def test_mcp_reads_user_reports_and_attachments(live, tmp_path):
    app, server, owner, project, event_id = live
    issue_id = owner.api.get(f"/api/0/projects/{owner.org}/{project}/events/{event_id}/").json["groupID"]
    with McpClient(server.url, owner.token, tmp_path) as mcp:
        reports = mcp.text("get_issue_user_reports", {"organizationSlug": owner.org,
                                                      "issueId": issue_id})
        assert "I clicked pay and nothing happened." in reports and "Jane Smith" in reports
        listing = mcp.text("get_event_attachment", {"organizationSlug": owner.org,
                                                    "projectSlug": project, "eventId": event_id})
        assert "screenshot.png" in listing and "app.log" in listing
        attachments = owner.api.get(
            f"/api/0/projects/{owner.org}/{project}/events/{event_id}/attachments/").json
        shot = next(a for a in attachments if a["name"] == "screenshot.png")
        # 0.39 reaches this tool through execute_sentry_tool (see McpClient.text).
        answer = mcp.call(GATEWAY_TOOL, {"name": "get_event_attachment", "arguments": {
            "organizationSlug": owner.org, "projectSlug": project, "eventId": event_id,
            "attachmentId": shot["id"]}})
        images = [part for part in answer["content"] if part.get("type") == "image"]
        assert [base64.b64decode(part["data"]) for part in images] == [SCREENSHOT], json.dumps(answer)[:500]
