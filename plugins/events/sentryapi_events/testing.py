"""Helpers for tests (this plugin's and others'): envelopes and events as SDKs send them."""

from __future__ import annotations

import gzip
import json
import uuid

from sentryapi_projects.testing import KEY, PROJECT

from sentryapi.testing import probe

from .outcomes import flush


def envelope(event: dict | None = None, *, event_id: str | None = None, items=(),
             headers: dict | None = None) -> bytes:
    """An envelope as SDKs write it: headers line, then typed items with lengths."""
    event_id = event_id or (event or {}).get("event_id") or uuid.uuid4().hex
    head = {"event_id": event_id, "sent_at": "2026-01-01T00:00:00.000000Z", **(headers or {})}
    lines = [json.dumps(head).encode()]
    if event is not None:
        payload = json.dumps(event).encode()
        lines += [json.dumps({"type": "event", "length": len(payload)}).encode(), payload]
    for item_type, payload in items:
        payload = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        lines += [json.dumps({"type": item_type, "length": len(payload)}).encode(), payload]
    return b"\n".join(lines) + b"\n"


def exception_event(exc_type="KeyError", value="'missing'", function="boom", module="app.jobs",
                    **extra) -> dict:
    return {
        "event_id": uuid.uuid4().hex, "level": "error", "platform": "python",
        "exception": {"values": [{"type": exc_type, "value": value, "mechanism": {
            "type": "generic", "handled": True}, "stacktrace": {"frames": [
                {"filename": "runner.py", "module": "runner", "function": "main", "lineno": 3,
                 "in_app": True},
                {"filename": "jobs.py", "module": module, "function": function, "lineno": 12,
                 "context_line": "    return data['missing']", "in_app": True},
            ]}}]},
        **extra,
    }


def gzipped(body: bytes) -> bytes:
    return gzip.compress(body)


def digest_now(app, timeout: float = 20.0) -> int:
    """Group everything queued now (the background thread may be at it too: this waits
    until the queue is empty); returns how many events this call digested."""
    import time

    from sqlalchemy import func, select

    from sentryapi.api import db

    from .digest.batch import digest_all
    from .models import IngestEvent
    from .outcomes import flush

    deadline = time.monotonic() + timeout
    with app.app_context():
        count = digest_all()
        while db.session.scalar(select(func.count()).select_from(IngestEvent)):
            assert time.monotonic() < deadline, "the queue did not drain"
            db.session.rollback()
            time.sleep(0.02)
            count += digest_all()
        db.session.rollback()
        flush()
    return count


# Probes (see sentryapi.probes): how the access tests make this plugin's objects.


ORG_ISSUE = "/api/0/organizations/<organization_id_or_slug>/issues/<issue_id>/"
ISSUE_UPDATE = {"PUT": {"status": "resolved"}}
NOTE_BODY = {"POST": {"text": "A probe's note."}, "PUT": {"text": "Edited."}}


@probe("/api/0/organizations/<organization_id_or_slug>/issues/", bodies=ISSUE_UPDATE)
def no_issue(ctx) -> dict:
    return {}


def _send_and_digest(ctx, **extra) -> tuple[dict, dict]:
    """(project, event): a new kind of error sent with the project's DSN key, digested."""
    key = ctx.need(KEY)
    project = ctx.need(PROJECT)
    event = exception_event(exc_type=f"ProbeError{uuid.uuid4().hex[:8]}", **extra)
    sent = ctx.api.client.post(
        f"/api/{project['project_id']}/envelope/", data=envelope(event),
        headers={"X-Sentry-Auth": f"Sentry sentry_key={key['public_key']}, sentry_version=7",
                 "Content-Type": "application/x-sentry-envelope"})
    assert sent.status_code == 200, sent.json
    digest_now(ctx.app)
    return project, event


@probe(ORG_ISSUE, bodies=ISSUE_UPDATE)
@probe("/api/0/issues/<issue_id>/", bodies=ISSUE_UPDATE)
@probe(ORG_ISSUE + "user-reports/")
@probe("/api/0/issues/<issue_id>/user-reports/")
@probe("/api/0/organizations/<organization_id_or_slug>/issues/<issue_id>/events/")
@probe("/api/0/organizations/<organization_id_or_slug>/issues/<issue_id>/tags/")
@probe("/api/0/organizations/<organization_id_or_slug>/issues/<issue_id>/events/<event_id>/")
@probe("/api/0/issues/<issue_id>/events/<event_id>/")
@probe("/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/events/<event_id>/")
@probe("/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/events/")
@probe("/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/issues/", bodies=ISSUE_UPDATE)
@probe("/api/0/organizations/<organization_id_or_slug>/issues/<issue_id>/tags/<key>/",
       selectors=("key",))
@probe("/api/0/organizations/<organization_id_or_slug>/shortids/<issue_id>/")
@probe("/api/0/organizations/<organization_id_or_slug>/eventids/<event_id>/")
@probe(ORG_ISSUE + "activities/")
@probe("/api/0/issues/<issue_id>/activities/")
@probe(ORG_ISSUE + "notes/", bodies=NOTE_BODY)
@probe("/api/0/issues/<issue_id>/notes/", bodies=NOTE_BODY)
@probe("/api/0/organizations/<organization_id_or_slug>/issues/<issue_id>/tags/<key>/values/",
       selectors=("key",))
def issue(ctx) -> dict:
    """An event sent with the project's DSN key, digested into an issue."""
    project, event = _send_and_digest(ctx)
    found = ctx.api.get(f"/api/0/projects/{ctx.org}/{project['project_id_or_slug']}/events/{event['event_id']}/")
    assert found.status_code == 200, found.json
    return {"issue_id": found.json["groupID"], "event_id": event["event_id"], "key": "level",
            "project_id_or_slug": project["project_id_or_slug"]}


@probe(ORG_ISSUE + "notes/<note_id>/", bodies=NOTE_BODY, authored=("PUT", "DELETE"))
@probe("/api/0/issues/<issue_id>/notes/<note_id>/", bodies=NOTE_BODY, authored=("PUT", "DELETE"))
def note(ctx) -> dict:
    """A note the actor wrote on an issue (only its author may edit or delete it)."""
    made = issue(ctx)
    written = ctx.api.post(f"/api/0/organizations/{ctx.org}/issues/{made['issue_id']}/notes/",
                           json={"text": "A probe's note."})
    assert written.status_code == 201, written.json
    return {**made, "note_id": written.json["id"]}


ENVIRONMENTS = "/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/environments/"


@probe(ENVIRONMENTS, bodies={"PUT": {"environmentNames": ["production"], "isHidden": True}})
@probe(ENVIRONMENTS + "<environment>/", bodies={"PUT": {"isHidden": True}}, selectors=("environment",))
def environment(ctx) -> dict:
    """An event in environment ``production``, digested: the project has that environment."""
    project, _ = _send_and_digest(ctx, environment="production")
    return {"environment": "production", "project_id_or_slug": project["project_id_or_slug"]}


USER_FEEDBACK = "/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/user-feedback/"


@probe(USER_FEEDBACK, bodies={"POST": lambda ctx: {
    "event_id": uuid.uuid4().hex, "name": "Jane", "email": "jane@example.com", "comments": "It broke."}})
def user_feedback(ctx) -> dict:
    return ctx.need(PROJECT)


ATTACHMENTS = "/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/events/<event_id>/attachments/"


@probe(ATTACHMENTS)
@probe(ATTACHMENTS + "<attachment_id>/")
def event_attachment(ctx) -> dict:
    """An attachment sent with the project's DSN key (no digest needed: it names its event)."""
    key = ctx.need(KEY)
    project = ctx.need(PROJECT)
    event_id = uuid.uuid4().hex
    body = envelope(None, event_id=event_id) + b'{"type": "attachment", "length": 5, "filename": "probe.txt"}\nprobe\n'
    sent = ctx.api.client.post(
        f"/api/{project['project_id']}/envelope/", data=body,
        headers={"X-Sentry-Auth": f"Sentry sentry_key={key['public_key']}, sentry_version=7",
                 "Content-Type": "application/x-sentry-envelope"})
    assert sent.status_code == 200, sent.json
    with ctx.app.app_context():
        flush()  # its outcome now, not during the calls the access tests watch
    listed = ctx.api.get(f"/api/0/projects/{ctx.org}/{project['project_id_or_slug']}/events/{event_id}/attachments/")
    assert listed.status_code == 200 and listed.json, listed.json
    return {"project_id_or_slug": project["project_id_or_slug"], "event_id": event_id,
            "attachment_id": listed.json[0]["id"]}
