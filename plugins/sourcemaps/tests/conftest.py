"""Fixtures: the checked-in minified bundle, run by Node for a real V8 stack trace, and a
browser SDK's event built from it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from types import SimpleNamespace

import pytest
from sentryapi_events.testing import digest_now, envelope
from sentryapi_sourcemaps.testing import Uploader

JS = os.path.join(os.path.dirname(__file__), "js")
#: Where the test pretends the browser loaded the bundle from.
STATIC_URL = "http://127.0.0.1:8080/static/"
V8_FRAME = re.compile(r"^\s+at (?:(?P<function>\S+) \()?(?P<path>[^()]+):(?P<line>\d+):(?P<col>\d+)\)?$")


@pytest.fixture
def bundle_dir(tmp_path):
    """A fresh copy of ``tests/js/dist`` (built by esbuild, see ``tests/js/package.json``)."""
    target = tmp_path / "dist"
    shutil.copytree(os.path.join(JS, "dist"), target)
    return target


def node_stack(bundle) -> list[dict]:
    """The bundle's frames as V8 reports them when it throws, innermost first."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed")
    done = subprocess.run([node, os.path.join(JS, "throw.js"), str(bundle / "app.min.js")],
                          capture_output=True, text=True, timeout=60, check=True)
    frames = []
    for line in done.stdout.splitlines()[1:]:
        match = V8_FRAME.match(line)
        if match and match["path"].endswith("app.min.js"):
            frames.append({"function": match["function"], "lineno": int(match["line"]),
                           "colno": int(match["col"])})
    assert frames, done.stdout
    return frames


def browser_event(stack: list[dict], *, release: str | None = None, debug_id: str | None = None) -> dict:
    """What @sentry/browser sends for the error: frames oldest first, with the page's URLs."""
    url = STATIC_URL + "app.min.js"
    frames = [{"filename": url, "abs_path": url, "function": f["function"], "lineno": f["lineno"],
               "colno": f["colno"], "in_app": True} for f in reversed(stack)]
    event = {
        "event_id": uuid.uuid4().hex, "platform": "javascript", "level": "error",
        "sdk": {"name": "sentry.javascript.browser", "version": "8.40.0"},
        "request": {"url": "http://127.0.0.1:8080/checkout", "headers": {"User-Agent": "Mozilla/5.0"}},
        "exception": {"values": [{"type": "Error", "value": "cannot render a total of 1",
                                  "mechanism": {"type": "onerror", "handled": False},
                                  "stacktrace": {"frames": frames}}]},
    }
    if release:
        event["release"] = release
    if debug_id:
        event["debug_meta"] = {"images": [{"type": "sourcemap", "code_file": url, "debug_id": debug_id}]}
    return event


def injected_debug_id(bundle) -> str:
    """The debug id ``sentry-cli sourcemaps inject`` wrote into the minified file."""
    found = re.search(r"//# debugId=([0-9a-fA-F-]{36})", (bundle / "app.min.js").read_text())
    assert found, "sentry-cli did not inject a debug id"
    return found.group(1).lower()


@pytest.fixture
def browser():
    """``browser.stack(dir)``, ``browser.event(stack, release=, debug_id=)``, ``browser.debug_id(dir)``."""
    return SimpleNamespace(stack=node_stack, event=browser_event, debug_id=injected_debug_id)


@pytest.fixture
def uploader(owner):
    """``uploader.chunks(data, size)`` posts ``data`` in chunks; ``uploader.assemble(...)``."""
    return Uploader(owner.api, owner.org)



@pytest.fixture
def dist_bytes():
    """``dist_bytes("app.min.js")``: a file of the checked-in esbuild output."""
    def read(name: str) -> bytes:
        with open(os.path.join(JS, "dist", name), "rb") as f:
            return f.read()
    return read


def _send_and_read(app, owner, project: str, frames: list[dict], **event) -> dict:
    """Send a browser SDK's error with these frames as the project's DSN does, digest it,
    and answer its issue's latest event as the API shows it."""
    api = owner.api
    key = api.get(f"/api/0/projects/{owner.org}/{project}/keys/").json[0]
    body = {"platform": "javascript", "exception": {"values": [{
        "type": "Error", "value": "cannot render a total of 1", "stacktrace": {"frames": frames}}]},
        **event}
    sent = api.client.post(f"/api/{key['projectId']}/envelope/", data=envelope(body), headers={
        "X-Sentry-Auth": f"Sentry sentry_key={key['public']}, sentry_version=7",
        "Content-Type": "application/x-sentry-envelope"})
    assert sent.status_code == 200, sent.data
    digest_now(app)
    issues = api.get(f"/api/0/projects/{owner.org}/{project}/issues/?query=").json
    latest = api.get(f"/api/0/organizations/{owner.org}/issues/{issues[0]['id']}/events/latest/").json
    return latest




@pytest.fixture
def send_and_read():
    """``send_and_read(app, owner, project, frames, **event)``: the event as the API shows it."""
    return _send_and_read
