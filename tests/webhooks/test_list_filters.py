"""Hook lists and delivery logs: ``query``, ``status``, ``eventType`` and ``sort``."""

from __future__ import annotations

from sqlalchemy import update

from sentryapi.testing import walk_sorted

from .conftest import emit_in, make_project
from .test_delivery import deliveries, org_hook, wait_until


def test_hooks_filter_by_url_and_status_and_sort(hooks_app, owner, receiver):
    project = make_project(owner)
    url = f"/api/0/projects/{owner.org}/{project}/hooks/"
    made = [owner.api.post(url, json={"url": f"{receiver.url}/{path}", "events": ["issue"]}).json
            for path in ("b-alerts", "a-alerts", "c-audit")]
    owner.api.put(f"{url}{made[2]['id']}/", json={"status": "disabled"})
    assert [h["id"] for h in owner.api.get(url).json] == [h["id"] for h in reversed(made)]
    assert {h["url"] for h in owner.api.get(f"{url}?query=ALERTS").json} == {
        f"{receiver.url}/b-alerts", f"{receiver.url}/a-alerts"}
    assert [h["id"] for h in owner.api.get(f"{url}?status=disabled").json] == [made[2]["id"]]
    assert len(owner.api.get(f"{url}?status=active").json) == 2
    assert owner.api.get(f"{url}?status=gone").status_code == 400
    by_url = walk_sorted(owner.api, url, "url", key=lambda h: h["url"])
    assert [h["url"].rsplit("/", 1)[1] for h in by_url] == ["a-alerts", "b-alerts", "c-audit"]
    walk_sorted(owner.api, url, "dateCreated", key=lambda h: h["dateCreated"])


def test_deliveries_filter_by_status_and_event_type(hooks_app, owner, receiver):
    from sentryapi.extensions import db
    from sentryapi.webhooks.models import WebhookOutbox

    hook = org_hook(owner, receiver.url)
    for action in ("created", "deleted", "created"):
        emit_in(hooks_app, owner.organization.id, action=action)
    wait_until(lambda: [d for d in deliveries(owner, hook) if d["status"] == "delivered"][2:])
    first = deliveries(owner, hook)[-1]
    with hooks_app.app_context():
        db.session.execute(update(WebhookOutbox).where(WebhookOutbox.guid == first["id"])
                           .values(status="failed"))
        db.session.commit()
    url = f"/api/0/organizations/{owner.org}/hooks/{hook['id']}/deliveries/"
    assert [d["id"] for d in owner.api.get(f"{url}?status=failed").json] == [first["id"]]
    assert len(owner.api.get(f"{url}?status=delivered").json) == 2
    assert [d["event"] for d in owner.api.get(f"{url}?eventType=widget.deleted").json] == [
        "widget.deleted"]
    assert len(owner.api.get(f"{url}?eventType=widget").json) == 3
    assert owner.api.get(f"{url}?eventType=issue.created").json == []
    oldest = walk_sorted(owner.api, url, "dateCreated", key=lambda d: d["dateCreated"])
    assert oldest[0]["id"] == first["id"]
    newest = walk_sorted(owner.api, url, "-dateCreated", key=lambda d: d["dateCreated"])
    assert newest == list(reversed(oldest))
