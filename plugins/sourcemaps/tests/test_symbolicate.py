"""The digest maps JavaScript frames through uploaded bundles, and says why when it cannot."""

from __future__ import annotations

from sentryapi_sourcemaps.testing import make_bundle, minified_frame


def esbuild_bundle(read, **manifest) -> bytes:
    return make_bundle({
        "files/_/_/static/app.min.js": ("~/static/app.min.js", "minified_source",
                                        {"sourcemap": "app.min.js.map"}, read("app.min.js")),
        "files/_/_/static/app.min.js.map": ("~/static/app.min.js.map", "source_map", {},
                                            read("app.min.js.map")),
        "files/_/_/static/broken.min.js": ("~/static/broken.min.js", "minified_source",
                                           {"sourcemap": "broken.min.js.map"}, b"x()"),
        "files/_/_/static/broken.min.js.map": ("~/static/broken.min.js.map", "source_map", {},
                                               b"{not a map"),
        # A map without sourcesContent, and one without a single mapping.
        "files/_/_/static/plain.min.js.map": ("~/static/plain.min.js.map", "source_map", {},
                                              b'{"version":3,"sources":["plain.js"],"names":[],"mappings":"AAAA"}'),
        "files/_/_/static/empty.min.js.map": ("~/static/empty.min.js.map", "source_map", {},
                                              b'{"version":3,"sources":[],"names":[],"mappings":""}'),
    }, **manifest)


def test_missing_and_broken_maps_are_event_errors(app, owner, uploader, create_project, dist_bytes, send_and_read):
    create_project(owner, name="Shop", slug="shop")
    data = esbuild_bundle(dist_bytes, )
    assert uploader.assemble(data, uploader.upload(data, 512), ["shop"], version="shop@2").json["state"] == "ok"
    frames = [minified_frame("app.min.js", "c", 204), minified_frame("broken.min.js", "x", 1), minified_frame("gone.min.js", "y", 1),
              minified_frame("node_modules/lib.js", "z", 1), minified_frame("plain.min.js", "p", 1),
              minified_frame("empty.min.js", "q", 7), minified_frame("app.min.js", "e", 93)]
    event = send_and_read(app, owner, "shop", frames, release="shop@2")
    mapped = next(e for e in event["entries"] if e["type"] == "exception")["data"]["values"][0]
    functions = [f["function"] for f in mapped["stacktrace"]["frames"]]
    assert functions == ["checkout", "x", "y", "z", "p", "q", "renderTotal"]
    assert mapped["stacktrace"]["frames"][4]["absPath"] == "~/static/plain.js"
    # Sentry's shapes: the stored error's fields are the API's ``data``.
    errors = {e["type"]: e for e in event["errors"]}
    assert len(event["errors"]) == len(errors) == 4, event["errors"]
    assert errors["js_no_source"] == {"type": "js_no_source", "message": "Source code was not found",
                                      "data": {"url": "https://shop.example.com/static/gone.min.js?v=3"}}
    invalid = errors["js_invalid_source"]
    assert invalid["message"] == "Sourcemap was invalid or not parseable"
    assert invalid["data"]["url"] == "~/static/broken.min.js.map" and invalid["data"]["reason"]
    assert errors["js_missing_sources_content"]["data"] == {
        "source": "https://shop.example.com/static/plain.min.js?v=3", "sourcemap": "~/static/plain.min.js.map"}
    assert errors["js_invalid_sourcemap_location"]["data"] == {
        "column": 7, "row": 1, "source": "~/static/empty.min.js.map"}
    top = mapped["stacktrace"]["frames"][-1]
    assert top["data"]["sourcemap"] == "~/static/app.min.js.map"
    assert top["absPath"] == "~/src/app.js" and top["filename"] == "src/app.js"


def test_other_releases_and_projects_get_nothing(app, owner, uploader, create_project, dist_bytes, send_and_read):
    create_project(owner, name="Shop", slug="shop")
    create_project(owner, name="Admin", slug="admin")
    data = esbuild_bundle(dist_bytes, )
    uploader.assemble(data, uploader.upload(data), ["shop"], version="shop@2")
    for project, release in (("shop", "shop@3"), ("admin", "shop@2")):
        event = send_and_read(app, owner, project, [minified_frame("app.min.js", "e", 93)], release=release)
        top = next(e for e in event["entries"] if e["type"] == "exception")["data"]["values"][0]
        assert top["stacktrace"]["frames"][-1]["function"] == "e"
        assert top["rawStacktrace"] is None
        assert event["errors"] == []


def test_a_dist_is_part_of_the_release(app, owner, uploader, create_project, dist_bytes, send_and_read,
                                       make_actor):
    create_project(owner, name="Shop", slug="shop")
    data = esbuild_bundle(dist_bytes, )
    uploader.assemble(data, uploader.upload(data), ["shop"], version="shop@2", dist="web")
    event = send_and_read(app, owner, "shop", [minified_frame("app.min.js", "e", 93)], release="shop@2", dist="web")
    top = next(e for e in event["entries"] if e["type"] == "exception")["data"]["values"][0]
    assert top["stacktrace"]["frames"][-1]["function"] == "renderTotal"
    other = send_and_read(app, owner, "shop", [minified_frame("app.min.js", "e", 93), minified_frame("gone.min.js", "y", 1)],
                          release="shop@2", dist="mobile")
    url = f"/api/0/projects/{owner.org}/shop/events/{other['eventID']}/source-map-debug/"
    debug = owner.api.get(url).json
    assert (debug["release"], debug["dist"], debug["has_debug_ids"]) == ("shop@2", "mobile", False)
    assert debug["project_has_some_artifact_bundle"] and debug["release_has_some_artifact"]
    assert not debug["has_uploaded_some_artifact_with_a_debug_id"]
    found, gone = (f["release_process"] for f in debug["exceptions"][0]["frames"])
    assert (found["source_file_lookup_result"], found["source_map_lookup_result"]) == ("wrong-dist", "wrong-dist")
    assert (found["source_map_reference"], found["matching_source_map_name"]) == (
        "app.min.js.map", "~/static/app.min.js.map")
    assert "~/static/app.min.js" in found["matching_source_file_names"]
    assert (gone["source_file_lookup_result"], gone["matching_source_map_name"]) == ("unsuccessful", None)
    assert (debug["sdk_debug_id_support"], debug["has_scraping_data"]) == ("unofficial-sdk", False)
    stranger = make_actor("stranger")
    assert stranger.api.get(url).status_code == 404
    for event_id in ("0" * 32, "nope"):
        assert owner.api.get(url.replace(other["eventID"], event_id)).status_code == 404


def test_threads_keep_their_raw_frames_too(app, owner, uploader, create_project, dist_bytes, send_and_read):
    create_project(owner, name="Shop", slug="shop")
    data = esbuild_bundle(dist_bytes)
    uploader.assemble(data, uploader.upload(data), ["shop"], version="shop@2")
    frame = minified_frame("app.min.js", "e", 93)
    event = send_and_read(app, owner, "shop", [frame], release="shop@2",
                          threads={"values": [{"id": 1, "crashed": True, "stacktrace": {"frames": [frame]}}]})
    thread = next(e for e in event["entries"] if e["type"] == "threads")["data"]["values"][0]
    assert thread["stacktrace"]["frames"][-1]["function"] == "renderTotal"
    assert thread["rawStacktrace"]["frames"][-1]["function"] == "e"
