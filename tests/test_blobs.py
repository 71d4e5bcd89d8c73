"""The core's blob store: its default folder, content keys written once, deletions that
wait for their transaction's commit; on the filesystem and on S3 (moto)."""

from __future__ import annotations

from sentryapi.blobs import (
    FilesystemStore,
    build_store,
    content_key,
    delete_after_commit,
    put_content,
    sha1_hex,
)
from sentryapi.extensions import db


def test_the_default_store_is_under_the_instance_folder(app, tmp_path):
    """``instance/blobs``; an earlier version's ``instance/attachments`` stays where it is, and
    its files stay readable under their keys."""
    config = {**app.config, "BLOB_STORAGE": "filesystem", "BLOB_PATH": None}
    store = build_store(config, str(tmp_path))
    assert isinstance(store, FilesystemStore) and store.root == str(tmp_path / "blobs")
    old = tmp_path / "attachments" / "7" / "ab" / ("ab" * 16)
    old.mkdir(parents=True)
    (old / "f00d").write_bytes(b"before")
    store = build_store(config, str(tmp_path))
    assert store.root == str(tmp_path / "attachments")
    assert store.get(f"7/ab/{'ab' * 16}/f00d") == b"before"


def test_content_is_written_once_and_deleted_after_commit(app, blob_backend):
    store = blob_backend
    with app.app_context():
        key = put_content("tests/1", b"same bytes")
        assert key == content_key("tests/1", sha1_hex(b"same bytes")) and store.get(key) == b"same bytes"
        store.put(key, b"changed behind its back")
        assert put_content("tests/1", b"same bytes") == key
        assert store.get(key) == b"changed behind its back"  # there already: not written again
        assert not store.exists("tests/1/no/such") and store.exists(key)
        delete_after_commit([key])
        db.session.rollback()
        assert store.exists(key)  # a rolled-back deletion keeps its files
        delete_after_commit([key, "tests/1/no/such"])
        db.session.commit()
        assert not store.exists(key)
        try:
            store.get(key)
        except KeyError:
            pass
        else:
            raise AssertionError("a deleted key is still readable")
