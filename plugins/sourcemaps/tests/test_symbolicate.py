"""The digest maps JavaScript frames through uploaded bundles, and says why when it cannot."""

from __future__ import annotations

import os

from sentryapi_events.testing import digest_now, envelope
from sentryapi_sourcemaps.testing import make_bundle

JS = os.path.join(os.path.dirname(__file__), "js", "dist")


def read(name: str) -> bytes:
    with open(os.path.join(JS, name), "rb") as f:
        return f.read()


def esbuild_bundle(**manifest) -> bytes:
    return make_bundle({
        "files/_/_/static/app.min.js": ("~/static/app.min.js", "minified_source",
                                        {"sourcemap": "app.min.js.map"}, read("app.min.js")),
        "files/_/_/static/app.min.js.map": ("~/static/app.min.js.map", "source_map", {},
                                            read("app.min.js.map")),
        "files/_/_/static/broken.min.js": ("~/static/broken.min.js", "minified_source",
                                           {"sourcemap": "broken.min.js.map"}, b"x()"),
        "files/_/_/static/broken.min.js.map": ("~/static/broken.min.js.map", "source_map", {},
                                               b"{not a map"),
    }, **manifest)


def frame(file: str, function: str, colno: int) -> dict:
    url = f"https://shop.example.com/static/{file}?v=3"
    return {"abs_path": url, "filename": url, "function": function, "lineno": 1, "colno": colno}


def send(app, owner, project: str, frames: list[dict], **event) -> dict:
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


def test_missing_and_broken_maps_are_event_errors(app, owner, uploader, create_project):
    create_project(owner, name="Shop", slug="shop")
    data = esbuild_bundle()
    assert uploader.assemble(data, uploader.upload(data, 512), ["shop"], version="shop@2").json["state"] == "ok"
    frames = [frame("app.min.js", "c", 204), frame("broken.min.js", "x", 1), frame("gone.min.js", "y", 1),
              frame("app.min.js", "e", 93)]
    event = send(app, owner, "shop", frames, release="shop@2")
    mapped = next(e for e in event["entries"] if e["type"] == "exception")["data"]["values"][0]
    functions = [f["function"] for f in mapped["stacktrace"]["frames"]]
    assert functions == ["checkout", "x", "y", "renderTotal"]
    errors = {(e["type"], e["data"]["url"]) for e in event["errors"]}
    assert errors == {("js_invalid_source", "~/static/broken.min.js.map"),
                      ("js_no_source", "https://shop.example.com/static/gone.min.js?v=3")}
    top = mapped["stacktrace"]["frames"][-1]
    assert top["data"]["sourcemap"] == "~/static/app.min.js.map"
    assert top["absPath"] == "~/src/app.js" and top["filename"] == "src/app.js"


def test_other_releases_and_projects_get_nothing(app, owner, uploader, create_project):
    create_project(owner, name="Shop", slug="shop")
    create_project(owner, name="Admin", slug="admin")
    data = esbuild_bundle()
    uploader.assemble(data, uploader.upload(data), ["shop"], version="shop@2")
    for project, release in (("shop", "shop@3"), ("admin", "shop@2")):
        event = send(app, owner, project, [frame("app.min.js", "e", 93)], release=release)
        top = next(e for e in event["entries"] if e["type"] == "exception")["data"]["values"][0]
        assert top["stacktrace"]["frames"][-1]["function"] == "e"
        assert top["rawStacktrace"] is None
        assert event["errors"] == []


def test_a_dist_is_part_of_the_release(app, owner, uploader, create_project):
    create_project(owner, name="Shop", slug="shop")
    data = esbuild_bundle()
    uploader.assemble(data, uploader.upload(data), ["shop"], version="shop@2", dist="web")
    event = send(app, owner, "shop", [frame("app.min.js", "e", 93)], release="shop@2", dist="web")
    top = next(e for e in event["entries"] if e["type"] == "exception")["data"]["values"][0]
    assert top["stacktrace"]["frames"][-1]["function"] == "renderTotal"
