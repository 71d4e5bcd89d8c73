"""Where uploads live (the core's blob store), the storage quota, and what removes them: a
release's deletion, the retention period, the cleanup of blobs nothing holds."""

from __future__ import annotations

import datetime as dt

from sentryapi_sourcemaps.blobs import blob_key, blobs, sha1_hex
from sentryapi_sourcemaps.models import ArtifactBundle, Blob
from sentryapi_sourcemaps.retention import cleanup_expired
from sentryapi_sourcemaps.testing import make_bundle, upload_release_file
from sqlalchemy import func, select

from sentryapi.api import db


def bundle(name: str) -> bytes:
    return make_bundle({f"files/_/_/{name}": (f"~/{name}", "minified_source", {}, name.encode() * 50)})


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_bytes_are_in_the_blob_store_and_older_rows_stay_readable(app, owner, uploader, blob_backend):
    data = b"chunk of a bundle" * 10
    [checksum] = uploader.upload(data, len(data))
    with app.app_context():
        org_id = db.session.scalar(select(Blob.organization_id).where(Blob.checksum == checksum))
        assert db.session.scalar(select(Blob.data).where(Blob.checksum == checksum)) is None
        assert blob_backend.get(blob_key(org_id, checksum)) == data
        # A row written before the shared store keeps its bytes itself.
        legacy = b"stored in the row"
        db.session.add(Blob(organization_id=org_id, checksum=sha1_hex(legacy), size=len(legacy), data=legacy))
        db.session.commit()
        assert blobs().get(org_id, sha1_hex(legacy)) == legacy
        assert blobs().existing(org_id, [sha1_hex(legacy), checksum, "0" * 40]) == {sha1_hex(legacy), checksum}


def test_uploads_past_the_organizations_quota_are_413(app, owner, uploader, create_project, create_release,
                                                      monkeypatch):
    create_project(owner, name="Shop", slug="shop")
    create_release(owner, "shop@1", ["shop"])
    monkeypatch.setitem(app.config, "SOURCEMAPS_ORGANIZATION_QUOTA", 1500)
    first = b"a" * 1000
    uploader.upload(first, 1000)
    over = uploader.post_chunks([("file", b"b" * 1000, sha1_hex(b"b" * 1000))])
    assert over.status_code == 413 and "quota" in over.json["detail"], over.json
    uploader.upload(first, 1000)  # stored already: costs nothing
    files = f"/api/0/projects/{owner.org}/shop/releases/shop@1/files/"
    refused = upload_release_file(owner.api, files, "~/big.js", b"c" * 600)
    assert refused.status_code == 413 and "SOURCEMAPS_ORGANIZATION_QUOTA" in refused.json["detail"]
    assert upload_release_file(owner.api, files, "~/small.js", b"c" * 400).status_code == 201
    monkeypatch.setitem(app.config, "SOURCEMAPS_ORGANIZATION_QUOTA", 0)  # no quota
    assert uploader.post_chunks([("file", b"b" * 1000, sha1_hex(b"b" * 1000))]).status_code == 200


def test_a_release_takes_its_bundles_and_the_cleanup_their_bytes(app, owner, uploader, create_project,
                                                                  create_release, blob_backend):
    create_project(owner, name="Shop", slug="shop")
    create_release(owner, "shop@1", ["shop"])
    create_release(owner, "shop@2", ["shop"])
    only, shared, kept = bundle("only.js"), bundle("shared.js"), bundle("kept.js")
    for data, version in ((only, "shop@1"), (shared, "shop@1"), (shared, "shop@2"), (kept, None)):
        extra = {"version": version} if version else {}
        assert uploader.assemble(data, uploader.upload(data), ["shop"], **extra).json["state"] == "ok"
    assert owner.api.delete(f"/api/0/organizations/{owner.org}/releases/shop@1/").status_code == 204
    with app.app_context():
        left = set(db.session.scalars(select(ArtifactBundle.checksum)))
        assert left == {sha1_hex(shared), sha1_hex(kept)}
        org_id = db.session.scalar(select(ArtifactBundle.organization_id).limit(1))
        gone_key = blob_key(org_id, sha1_hex(only))
        assert blob_backend.exists(gone_key)
        later = dt.datetime.now(dt.UTC) + UNUSED
        assert cleanup_expired(later, False, lambda n: None)["sourcemap_blobs"] == 1
        assert not blob_backend.exists(gone_key)
        assert blob_backend.exists(blob_key(org_id, sha1_hex(kept)))


UNUSED = dt.timedelta(days=2)


def test_bundles_past_their_retention_go(app, owner, uploader, create_project, monkeypatch):
    create_project(owner, name="Shop", slug="shop")
    data = bundle("old.js")
    uploader.assemble(data, uploader.upload(data), ["shop"])
    with app.app_context():
        soon, late = (dt.datetime.now(dt.UTC) + dt.timedelta(days=d) for d in (89, 91))
        assert cleanup_expired(soon, True, lambda n: None)["sourcemap_artifact_bundles"] == 0
        assert cleanup_expired(late, True, lambda n: None)["sourcemap_artifact_bundles"] == 1
        monkeypatch.setitem(app.config, "SOURCEMAPS_RETENTION_DAYS", 0)  # kept forever
        assert "sourcemap_artifact_bundles" not in cleanup_expired(late, True, lambda n: None)
        monkeypatch.setitem(app.config, "SOURCEMAPS_RETENTION_DAYS", 90)
        totals = cleanup_expired(late, False, lambda n: None)
        assert (totals["sourcemap_artifact_bundles"], totals["sourcemap_blobs"]) == (1, 1)
        assert count(ArtifactBundle) == 0 and count(Blob) == 0
