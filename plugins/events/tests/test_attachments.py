"""Attachments: stored at ingest on the filesystem or in S3 (moto's server over HTTP),
served with their exact bytes, limited, and deleted with their events."""

from __future__ import annotations

import hashlib
import uuid

import pytest
from sentryapi_events.attachments.models import EventAttachment
from sentryapi_events.testing import envelope, exception_event

from sentryapi.blobs import EXTENSION as BLOBS
from sentryapi.blobs import blob_store

LIST_PATH = "/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/events/{event_id}/attachments/"
DETAIL_PATH = LIST_PATH + "{attachment_id}/"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40 + b"\n\r\n"


def attachment(data: bytes, filename: str, content_type: str | None = None, **headers):
    return ("attachment", data, {"filename": filename, **(
        {"content_type": content_type} if content_type else {}), **headers})


def with_attachments(event: dict | None, attachments, event_id: str | None = None) -> bytes:
    """An envelope as the SDKs write one: the event, then each attachment item."""
    body = envelope(event, event_id=event_id).rstrip(b"\n").split(b"\n")
    for _, data, headers in attachments:
        body += [f'{{"type": "attachment", "length": {len(data)}, '
                 f'{", ".join(f"{k!r}: {v!r}" for k, v in headers.items())}}}'.replace("'", '"')
                 .encode(), data]
    return b"\n".join(body) + b"\n"


@pytest.fixture
def storage(blob_backend):
    """The app's attachment store (the core's blob store), on each backend."""
    return blob_backend


def attachments_url(p, event_id: str) -> str:
    return f"/api/0/projects/{p.org}/{p.slug}/events/{event_id}/attachments/"


def stored_keys(app) -> list[str]:
    from sqlalchemy import select

    from sentryapi.api import db

    with app.app_context():
        return list(db.session.scalars(select(EventAttachment.blob_key)))


def test_attachments_are_stored_and_served_exactly(sentry_project, storage, digest, sentry_conforms):
    p = sentry_project
    event = exception_event()
    log = b"line one\nline two\n" * 10
    sent = p.send(with_attachments(event, [attachment(PNG, "screenshot.png", "image/png"),
                                           attachment(log, "app.log")]))
    assert sent.status_code == 200, sent.json
    assert sent.json == {"id": event["event_id"]}
    listed = p.api.get(attachments_url(p, event["event_id"]))
    assert listed.status_code == 200, listed.json
    assert sentry_conforms("GET", LIST_PATH, 200, listed.json) == []
    assert [(a["name"], a["mimetype"], a["size"], a["type"]) for a in listed.json] == [
        ("screenshot.png", "image/png", len(PNG), "event.attachment"),
        ("app.log", "application/octet-stream", len(log), "event.attachment")]
    shot = listed.json[0]
    assert shot["sha1"] == hashlib.sha1(PNG, usedforsecurity=False).hexdigest()
    assert shot["headers"] == {"Content-Type": "image/png"} and shot["event_id"] == event["event_id"]

    detail = p.api.get(attachments_url(p, event["event_id"]) + f"{shot['id']}/")
    assert detail.status_code == 200 and detail.json == shot
    assert sentry_conforms("GET", DETAIL_PATH, 200, detail.json) == []
    download = p.api.unchecked().get(attachments_url(p, event["event_id"]) + f"{shot['id']}/",
                                     query_string={"download": "1"})
    assert download.status_code == 200
    assert download.data == PNG
    assert download.headers["Content-Type"] == "image/png"
    assert download.headers["Content-Disposition"] == 'attachment; filename=screenshot.png'
    # Screenshots only, and a name search.
    assert [a["name"] for a in p.api.get(attachments_url(p, event["event_id"]),
                                         query_string={"query": "is:screenshot"}).json] == ["screenshot.png"]
    assert [a["name"] for a in p.api.get(attachments_url(p, event["event_id"]),
                                         query_string={"query": "app"}).json] == ["app.log"]
    assert p.api.get(attachments_url(p, event["event_id"]),
                     query_string={"query": "bogus:1"}).status_code == 400


def test_an_attachment_over_its_limit_refuses_the_envelope(sentry_project, app, storage, rows,
                                                           outcomes, digest, monkeypatch):
    p = sentry_project
    monkeypatch.setitem(app.config, "EVENTS_MAX_ATTACHMENT_SIZE", 1000)
    event = exception_event()
    refused = p.send(with_attachments(event, [attachment(b"x" * 1001, "big.bin")]))
    assert refused.status_code == 413
    assert "attachment" in refused.json["detail"]
    assert p.send(with_attachments(exception_event(), [attachment(b"x" * 1000, "ok.bin")])
                  ).status_code == 200
    digest()
    assert rows(EventAttachment) == 1
    counted = outcomes()
    assert counted[("attachment", "invalid", "too_large")] == 1001
    assert counted[("attachment", "accepted", "")] >= 1000  # (earlier tests' tallies may flush here)


def test_attachments_without_an_event_id_are_counted_invalid(sentry_project, storage, rows,
                                                            outcomes, digest):
    p = sentry_project
    body = b'{}\n{"type": "attachment", "length": 3, "filename": "a.txt"}\nabc\n'
    assert p.send(body).status_code == 200
    digest()
    assert rows(EventAttachment) == 0
    assert outcomes()[("attachment", "invalid", "no_event_id")] == 3


def test_standalone_attachments_name_their_event_in_the_envelope_header(sentry_project, storage):
    p = sentry_project
    event_id = uuid.uuid4().hex
    assert p.send(with_attachments(None, [attachment(b"dump", "crash.dmp",
                                                     attachment_type="event.minidump")],
                                   event_id=event_id)).status_code == 200
    [found] = p.api.get(attachments_url(p, event_id)).json
    assert (found["name"], found["type"]) == ("crash.dmp", "event.minidump")


def test_attachments_go_with_their_issue_and_project(sentry_project, app, storage, digest, rows):
    p = sentry_project
    event = exception_event()
    assert p.send(with_attachments(event, [attachment(PNG, "a.png")])).status_code == 200
    digest()
    [key] = stored_keys(app)
    assert storage.get(key) == PNG
    issue_id = p.api.get(f"/api/0/projects/{p.org}/{p.slug}/events/{event['event_id']}/").json["groupID"]
    assert p.api.delete(f"/api/0/issues/{issue_id}/").status_code == 202
    assert rows(EventAttachment) == 0
    with pytest.raises(KeyError):
        storage.get(key)

    other = exception_event()
    assert p.send(with_attachments(other, [attachment(b"abc", "b.txt")])).status_code == 200
    [key] = stored_keys(app)
    assert p.api.delete(f"/api/0/projects/{p.org}/{p.slug}/").status_code in (202, 204)
    assert rows(EventAttachment) == 0
    with pytest.raises(KeyError):
        storage.get(key)


def test_a_rolled_back_deletion_keeps_the_files(sentry_project, app, storage):
    from sentryapi_events import delete_attachments_of

    from sentryapi.api import db

    p = sentry_project
    event_id = uuid.uuid4().hex
    assert p.send(with_attachments(None, [attachment(b"keep", "k.txt")], event_id=event_id)
                  ).status_code == 200
    [key] = stored_keys(app)
    with app.app_context():
        assert delete_attachments_of([(p.id, event_id)]) == 1
        db.session.rollback()
    assert storage.get(key) == b"keep"
    with app.app_context():
        assert delete_attachments_of([(p.id, event_id)]) == 1
        db.session.commit()
    with pytest.raises(KeyError):
        storage.get(key)


def test_attachments_need_a_read_scope_and_stay_in_their_organization(
        sentry_project, storage, make_actor):
    p = sentry_project
    event = exception_event()
    assert p.send(with_attachments(event, [attachment(b"abc", "a.txt")])).status_code == 200
    [item] = p.api.get(attachments_url(p, event["event_id"])).json
    detail = attachments_url(p, event["event_id"]) + f"{item['id']}/"
    stranger = make_actor("owner")
    for url in (attachments_url(p, event["event_id"]), detail, detail + "?download=1"):
        assert stranger.api.get(url).status_code == 404, url
    for url in (attachments_url(p, "0" * 32) + f"{item['id']}/", attachments_url(p, "nope"),
                attachments_url(p, "0" * 32),
                attachments_url(p, event["event_id"]) + "99999999/",
                attachments_url(p, event["event_id"]) + "x/"):
        assert p.api.get(url).status_code == 404, url
    # Scope matrices: tests/test_project_access.py calls every route as each kind of caller.


def test_an_unreachable_store_answers_503_and_keeps_nothing(sentry_project, app, rows, monkeypatch):
    p = sentry_project
    for name, value in {"BLOB_STORAGE": "s3", "BLOB_S3_BUCKET": "gone",
                        "BLOB_S3_ENDPOINT_URL": "http://127.0.0.1:9", "BLOB_S3_REGION": "us-east-1",
                        "BLOB_S3_ACCESS_KEY_ID": "x", "BLOB_S3_SECRET_ACCESS_KEY": "x"}.items():
        monkeypatch.setitem(app.config, name, value)
    app.extensions.pop(BLOBS, None)
    try:
        event_id = uuid.uuid4().hex
        answer = p.send(with_attachments(None, [attachment(b"abc", "a.txt")], event_id=event_id))
        assert answer.status_code == 503 and answer.headers["Retry-After"]
        assert rows(EventAttachment) == 0
    finally:
        app.extensions.pop(BLOBS, None)


def test_the_former_attachment_settings_still_name_the_store(make_app, tmp_path):
    app = make_app(EVENTS_ATTACHMENT_PATH=str(tmp_path / "files"))
    assert app.config["BLOB_PATH"] == str(tmp_path / "files")
    assert blob_store(app).root == str(tmp_path / "files")


def test_the_organization_list_says_whose_latest_event_has_attachments(sentry_project, digest):
    p = sentry_project
    p.send_event(exception_event("KeyError"))
    p.send(with_attachments(exception_event("KeyError"), [attachment(b"log", "app.log")]))
    p.send(with_attachments(exception_event("ValueError"), [attachment(b"log", "app.log")]))
    p.send_event(exception_event("ValueError"))  # the latest event of this one has none
    digest()
    listed = p.api.get(f"/api/0/organizations/{p.org}/issues/?query=&expand=latestEventHasAttachments")
    flags = {issue["title"].split(":")[0]: issue["latestEventHasAttachments"] for issue in listed.json}
    assert flags == {"KeyError": True, "ValueError": False}
