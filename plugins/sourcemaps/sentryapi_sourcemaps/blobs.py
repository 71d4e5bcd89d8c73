"""Where uploaded bytes live: a small blob store keyed by organization and SHA-1.

One backend for now, the database (``DatabaseBlobStore``: a row per blob, deduplicated by
checksum within an organization). The interface is deliberately the few calls a
filesystem or S3 backend would also answer, so that this store and the events plugin's
attachment store can become one later.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import delete, select

from sentryapi.api import db

from .models import ArtifactBundle, Blob, ReleaseFile


def sha1_hex(data: bytes) -> str:
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


class BlobStore(Protocol):
    """Bytes by ``(organization_id, sha1)``; writes join the caller's transaction."""

    def put(self, organization_id: int, checksum: str, data: bytes) -> None: ...
    def get(self, organization_id: int, checksum: str) -> bytes | None: ...
    def existing(self, organization_id: int, checksums: Iterable[str]) -> set[str]: ...
    def delete(self, organization_id: int, checksums: Iterable[str]) -> None: ...


class DatabaseBlobStore:
    """Blobs as rows of ``sourcemaps_blob`` (fine up to a few hundred MB per organization)."""

    def put(self, organization_id: int, checksum: str, data: bytes) -> None:
        if checksum not in self.existing(organization_id, [checksum]):
            db.session.add(Blob(organization_id=organization_id, checksum=checksum,
                                size=len(data), data=data))
            db.session.flush()

    def get(self, organization_id: int, checksum: str) -> bytes | None:
        data = db.session.scalar(select(Blob.data).where(
            Blob.organization_id == organization_id, Blob.checksum == checksum))
        return bytes(data) if data is not None else None

    def existing(self, organization_id: int, checksums: Iterable[str]) -> set[str]:
        wanted = sorted(set(checksums))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):  # bounded IN lists
            found.update(db.session.scalars(select(Blob.checksum).where(
                Blob.organization_id == organization_id,
                Blob.checksum.in_(wanted[start:start + 500]))))
        return found

    def delete(self, organization_id: int, checksums: Iterable[str]) -> None:
        gone = sorted(set(checksums))
        if gone:
            db.session.execute(delete(Blob).where(
                Blob.organization_id == organization_id, Blob.checksum.in_(gone)))


def blob_store() -> BlobStore:
    return DatabaseBlobStore()


def release_blob_if_unused(organization_id: int, checksum: str) -> None:
    """Delete the blob ``checksum`` unless a release file or a bundle still holds it."""
    for model in (ReleaseFile, ArtifactBundle):
        if db.session.scalar(select(model.id).where(
                model.organization_id == organization_id, model.checksum == checksum).limit(1)):
            return
    blob_store().delete(organization_id, [checksum])
