"""The SDK routes answer alike through the lean WSGI dispatcher and through Flask.

The same requests go to an app with ``WSGI_FAST_ROUTES`` off (Flask serves them) and one
with it on (after its first request, the dispatcher does); status, headers and body must
be the same, byte for byte, and both must have stored what they accepted.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sentryapi_events.models import Event
from sentryapi_events.testing import envelope, exception_event, gzipped

from sentryapi.web.fastroutes import FastDispatcher


def _cases(project) -> list[tuple[str, str, dict, bytes]]:
    """(method, url, headers, body): accepted, refused and preflight requests."""
    auth = project.auth_header()
    sdk = {**auth, "Content-Type": "application/x-sentry-envelope"}
    event = exception_event()
    key_in_query = f"?sentry_key={project.public_key}&sentry_version=7"
    return [
        ("POST", project.envelope_url, sdk, envelope(event)),
        ("POST", project.envelope_url, {**sdk, "Origin": "https://shop.example"},
         envelope(exception_event())),
        ("POST", project.envelope_url, {**sdk, "Content-Encoding": "gzip"},
         gzipped(envelope(exception_event()))),
        ("POST", project.envelope_url + key_in_query, {}, envelope(exception_event())),
        ("POST", project.store_url, auth, b'{"message": "from an old SDK", "event_id": "%s"}'
         % uuid.uuid4().hex.encode()),
        ("OPTIONS", project.envelope_url, {"Origin": "https://shop.example",
                                           "Access-Control-Request-Method": "POST"}, b""),
        ("POST", project.envelope_url, project.auth_header("f" * 32), envelope(event)),  # 403
        ("POST", project.envelope_url, {}, envelope(event)),  # 401: no key
        ("POST", "/api/not-a-number/envelope/", sdk, envelope(event)),  # 400
        ("POST", project.envelope_url, {**sdk, "Content-Encoding": "gzip"}, b"not gzip"),  # 400
        ("POST", project.envelope_url, sdk, b"x" * 5000),  # 413: over the body limit
        ("POST", project.envelope_url, {**sdk, "Content-Encoding": "x-rot13"}, b"{}"),  # 415
        ("GET", project.envelope_url, sdk, b""),  # 405, Flask's on both
        ("GET", f"/api/{project.id}/cron/nightly/{project.public_key}/?status=ok", {}, b""),
        ("GET", f"/api/{project.id}/cron/nightly/?status=error", auth, b""),
        ("POST", f"/api/{project.id}/cron/nightly/", auth, b"[1]"),  # 400
        ("GET", f"/api/{project.id}/cron/nightly/{'e' * 32}/", {}, b""),  # 403
    ]


def _answer(client, method, url, headers, body):
    response = client.open(url, method=method, headers=headers, data=body)
    return response.status_code, sorted(response.headers.items()), response.get_data()


@pytest.fixture
def lean_and_flask(make_app):
    """Two apps over the test database: lean routes on, and off; limits small enough to hit."""
    limits = {"EVENTS_MAX_BODY_SIZE": 4096, "EVENTS_DIGEST": "off"}
    lean, flask = make_app(**limits), make_app(WSGI_FAST_ROUTES=False, **limits)
    lean.test_client().get("/api/0/")  # its first request, through Flask, starts the threads
    assert isinstance(lean.wsgi_app, FastDispatcher) and lean.wsgi_app.ready_in == os.getpid()
    assert not isinstance(flask.wsgi_app, FastDispatcher)
    return lean, flask


def test_both_paths_answer_alike(lean_and_flask, sentry_project, digest, rows):
    lean, flask = lean_and_flask
    cases = _cases(sentry_project)
    via_flask = [_answer(flask.test_client(), *case) for case in cases]
    via_lean = [_answer(lean.test_client(), *case) for case in cases]
    for case, flask_answer, lean_answer in zip(cases, via_flask, via_lean, strict=True):
        assert lean_answer == flask_answer, (case[0], case[1], case[2])
    statuses = [status for status, _, _ in via_lean]
    assert statuses == [200, 200, 200, 200, 200, 200, 403, 401, 400, 400, 413, 415, 405,
                        202, 202, 400, 403]
    headers = dict(via_lean[1][1])
    assert headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert headers["X-Frame-Options"] == "deny"  # the core's headers, on the lean path too
    assert dict(via_lean[6][1])["X-Sentry-Error"]
    digest()
    assert rows(Event) == 5  # each accepted event once, though both apps took it
