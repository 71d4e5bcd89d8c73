"""sentry-cli's upload protocol over HTTP: chunk options, chunks, bundle assembly."""

from __future__ import annotations

import gzip

from sentryapi_sourcemaps.blobs import sha1_hex
from sentryapi_sourcemaps.testing import Uploader, make_bundle, upload_release_file

MAP = b'{"version":3,"sources":["a.js"],"names":[],"mappings":"AAAA"}'


def a_bundle(debug_id="a9f9cf7a-3e5a-4b8e-9c57-0d0a7b1a6c01") -> bytes:
    return make_bundle({
        "files/_/_/app.min.js": ("~/app.min.js", "minified_source",
                                 {"debug-id": debug_id, "sourcemap": "app.min.js.map"}, b"x()"),
        "files/_/_/app.min.js.map": ("~/app.min.js.map", "source_map", {"debug-id": debug_id}, MAP),
    }, org="acme", release="1.0")


def test_options_are_sentry_clis(owner, app):
    answer = owner.api.get(f"/api/0/organizations/{owner.org}/chunk-upload/")
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["url"].endswith(f"/api/0/organizations/{owner.org}/chunk-upload/")
    assert body["hashAlgorithm"] == "sha1" and body["compression"] == ["gzip"]
    assert {"artifact_bundles", "artifact_bundles_v2"} <= set(body["accept"])
    assert body["chunkSize"] == app.config["SOURCEMAPS_CHUNK_SIZE"]
    assert body["maxRequestSize"] >= body["chunkSize"] * body["chunksPerRequest"]


def test_a_bundle_is_assembled_once_its_missing_chunks_arrive(owner, uploader, create_project):
    create_project(owner, name="Web", slug="web")
    data = a_bundle()
    chunks = [sha1_hex(data[i:i + 256]) for i in range(0, len(data), 256)]
    first = uploader.assemble(data, chunks, ["web"], version="1.0")
    assert first.status_code == 200, first.json
    assert first.json["state"] == "not_found" and first.json["missingChunks"] == chunks
    assert uploader.upload(data, 256) == chunks
    assert uploader.upload(data, 256) == chunks  # again: idempotent
    done = uploader.assemble(data, chunks, ["web"], version="1.0")
    assert done.json == {"state": "ok", "missingChunks": [], "detail": None}
    again = uploader.assemble(data, chunks, ["web"], version="1.0", dist="web")
    assert again.json["state"] == "ok"


def test_bad_uploads_are_4xx(owner, uploader, create_project, app):
    create_project(owner, name="Web", slug="web")
    wrong = uploader.post_chunks([("file", b"hello", sha1_hex(b"other"))])
    assert (wrong.status_code, wrong.json) == (400, {"detail": "Checksum mismatch."})
    not_gzip = uploader.post_chunks([("file_gzip", b"hello", sha1_hex(b"hello"))])
    assert not_gzip.status_code == 400, not_gzip.json
    app.config["SOURCEMAPS_CHUNK_SIZE"] = 1024
    big = b"x" * 1025
    for field, content in (("file", big), ("file_gzip", gzip.compress(big))):
        over = uploader.post_chunks([(field, content, sha1_hex(big))])
        assert (over.status_code, over.json) == (400, {"detail": "Chunk size too large."})
    as_json = uploader.api.post(uploader.chunk_url, json={"file": "x"})
    assert as_json.status_code == 415, as_json.json

    not_zip = b"this is not a zip"
    chunks = uploader.upload(not_zip)
    bad = uploader.assemble(not_zip, chunks, ["web"])
    assert bad.json["state"] == "error" and "zip" in bad.json["detail"]
    mismatch = uploader.api.post(f"/api/0/organizations/{owner.org}/artifactbundle/assemble/", json={
        "checksum": sha1_hex(b"something else"), "chunks": chunks, "projects": ["web"]})
    assert mismatch.json == {"state": "error", "missingChunks": [], "detail": "Reported checksum mismatch."}
    unknown = uploader.assemble(not_zip, chunks, ["nope"])
    assert unknown.status_code == 400, unknown.json
    malformed = uploader.api.post(f"/api/0/organizations/{owner.org}/artifactbundle/assemble/",
                                  json={"checksum": "xyz", "chunks": "a", "projects": []})
    assert malformed.status_code == 400 and set(malformed.json) >= {"checksum", "chunks", "projects"}


def test_chunks_and_bundles_stay_in_their_organization(owner, make_actor, uploader, create_project):
    create_project(owner, name="Web", slug="web")
    data = a_bundle()
    chunks = uploader.upload(data)
    other = make_actor("owner")
    create_project(other, name="Web", slug="web")
    theirs = Uploader(other.api, other.org)
    # The other organization cannot see our chunks: they are missing there.
    assert theirs.assemble(data, chunks, ["web"]).json["missingChunks"] == chunks
    # Nor reach our organization at all: the same 404 as a missing one.
    for org in (owner.org, "no-such-org"):
        crossed = Uploader(other.api, org)
        assert crossed.api.get(crossed.chunk_url).status_code == 404
        assert crossed.assemble(data, chunks, ["web"]).status_code == 404
        assert crossed.post_chunks([("file", data, chunks[0])]).status_code == 404
    assert uploader.assemble(data, chunks, ["web"]).json["state"] == "ok"


def test_scopes(make_actor, owner, uploader, create_project, make_token):
    create_project(owner, name="Web", slug="web")
    reader = owner.api.as_(make_token(owner.user, scopes=["project:read"]))
    assert reader.get(uploader.chunk_url).status_code == 200
    assert reader.post(f"/api/0/organizations/{owner.org}/artifactbundle/assemble/", json={
        "checksum": "0" * 40, "chunks": [], "projects": ["web"]}).status_code == 403
    releases = owner.api.as_(make_token(owner.user, scopes=["project:releases"]))
    assert releases.post(f"/api/0/organizations/{owner.org}/artifactbundle/assemble/", json={
        "checksum": "0" * 40, "chunks": [], "projects": ["web"]}).status_code == 200


def test_an_organization_token_uploads_every_way(owner, create_project, create_release):
    """``org:ci`` (what organization tokens carry) opens every upload route."""
    create_project(owner, name="Web", slug="web")
    create_release(owner, "web@1", ["web"])
    made = owner.api.post(f"/api/0/organizations/{owner.org}/org-auth-tokens/", json={"name": "ci"})
    assert made.status_code == 201, made.json
    ci = Uploader(owner.api.as_(made.json["token"]), owner.org)
    data = a_bundle()
    chunks = ci.upload(data, 256)
    assert ci.assemble(data, chunks, ["web"], version="web@1").json["state"] == "ok"
    for files in (f"/api/0/organizations/{owner.org}/releases/web@1/files/",
                  f"/api/0/projects/{owner.org}/web/releases/web@1/files/"):
        answer = upload_release_file(ci.api, files, f"~/{len(files)}.js", b"x()")
        assert answer.status_code == 201, answer.json
        assert ci.api.get(files).status_code == 200
    difs = ci.api.post(f"/api/0/projects/{owner.org}/web/files/difs/assemble/",
                       json={sha1_hex(b"x"): {"name": "app", "chunks": []}})
    assert difs.status_code == 200, difs.json
    assert ci.api.get(f"/api/0/projects/{owner.org}/web/files/dsyms/").status_code == 200
