"""An app whose e-mail reaches a real SMTP server, a project with a DSN key, and the digest."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sentryapi_events.testing import digest_now, envelope, exception_event

from sentryapi.testing import ApiClient


@dataclass
class Alerting:
    app: object
    api: ApiClient
    org: str
    project: str
    project_id: int
    public_key: str
    owner: object

    @property
    def rules_url(self) -> str:
        return f"/api/0/projects/{self.org}/{self.project}/rules/"

    def send(self, **event):
        body = envelope(exception_event(**event))
        sent = self.app.test_client().post(
            f"/api/{self.project_id}/envelope/", data=body,
            headers={"X-Sentry-Auth": f"Sentry sentry_key={self.public_key}, sentry_version=7",
                     "Content-Type": "application/x-sentry-envelope"})
        assert sent.status_code == 200, sent.json

    def digest(self) -> int:
        return digest_now(self.app)


@pytest.fixture
def alerting(make_app, mailbox, owner, create_project):
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, SMTP_FROM="alerts@sentryapi.test",
                   WEBHOOK_ALLOW_PRIVATE=True, EVENTS_DIGEST="off")
    api = ApiClient(app.test_client(), owner.token)
    project = create_project(owner, name="Web", slug="web")
    keys = api.get(f"/api/0/projects/{owner.org}/web/keys/").json
    return Alerting(app, api, owner.org, "web", int(project["id"]), keys[0]["public"], owner)
