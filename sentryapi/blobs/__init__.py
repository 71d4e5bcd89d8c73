"""One store for uploaded bytes (event attachments, source maps, debug files), chosen once
per app: a folder (the default) or an S3-compatible bucket (``BLOB_*`` settings).

Keys are the callers' (``{project}/{event}/...`` for attachments); ``content_key`` names
bytes by their checksum, so ``put_content`` writes identical bytes once. Deletions that go
with a database transaction wait for its commit (``delete_after_commit``): a rolled-back
deletion keeps its files.
"""

from __future__ import annotations

import hashlib
import logging
import os

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from .backends import BlobStore, FilesystemStore, S3Store

__all__ = ["BlobStore", "FilesystemStore", "S3Store", "blob_store", "build_store", "content_key",
           "default_root", "delete_after_commit", "put_content", "sha1_hex"]

log = logging.getLogger("sentryapi.blobs")
EXTENSION = "sentryapi.blobs"
#: ``session.info`` key: blob keys to delete after the session's next commit.
PENDING = "sentryapi.blobs.pending"
#: Where the store lived before it was shared (the attachments' folder): kept when present.
LEGACY_FOLDER = "attachments"


def sha1_hex(data: bytes) -> str:
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def default_root(instance_path: str) -> str:
    """``instance/blobs``, or ``instance/attachments`` where a store from before exists (its
    files keep their paths, so nothing has to move)."""
    legacy = os.path.join(instance_path, LEGACY_FOLDER)
    current = os.path.join(instance_path, "blobs")
    return legacy if os.path.isdir(legacy) and not os.path.isdir(current) else current


def build_store(config, instance_path: str) -> BlobStore:
    """The store the settings name."""
    if config["BLOB_STORAGE"] == "s3":
        return S3Store(config["BLOB_S3_BUCKET"], endpoint_url=config["BLOB_S3_ENDPOINT_URL"],
                       region=config["BLOB_S3_REGION"], access_key_id=config["BLOB_S3_ACCESS_KEY_ID"],
                       secret_access_key=config["BLOB_S3_SECRET_ACCESS_KEY"],
                       prefix=config["BLOB_S3_PREFIX"])
    return FilesystemStore(config["BLOB_PATH"] or default_root(instance_path))


def blob_store(app=None) -> BlobStore:
    """This app's blob store (built on first use, then kept)."""
    app = app or current_app._get_current_object()
    store = app.extensions.get(EXTENSION)
    if store is None:
        store = app.extensions.setdefault(EXTENSION, build_store(app.config, app.instance_path))
    return store


def content_key(namespace: str, checksum: str) -> str:
    """The key of bytes named by their SHA-1 within ``namespace`` (e.g. ``sourcemaps/12``)."""
    return f"{namespace}/{checksum[:2]}/{checksum}"


def put_content(namespace: str, data: bytes, checksum: str | None = None) -> str:
    """Store ``data`` under its checksum in ``namespace`` unless it is there already; its key."""
    key = content_key(namespace, checksum or sha1_hex(data))
    store = blob_store()
    if not store.exists(key):
        store.put(key, data)
    return key


def delete_after_commit(keys) -> None:
    """Remove these keys from the store once the current transaction commits."""
    from ..extensions import db

    db.session.info.setdefault(PENDING, []).extend(keys)


@event.listens_for(Session, "after_commit")
def _delete_pending(session) -> None:
    keys = session.info.pop(PENDING, None)
    if not keys or not has_app_context():
        return
    try:
        blob_store().delete(keys)
    except Exception as error:  # noqa: BLE001 - the rows are gone; a leftover file is harmless
        log.warning("could not delete %d stored files: %s", len(keys), error.__class__.__name__)


@event.listens_for(Session, "after_rollback")
def _keep_pending(session) -> None:
    session.info.pop(PENDING, None)
